// Checks on the config file that only matter for the deployed stack: things lib/config accepts
// (they work on a laptop) that would put a credential into the CloudFormation template and the
// SSM parameter in plain text, or that cannot work inside Lambda. Errors fail `cdk synth` with the
// key path, like the validator's own errors; notes become synth warnings.

import { ConfigError } from '../lib/config/index.ts';
import { isNodeMap, parseYaml, Scalar, type Node } from '../lib/config/yaml.ts';
import { SECRET_HEADER_PREFIX } from '../lib/remote-write/auth.ts';
import { isCredentialName, redactUrl } from '../lib/remote-write/redact.ts';

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
  // The per-tenant overrides file (per_tenant_override_config) is checked by the loader only: it
  // lives in the encrypted config bucket, not in the template, so literal header values may stay.

  // Tenants' remote_write_headers: overrides.defaults and overrides.<tenant-id> alike.
  if (overrides !== undefined && isNodeMap(overrides)) {
    for (const tenant of overrides.keys()) {
      const headers = child(child(overrides.get(tenant), 'metrics_generator'), 'remote_write_headers');
      credentialHeaders(headers, `overrides.${tenant}.metrics_generator.remote_write_headers`, error);
    }
  }

  const endpoints = child(child(child(root, 'metrics_generator'), 'storage'), 'remote_write');
  const list = Array.isArray(endpoints) ? endpoints : [];
  list.forEach((entry, i) => {
    const path = `metrics_generator.storage.remote_write[${i}]`;
    credentialHeaders(child(entry, 'headers'), `${path}.headers`, error);
    const url = child(entry, 'url');
    if (url instanceof Scalar && typeof url.value === 'string') {
      const names = credentialQueryNames(url.value);
      if (names.length > 0) {
        error(`${path}.url`, `the query parameter ${names.join(', ')} ${IN_TEMPLATE} (${redactUrl(url.value)}); send the credential in a header from Secrets Manager ("${SECRET_HEADER_PREFIX}<key>", see docs/deploy.md) or use basic_auth/bearer_token_file`);
      }
    }
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

/**
 * Literal values of credential-like headers (X-API-Key, X-Auth-Token, ...) would sit in plain text
 * in the template; a `secretsmanager:<key>` value is read from the remote-write secret instead.
 */
function credentialHeaders(headers: Node | undefined, path: string, error: (path: string, problem: string) => void): void {
  if (headers === undefined || !isNodeMap(headers)) return;
  for (const name of headers.keys()) {
    const value = headers.get(name);
    const fromSecret = value instanceof Scalar && String(value.value).startsWith(SECRET_HEADER_PREFIX);
    if (isCredentialName(name) && present(value) && !fromSecret) {
      error(`${path}.${name}`, `looks like a credential and ${IN_TEMPLATE}; set it to "${SECRET_HEADER_PREFIX}<key>" to read it from the remote-write secret (see docs/deploy.md)`);
    }
  }
}

function credentialQueryNames(text: string): string[] {
  try {
    return [...new Set([...new URL(text).searchParams.keys()].filter(isCredentialName))];
  } catch {
    return []; // the validator already refused what does not parse
  }
}

function child(node: Node | undefined, key: string): Node | undefined {
  return node !== undefined && isNodeMap(node) ? node.get(key) : undefined;
}

/** A key written with a value (`key:` alone or `~` means not set, as in the validator). */
function present(node: Node | undefined): boolean {
  return node !== undefined && !(node instanceof Scalar && node.value === null);
}
