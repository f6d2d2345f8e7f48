// metrics_generator.storage.remote_write entries: the subset of Prometheus' remote_write config
// the flusher implements. Keys that would change what is sent or how the connection is secured
// and are not implemented (azuread, google_iam, ...) are refused rather than silently ignored.

import { fail, indexPath, joinPath } from './errors.ts';
import {
  bool,
  duration,
  ignored,
  ignoring,
  integer,
  listOf,
  mapOf,
  object,
  oneOf,
  positiveInt,
  section,
  string,
  unsupported,
  withDefault,
} from './schema.ts';
import type { ObjectOf, Spec } from './schema.ts';
import type { RemoteWriteEndpoint } from '../remote-write/endpoint.ts';
import { redactUrlsIn } from '../remote-write/redact.ts';
import { relabelConfigOf, type RelabelConfig, type RelabelConfigInput } from '../remote-write/relabel-config.ts';
import {
  httpHeaders,
  httpHeadersSpec,
  oauth2Settings,
  oauth2Spec,
  proxyKeys,
  proxySettings,
  tlsConfigSpec,
  tlsSettings,
} from './remote-write-options.ts';

/** Headers Prometheus' remote_write refuses in `headers` (set by the client or by the auth options). */
const RESERVED_HEADERS = new Set([
  'authorization',
  'host',
  'content-encoding',
  'content-type',
  'x-prometheus-remote-write-version',
  'user-agent',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'www-authenticate',
]);
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function headerNameProblem(name: string): string | undefined {
  return HEADER_NAME.test(name) ? undefined : `"${name}" is not a valid HTTP header name`;
}

/**
 * Headers the remote-write protocol itself sets; a tenant's remote_write_headers may set any other
 * (Authorization included: Tempo injects them as given), these would be overridden or break framing.
 */
const PROTOCOL_HEADER_NAMES = new Set([
  'host',
  'content-encoding',
  'content-type',
  'content-length',
  'transfer-encoding',
  'x-prometheus-remote-write-version',
  'connection',
  'keep-alive',
]);

/** Why `name` cannot be an endpoint header (`headers`, `http_headers`), or undefined. */
export function endpointHeaderProblem(name: string): string | undefined {
  if (RESERVED_HEADERS.has(name.toLowerCase()))
    return 'this header cannot be set here (it is set by the client or by the auth options)';
  return headerNameProblem(name);
}

/** Why `name` cannot be a tenant's remote_write_headers entry, or undefined. */
export function tenantHeaderProblem(name: string): string | undefined {
  if (PROTOCOL_HEADER_NAMES.has(name.toLowerCase()))
    return 'this header is set by the remote-write protocol and cannot be overridden';
  return headerNameProblem(name);
}

/**
 * HTTP header map: valid token names, values without line breaks; endpoint headers refuse the
 * reserved names, tenant headers (`{ tenant: true }`) only the protocol's own.
 */
export function headerMap(opts: { tenant?: boolean } = {}): Spec<Record<string, string>> {
  const values = mapOf(string(), opts.tenant === true ? tenantHeaderProblem : endpointHeaderProblem);
  return {
    type: values.type,
    parse(node, path) {
      const headers = values.parse(node, path);
      for (const [name, value] of Object.entries(headers)) {
        if (/[\r\n\0]/.test(value)) fail(joinPath(path, name), 'header values must not contain line breaks or NUL');
      }
      return headers;
    },
  };
}

const promDuration = () => duration({ prometheus: true });
const count = () => integer(0n, 2147483647n, 'a non-negative integer');

