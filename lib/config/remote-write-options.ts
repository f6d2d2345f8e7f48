// The connection options of a remote_write endpoint, in Prometheus' form (prometheus/common
// config/http_config.go): tls_config, the proxy keys, oauth2 and http_headers. Parsed and checked
// here; lib/remote-write uses them.

import { fail, joinPath } from './errors.ts';
import { bool, listOf, mapOf, object, oneOf, string, withDefault } from './schema.ts';
import type { ObjectOf } from './schema.ts';
import type {
  HttpHeaderValues,
  OAuth2Settings,
  ProxySettings,
  TlsSettings,
  TlsVersion,
} from '../remote-write/endpoint.ts';
import { redactUrlsIn } from '../remote-write/redact.ts';

const TLS_VERSIONS: Record<string, TlsVersion> = {
  TLS10: 'TLSv1',
  TLS11: 'TLSv1.1',
  TLS12: 'TLSv1.2',
  TLS13: 'TLSv1.3',
};
const TLS_ORDER: readonly TlsVersion[] = ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];

export const tlsConfigSpec = object({
  ca: string(),
  ca_file: string(),
  cert: string(),
  cert_file: string(),
  key: string(),
  key_file: string(),
  server_name: string(),
  insecure_skip_verify: withDefault(bool(), false),
  min_version: oneOf(['TLS10', 'TLS11', 'TLS12', 'TLS13']),
  max_version: oneOf(['TLS10', 'TLS11', 'TLS12', 'TLS13']),
});

/** The proxy keys, which Prometheus inlines into the endpoint (and into oauth2). */
export const proxyKeys = {
  proxy_url: string(),
  no_proxy: string(),
  proxy_from_environment: withDefault(bool(), false),
  proxy_connect_header: mapOf(listOf(string())),
};

export const oauth2Spec = object({
  client_id: string(),
  client_secret: string(),
  client_secret_file: string(),
  token_url: string(),
  scopes: listOf(string()),
  endpoint_params: mapOf(string()),
  tls_config: tlsConfigSpec,
  ...proxyKeys,
});

export const httpHeadersSpec = mapOf(
  object({ values: listOf(string()), secrets: listOf(string()), files: listOf(string()) }),
);

type TlsEntry = ObjectOf<typeof tlsConfigSpec.shape>;
type ProxyEntry = {
  proxy_url?: string;
  no_proxy?: string;
  proxy_from_environment: boolean;
  proxy_connect_header?: Record<string, string[]>;
};
type OAuth2Entry = ObjectOf<typeof oauth2Spec.shape>;

function oneOfPair(path: string, inline: string, file: string, a: unknown, b: unknown): void {
  if (a !== undefined && b !== undefined) fail(path, `at most one of ${inline} and ${file} may be set`);
}

export function tlsSettings(t: TlsEntry, path: string): TlsSettings {
  oneOfPair(path, 'ca', 'ca_file', t.ca, t.ca_file);
  oneOfPair(path, 'cert', 'cert_file', t.cert, t.cert_file);
  oneOfPair(path, 'key', 'key_file', t.key, t.key_file);
  const cert = t.cert !== undefined || t.cert_file !== undefined;
  const key = t.key !== undefined || t.key_file !== undefined;
  if (cert && !key) fail(path, 'a client certificate needs key or key_file');
  if (key && !cert) fail(path, 'a client key needs cert or cert_file');
  const minVersion = t.min_version === undefined ? undefined : TLS_VERSIONS[t.min_version];
  const maxVersion = t.max_version === undefined ? undefined : TLS_VERSIONS[t.max_version];
  if (
    minVersion !== undefined &&
    maxVersion !== undefined &&
    TLS_ORDER.indexOf(minVersion) > TLS_ORDER.indexOf(maxVersion)
  ) {
    fail(joinPath(path, 'max_version'), `must not be lower than min_version (${t.min_version})`);
  }
  return {
    ...(t.ca !== undefined && { ca: t.ca }),
    ...(t.ca_file !== undefined && { caFile: t.ca_file }),
    ...(t.cert !== undefined && { cert: t.cert }),
    ...(t.cert_file !== undefined && { certFile: t.cert_file }),
    ...(t.key !== undefined && { key: t.key }),
    ...(t.key_file !== undefined && { keyFile: t.key_file }),
    ...(t.server_name !== undefined && { serverName: t.server_name }),
    insecureSkipVerify: t.insecure_skip_verify,
    ...(minVersion !== undefined && { minVersion }),
    ...(maxVersion !== undefined && { maxVersion }),
  };
}

