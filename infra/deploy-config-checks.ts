// Checks on the config file that only matter for the deployed stack: things lib/config accepts
// (they work on a laptop) that would put a credential into the CloudFormation template and the
// SSM parameter in plain text, or that cannot work inside Lambda. Errors fail `cdk synth` with the
// key path, like the validator's own errors; notes become synth warnings.

import { ConfigError } from '../lib/config/index.ts';
import { isNodeMap, parseYaml, Scalar, type Node } from '../lib/config/yaml.ts';

export interface DeployConfigFindings {
  readonly errors: ConfigError[];
  readonly warnings: string[];
  /** Whether some remote_write endpoint signs with SigV4 (then the flush role needs aps:RemoteWrite). */
  readonly usesSigv4: boolean;
  readonly remoteWriteEndpoints: number;
}

const IN_TEMPLATE = 'would be stored in plain text in the CloudFormation template and the SSM parameter';

/** Call only with text that parseConfig accepted (the shape is then known to be valid). */
export function checkDeployConfig(text: string, source: string): DeployConfigFindings {
  const errors: ConfigError[] = [];
  const warnings: string[] = [];
  const error = (path: string, problem: string) => errors.push(new ConfigError(path, problem, source));
  const root = parseYaml(text);
  let usesSigv4 = false;

  const overrides = child(root, 'overrides');
  if (child(overrides, 'per_tenant_override_config') !== undefined) {
    error(
      'overrides.per_tenant_override_config',
      'not available in the deployed stack (the functions receive this one file through SSM); move those tenants into overrides.<tenant-id>',
    );
  }

  const endpoints = child(child(child(root, 'metrics_generator'), 'storage'), 'remote_write');
  const list = Array.isArray(endpoints) ? endpoints : [];
  list.forEach((entry, i) => {
    const path = `metrics_generator.storage.remote_write[${i}]`;
    if (present(child(child(entry, 'basic_auth'), 'password'))) error(`${path}.basic_auth.password`, `${IN_TEMPLATE}; use basic_auth.password_file (see docs/deploy.md)`);
    if (present(child(entry, 'bearer_token'))) error(`${path}.bearer_token`, `${IN_TEMPLATE}; use bearer_token_file (see docs/deploy.md)`);
    if (present(child(child(entry, 'authorization'), 'credentials'))) {
      error(`${path}.authorization.credentials`, `${IN_TEMPLATE}; use authorization.credentials_file (see docs/deploy.md)`);
    }
    for (const file of ['basic_auth.password_file', 'bearer_token_file', 'authorization.credentials_file']) {
      const [a, b] = file.split('.');
      const value = b === undefined ? child(entry, a) : child(child(entry, a), b);
      // `secretsmanager:<key>` reads the remote-write secret (REMOTE_WRITE_SECRET_ARN), not a file
      const fromSecret = value instanceof Scalar && String(value.value).startsWith('secretsmanager:');
      if (present(value) && !fromSecret) {
        warnings.push(`${path}.${file}: the file must exist in the flush function (a Lambda layer or extension must provide it; see docs/deploy.md)`);
      }
    }
    const sigv4 = child(entry, 'sigv4');
    if (sigv4 !== undefined) {
      usesSigv4 = true;
      if (present(child(sigv4, 'access_key')) || present(child(sigv4, 'secret_key'))) {
        error(`${path}.sigv4`, `access_key/secret_key ${IN_TEMPLATE}; leave them out so the flush function's role signs (set ampWorkspaceArn)`);
      }
      if (present(child(sigv4, 'role_arn'))) error(`${path}.sigv4.role_arn`, 'not supported by the flusher; the stack grants its role aps:RemoteWrite (set ampWorkspaceArn)');
      if (present(child(sigv4, 'profile'))) error(`${path}.sigv4.profile`, 'Lambda has no AWS profiles; leave it out so the function role signs');
    }
  });
  return { errors, warnings, usesSigv4, remoteWriteEndpoints: list.length };
}

function child(node: Node | undefined, key: string): Node | undefined {
  return node !== undefined && isNodeMap(node) ? node.get(key) : undefined;
}

/** A key written with a value (`key:` alone or `~` means not set, as in the validator). */
function present(node: Node | undefined): boolean {
  return node !== undefined && !(node instanceof Scalar && node.value === null);
}