const entrySpec = object({
  url: string(),
  name: string(),
  headers: headerMap(),
  basic_auth: object({ username: string(), password: string(), password_file: string() }),
  authorization: object({ type: string(), credentials: string(), credentials_file: string() }),
  bearer_token: string(),
  bearer_token_file: string(),
  sigv4: object({
    region: string(),
    access_key: string(),
    secret_key: string(),
    profile: string(),
    role_arn: string(),
  }),
  remote_timeout: withDefault(duration({ prometheus: true, minMs: 1 }), 30_000),
  queue_config: section({
    max_samples_per_send: withDefault(positiveInt(), 2000),
    // Queue tuning of Prometheus' shard manager; the flusher sends synchronously.
    capacity: ignoring(count()),
    max_shards: ignoring(count()),
    min_shards: ignoring(count()),
    batch_send_deadline: ignoring(promDuration()),
    min_backoff: ignoring(promDuration()),
    max_backoff: ignoring(promDuration()),
    retry_on_http_429: ignoring(bool()),
    sample_age_limit: ignoring(promDuration()),
  }),
  // Tempo forces both per tenant (exemplars always, native histograms by generate_native_histograms).
  send_exemplars: ignoring(bool()),
  send_native_histograms: ignoring(bool()),
  metadata_config: ignored(),
  follow_redirects: ignoring(bool()),
  enable_http2: ignoring(bool()),
  protobuf_message: ignoring(oneOf(['prometheus.WriteRequest'])),
  tls_config: tlsConfigSpec,
  oauth2: oauth2Spec,
  http_headers: httpHeadersSpec,
  ...proxyKeys,
  azuread: unsupported('use basic_auth, bearer_token(_file), authorization or sigv4'),
  google_iam: unsupported('use basic_auth, bearer_token(_file), authorization or sigv4'),
  write_relabel_configs: listOf(
    object({
      source_labels: listOf(string()),
      separator: string(),
      regex: string(),
      modulus: integer(0n, BigInt(Number.MAX_SAFE_INTEGER), 'a non-negative integer'),
      target_label: string(),
      replacement: string(),
      action: string(),
    }),
  ),
});

type Entry = ObjectOf<typeof entrySpec.shape>;

/**
 * What is wrong with a remote-write URL, or undefined. User-info (`user:pass@`) is refused: fetch
 * cannot send it, and it would put a password in the config and in every log line naming the URL.
 * The URL is quoted redacted, so the message itself leaks nothing.
 */
export function remoteWriteUrlProblem(text: string, credentialsHint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${redactUrlsIn(text)}" is not a valid URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username !== '' || url.password !== '')
    return `must not carry credentials (user:password@); ${credentialsHint}`;
  return undefined;
}

function exclusive(path: string, a: [string, unknown], b: [string, unknown]): void {
  if (a[1] !== undefined && b[1] !== undefined) fail(path, `set ${a[0]} or ${b[0]}, not both`);
}