/** The proxy settings, or undefined when no proxy key is set; the combinations Prometheus refuses are refused. */
export function proxySettings(p: ProxyEntry, path: string): ProxySettings | undefined {
  const url = p.proxy_url === '' ? undefined : p.proxy_url;
  const noProxy = p.no_proxy === '' ? undefined : p.no_proxy;
  const connect = p.proxy_connect_header ?? {};
  if (url === undefined && !p.proxy_from_environment && noProxy === undefined && Object.keys(connect).length === 0)
    return undefined;
  if (p.proxy_from_environment && url !== undefined)
    fail(joinPath(path, 'proxy_url'), 'must not be set with proxy_from_environment');
  if (p.proxy_from_environment && noProxy !== undefined)
    fail(
      joinPath(path, 'no_proxy'),
      'must not be set with proxy_from_environment (NO_PROXY from the environment applies)',
    );
  if (url === undefined && noProxy !== undefined) fail(joinPath(path, 'no_proxy'), 'needs proxy_url');
  if (url === undefined && !p.proxy_from_environment)
    fail(joinPath(path, 'proxy_connect_header'), 'needs proxy_url or proxy_from_environment');
  if (url !== undefined) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return fail(joinPath(path, 'proxy_url'), `"${redactUrlsIn(url)}" is not a valid URL`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      fail(joinPath(path, 'proxy_url'), 'only http and https proxies are supported');
  }
  const connectHeaders: Record<string, string> = {};
  for (const [name, values] of Object.entries(connect)) connectHeaders[name] = values.join(', ');
  return {
    ...(url !== undefined && { url }),
    ...(noProxy !== undefined && { noProxy }),
    fromEnvironment: p.proxy_from_environment,
    connectHeaders,
  };
}

export function oauth2Settings(o: OAuth2Entry, path: string): OAuth2Settings {
  if (o.client_id === undefined) fail(joinPath(path, 'client_id'), 'is required');
  if (o.token_url === undefined) fail(joinPath(path, 'token_url'), 'is required');
  oneOfPair(path, 'client_secret', 'client_secret_file', o.client_secret, o.client_secret_file);
  try {
    const u = new URL(o.token_url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      fail(joinPath(path, 'token_url'), 'must be an http or https URL');
  } catch (e) {
    if (e instanceof TypeError) fail(joinPath(path, 'token_url'), `"${redactUrlsIn(o.token_url)}" is not a valid URL`);
    throw e;
  }
  const tls = o.tls_config === undefined ? undefined : tlsSettings(o.tls_config, joinPath(path, 'tls_config'));
  const proxy = proxySettings(o, path);
  return {
    clientId: o.client_id,
    ...(o.client_secret !== undefined && { clientSecret: o.client_secret }),
    ...(o.client_secret_file !== undefined && { clientSecretFile: o.client_secret_file }),
    tokenUrl: o.token_url,
    scopes: o.scopes ?? [],
    endpointParams: o.endpoint_params ?? {},
    ...(tls !== undefined && { tls }),
    ...(proxy !== undefined && { proxy }),
  };
}

/** http_headers: names checked like `headers` (no reserved ones), every value free of line breaks. */
export function httpHeaders(
  h: Record<string, { values?: string[]; secrets?: string[]; files?: string[] }>,
  path: string,
  nameProblem: (name: string) => string | undefined,
): Record<string, HttpHeaderValues> {
  const out: Record<string, HttpHeaderValues> = {};
  for (const [name, v] of Object.entries(h)) {
    const p = joinPath(path, name);
    const problem = nameProblem(name);
    if (problem !== undefined) fail(p, problem);
    const entry = { values: v.values ?? [], secrets: v.secrets ?? [], files: v.files ?? [] };
    for (const value of [...entry.values, ...entry.secrets]) {
      if (/[\r\n\0]/.test(value)) fail(p, 'header values must not contain line breaks or NUL');
    }
    out[name] = entry;
  }
  return out;
}
