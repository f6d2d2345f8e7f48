// Checks on the config file that only matter for the deployed stack: things lib/config accepts
// (they work on a laptop) that would put a credential into the CloudFormation template and the
// SSM parameter in plain text, or that cannot work inside Lambda. Errors fail `cdk synth` with the
// key path, like the validator's own errors; notes become synth warnings.

import { ConfigError } from '../lib/config/index.ts';
import { isNodeMap, parseYaml, Scalar, type Node } from '../lib/config/yaml.ts';
import { parseSecretReference } from '../lib/flush/secret-reader.ts';
import { SECRET_HEADER_PREFIX } from '../lib/remote-write/auth.ts';
import { isCredentialName, redactUrl } from '../lib/remote-write/redact.ts';

export interface DeployConfigFindings {
  readonly errors: ConfigError[];
  readonly warnings: string[];
  /** Whether some remote_write endpoint signs with SigV4 as the flush role itself (then it needs aps:RemoteWrite). */
  readonly usesSigv4: boolean;
  /** sigv4.role_arn values: the flush role needs sts:AssumeRole on them. */
  readonly assumeRoleArns: string[];
  /** Secrets named in `secretsmanager:<secret>:<key>` references (names or ARNs): the flush role reads them. */
  readonly namedSecrets: string[];
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
  const assumeRoleArns: string[] = [];

  const overrides = child(root, 'overrides');
  // The per-tenant overrides file (per_tenant_override_config) is checked by the loader only: it
  // lives in the encrypted config bucket, not in the template, so literal header values may stay.

  // Tenants' remote_write_headers: overrides.defaults and overrides.<tenant-id> alike.
  if (overrides !== undefined && isNodeMap(overrides)) {
    for (const tenant of overrides.keys()) {
      const headers = child(child(overrides.get(tenant), 'metrics_generator'), 'remote_write_headers');
      credentialHeaders(
        headers,
        `overrides.${tenant}.metrics_generator.remote_write_headers`,
        error,
        ', or put the tenant with its literal header into the runtime overrides, which are not part of the template',
      );
    }
  }

  const endpoints = child(child(child(root, 'metrics_generator'), 'storage'), 'remote_write');
  const list = Array.isArray(endpoints) ? endpoints : [];
  list.forEach((entry, i) => {
    const path = `metrics_generator.storage.remote_write[${i}]`;
    credentialHeaders(child(entry, 'headers'), `${path}.headers`, error);
    connectionSecrets(entry, path, error, (m) => warnings.push(m));
    const url = child(entry, 'url');
    if (url instanceof Scalar && typeof url.value === 'string') {
      const names = credentialQueryNames(url.value);
      if (names.length > 0) {
        error(
          `${path}.url`,
          `the query parameter ${names.join(', ')} ${IN_TEMPLATE} (${redactUrl(url.value)}); send the credential in a header from Secrets Manager ("${SECRET_HEADER_PREFIX}<key>", see docs/deploy.md) or use basic_auth/bearer_token_file`,
        );
      }
    }
    if (present(child(child(entry, 'basic_auth'), 'password')))
      error(`${path}.basic_auth.password`, `${IN_TEMPLATE}; use basic_auth.password_file (see docs/deploy.md)`);
    if (present(child(entry, 'bearer_token')))
      error(`${path}.bearer_token`, `${IN_TEMPLATE}; use bearer_token_file (see docs/deploy.md)`);
    if (present(child(child(entry, 'authorization'), 'credentials'))) {
      error(
        `${path}.authorization.credentials`,
        `${IN_TEMPLATE}; use authorization.credentials_file (see docs/deploy.md)`,
      );
    }
    for (const file of ['basic_auth.password_file', 'bearer_token_file', 'authorization.credentials_file']) {
      const [a, b] = file.split('.');
      const value = b === undefined ? child(entry, a) : child(child(entry, a), b);
      // `secretsmanager:<key>` reads the remote-write secret (REMOTE_WRITE_SECRET_ARN), not a file
      const fromSecret = value instanceof Scalar && String(value.value).startsWith('secretsmanager:');
      if (present(value) && !fromSecret) {
        warnings.push(
          `${path}.${file}: the file must exist in the flush function (a Lambda layer or extension must provide it; see docs/deploy.md)`,
        );
      }
    }
    const sigv4 = child(entry, 'sigv4');
    if (sigv4 !== undefined) {
      const roleArn = child(sigv4, 'role_arn');
      // with role_arn the assumed role signs (a workspace in another account grants it aps:RemoteWrite)
      if (roleArn instanceof Scalar && typeof roleArn.value === 'string' && roleArn.value !== '')
        assumeRoleArns.push(roleArn.value);
      else usesSigv4 = true;
      if (present(child(sigv4, 'access_key')) || present(child(sigv4, 'secret_key'))) {
        error(
          `${path}.sigv4`,
          `access_key/secret_key ${IN_TEMPLATE}; leave them out so the flush function's role signs (set ampWorkspaceArn)`,
        );
      }
      if (present(child(sigv4, 'profile')))
        error(`${path}.sigv4.profile`, 'Lambda has no AWS profiles; leave it out so the function role signs');
    }
  });
  return {
    errors,
    warnings,
    usesSigv4,
    assumeRoleArns: [...new Set(assumeRoleArns)],
    namedSecrets: namedSecretsIn(root),
    remoteWriteEndpoints: list.length,
  };
}