function endpoint(e: Entry, path: string): RemoteWriteEndpoint {
  if (e.url === undefined) fail(joinPath(path, 'url'), 'is required');
  const problem = remoteWriteUrlProblem(e.url, 'use basic_auth (with password_file) instead');
  if (problem !== undefined) fail(joinPath(path, 'url'), problem);

  const auths: string[] = [];
  let basicAuth: RemoteWriteEndpoint['basicAuth'];
  if (e.basic_auth !== undefined) {
    auths.push('basic_auth');
    const p = joinPath(path, 'basic_auth');
    const { username, password, password_file: passwordFile } = e.basic_auth;
    if (username === undefined) fail(joinPath(p, 'username'), 'is required');
    exclusive(p, ['password', password], ['password_file', passwordFile]);
    basicAuth = {
      username,
      ...(password !== undefined && { password }),
      ...(passwordFile !== undefined && { passwordFile }),
    };
  }
  let bearerToken = e.bearer_token;
  let bearerTokenFile = e.bearer_token_file;
  exclusive(path, ['bearer_token', bearerToken], ['bearer_token_file', bearerTokenFile]);
  if (bearerToken !== undefined || bearerTokenFile !== undefined) auths.push('bearer_token');
  if (e.authorization !== undefined) {
    auths.push('authorization');
    const p = joinPath(path, 'authorization');
    const { type = 'Bearer', credentials, credentials_file: credentialsFile } = e.authorization;
    if (type.toLowerCase() !== 'bearer') fail(joinPath(p, 'type'), `not supported: only Bearer, got "${type}"`);
    exclusive(p, ['credentials', credentials], ['credentials_file', credentialsFile]);
    bearerToken = credentials;
    bearerTokenFile = credentialsFile;
  }
  if (e.sigv4 !== undefined) {
    auths.push('sigv4');
    const s = e.sigv4;
    if ((s.access_key === undefined) !== (s.secret_key === undefined))
      fail(joinPath(path, 'sigv4'), 'set both access_key and secret_key, or neither');
  }
  if (e.oauth2 !== undefined) auths.push('oauth2');
  if (auths.length > 1)
    fail(
      path,
      `at most one of basic_auth, authorization, bearer_token/bearer_token_file, oauth2 and sigv4 may be set (got ${auths.join(', ')})`,
    );
  const connection = connectionOptions(e, path);

  const sigv4 = e.sigv4 && {
    ...(e.sigv4.region !== undefined && { region: e.sigv4.region }),
    ...(e.sigv4.access_key !== undefined && { accessKey: e.sigv4.access_key }),
    ...(e.sigv4.secret_key !== undefined && { secretKey: e.sigv4.secret_key }),
    ...(e.sigv4.profile !== undefined && { profile: e.sigv4.profile }),
    ...(e.sigv4.role_arn !== undefined && { roleArn: e.sigv4.role_arn }),
  };
  return {
    url: e.url,
    ...(e.name !== undefined && { name: e.name }),
    headers: e.headers ?? {},
    ...(basicAuth !== undefined && { basicAuth }),
    ...(bearerToken !== undefined && { bearerToken }),
    ...(bearerTokenFile !== undefined && { bearerTokenFile }),
    ...(sigv4 !== undefined && { sigv4 }),
    ...connection,
    remoteTimeoutMs: e.remote_timeout,
    maxSamplesPerSend: e.queue_config.max_samples_per_send,
    ...(e.write_relabel_configs !== undefined && {
      writeRelabelConfigs: relabelConfigs(e.write_relabel_configs, joinPath(path, 'write_relabel_configs')),
    }),
  };
}

/** write_relabel_configs with Prometheus' defaults, each entry checked as Prometheus does. */
function relabelConfigs(entries: readonly RelabelConfigInput[], path: string): RelabelConfig[] {
  return entries.map((entry, i) => {
    const config = relabelConfigOf(entry);
    if ('problem' in config)
      fail(config.key === '' ? indexPath(path, i) : joinPath(indexPath(path, i), config.key), config.problem);
    return config;
  });
}

/** tls_config, the proxy keys, oauth2 and http_headers of one endpoint (remote-write-options.ts). */
function connectionOptions(
  e: Entry,
  path: string,
): Pick<RemoteWriteEndpoint, 'tls' | 'proxy' | 'oauth2' | 'httpHeaders'> {
  const tls = e.tls_config === undefined ? undefined : tlsSettings(e.tls_config, joinPath(path, 'tls_config'));
  const proxy = proxySettings(e, path);
  const oauth2 = e.oauth2 === undefined ? undefined : oauth2Settings(e.oauth2, joinPath(path, 'oauth2'));
  const headers =
    e.http_headers === undefined
      ? undefined
      : httpHeaders(e.http_headers, joinPath(path, 'http_headers'), endpointHeaderProblem);
  return {
    ...(tls !== undefined && { tls }),
    ...(proxy !== undefined && { proxy }),
    ...(oauth2 !== undefined && { oauth2 }),
    ...(headers !== undefined && { httpHeaders: headers }),
  };
}

/** `remote_write:` — a list of endpoints; names must be unique, as Prometheus requires. */
export function remoteWriteList(): Spec<RemoteWriteEndpoint[]> {
  const list = listOf(entrySpec);
  return {
    type: 'list of remote_write endpoints',
    parse(node, path) {
      const names = new Map<string, number>();
      return list.parse(node, path).map((e, i) => {
        const p = indexPath(path, i);
        const out = endpoint(e, p);
        if (out.name !== undefined) {
          const earlier = names.get(out.name);
          if (earlier !== undefined) fail(joinPath(p, 'name'), `duplicates the name of ${indexPath(path, earlier)}`);
          names.set(out.name, i);
        }
        return out;
      });
    },
  };
}