/**
 * Literal values of credential-like headers (Authorization, X-API-Key, X-Auth-Token, ...) would sit
 * in plain text in the template; a `secretsmanager:<key>` or `secretsmanager:<secret>:<key>` value
 * is read from Secrets Manager instead. A tenant's header may also be literal in the runtime
 * overrides, which are stored outside the template (`tenantHint`).
 */
function credentialHeaders(
  headers: Node | undefined,
  path: string,
  error: (path: string, problem: string) => void,
  tenantHint = '',
): void {
  if (headers === undefined || !isNodeMap(headers)) return;
  for (const name of headers.keys()) {
    const value = headers.get(name);
    if (isCredentialName(name) && present(value) && !fromSecretsManager(value)) {
      error(
        `${path}.${name}`,
        `looks like a credential and ${IN_TEMPLATE}; set it to "${SECRET_HEADER_PREFIX}<key>" or "${SECRET_HEADER_PREFIX}<secret>:<key>" to read it from Secrets Manager${tenantHint} (see docs/deploy.md)`,
      );
    }
  }
}

function fromSecretsManager(value: Node | undefined): boolean {
  return value instanceof Scalar && String(value.value).startsWith(SECRET_HEADER_PREFIX);
}

/** tls_config, oauth2, http_headers and proxy_url of one endpoint: inline secrets refused, files noted. */
function connectionSecrets(
  entry: Node | undefined,
  path: string,
  error: (path: string, problem: string) => void,
  warn: (message: string) => void,
): void {
  const fileNote = (p: string, value: Node | undefined) => {
    if (present(value) && !fromSecretsManager(value))
      warn(
        `${p}: the file must exist in the flush function (a Lambda layer or extension must provide it), or use "${SECRET_HEADER_PREFIX}<secret>:<key>" (see docs/deploy.md)`,
      );
  };
  for (const [tlsPath, tls] of [
    [`${path}.tls_config`, child(entry, 'tls_config')],
    [`${path}.oauth2.tls_config`, child(child(entry, 'oauth2'), 'tls_config')],
  ] as const) {
    if (present(child(tls, 'key')))
      error(`${tlsPath}.key`, `${IN_TEMPLATE}; use tls_config.key_file with "${SECRET_HEADER_PREFIX}<secret>:<key>"`);
    for (const key of ['ca_file', 'cert_file', 'key_file']) fileNote(`${tlsPath}.${key}`, child(tls, key));
  }
  const oauth2 = child(entry, 'oauth2');
  if (present(child(oauth2, 'client_secret')))
    error(
      `${path}.oauth2.client_secret`,
      `${IN_TEMPLATE}; use oauth2.client_secret_file with "${SECRET_HEADER_PREFIX}<secret>:<key>"`,
    );
  fileNote(`${path}.oauth2.client_secret_file`, child(oauth2, 'client_secret_file'));
  const httpHeaders = child(entry, 'http_headers');
  if (httpHeaders !== undefined && isNodeMap(httpHeaders)) {
    for (const name of httpHeaders.keys()) {
      const h = httpHeaders.get(name);
      const secrets = child(h, 'secrets');
      if (Array.isArray(secrets) && secrets.length > 0)
        error(
          `${path}.http_headers.${name}.secrets`,
          `${IN_TEMPLATE}; use http_headers.${name}.files with "${SECRET_HEADER_PREFIX}<secret>:<key>"`,
        );
      const values = child(h, 'values');
      if (isCredentialName(name) && Array.isArray(values) && values.length > 0)
        error(
          `${path}.http_headers.${name}.values`,
          `looks like a credential and ${IN_TEMPLATE}; use http_headers.${name}.files with "${SECRET_HEADER_PREFIX}<secret>:<key>"`,
        );
      const files = child(h, 'files');
      if (Array.isArray(files))
        for (const [i, f] of files.entries()) fileNote(`${path}.http_headers.${name}.files[${i}]`, f);
    }
  }
  for (const [p, proxy] of [
    [`${path}.proxy_url`, child(entry, 'proxy_url')],
    [`${path}.oauth2.proxy_url`, child(oauth2, 'proxy_url')],
  ] as const) {
    if (proxy instanceof Scalar && typeof proxy.value === 'string') {
      try {
        const u = new URL(proxy.value);
        if (u.username !== '' || u.password !== '')
          error(
            p,
            `the proxy credentials (user:password@) ${IN_TEMPLATE} (${redactUrl(u)}); let the proxy admit the function without user-info (see docs/deploy.md)`,
          );
      } catch {
        // the validator already refused what does not parse
      }
    }
  }
}

/** Every `secretsmanager:<secret>:<key>` reference anywhere in the config, by secret. */
function namedSecretsIn(root: Node): string[] {
  const names = new Set<string>();
  const walk = (node: Node | undefined): void => {
    if (node === undefined) return;
    if (Array.isArray(node)) node.forEach(walk);
    else if (isNodeMap(node)) for (const v of node.values()) walk(v);
    else if (typeof node.value === 'string' && node.value.startsWith(SECRET_HEADER_PREFIX)) {
      const secret = parseSecretReference(node.value).secret;
      if (secret !== undefined && secret !== '') names.add(secret);
    }
  };
  walk(root);
  return [...names];
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
