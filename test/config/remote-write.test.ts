// metrics_generator.storage.remote_write validation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertConfigError, load } from './helpers.ts';

const PATH = 'metrics_generator.storage.remote_write';
const rw = (entries: string) => `metrics_generator: {storage: {remote_write: ${entries}}}`;

describe('remote_write', () => {
  test('tls_config, proxy, oauth2 and http_headers are read in Prometheus form', () => {
    const c = load(
      rw(`[{url: "https://x/w",
      tls_config: {ca_file: /ca.pem, cert_file: /c.pem, key_file: "secretsmanager:mtls-key", server_name: prom.internal, min_version: TLS13},
      proxy_url: "http://proxy:3128", no_proxy: "internal.example,10.0.0.0/8", proxy_connect_header: {X-Proxy-Team: [a, b]},
      oauth2: {client_id: gen, client_secret_file: /s, token_url: "https://idp/token", scopes: [write], endpoint_params: {audience: prom}},
      http_headers: {X-Api-Key: {files: ["secretsmanager:api-key"]}, X-Team: {values: [a]}}}]`),
    );
    const e = c.remoteWrite[0];
    assert.deepEqual(e.tls, {
      caFile: '/ca.pem',
      certFile: '/c.pem',
      keyFile: 'secretsmanager:mtls-key',
      serverName: 'prom.internal',
      insecureSkipVerify: false,
      minVersion: 'TLSv1.3',
    });
    assert.deepEqual(e.proxy, {
      url: 'http://proxy:3128',
      noProxy: 'internal.example,10.0.0.0/8',
      fromEnvironment: false,
      connectHeaders: { 'X-Proxy-Team': 'a, b' },
    });
    assert.deepEqual(e.oauth2, {
      clientId: 'gen',
      clientSecretFile: '/s',
      tokenUrl: 'https://idp/token',
      scopes: ['write'],
      endpointParams: { audience: 'prom' },
    });
    assert.deepEqual(e.httpHeaders, {
      'X-Api-Key': { values: [], secrets: [], files: ['secretsmanager:api-key'] },
      'X-Team': { values: ['a'], secrets: [], files: [] },
    });
  });

  test("a tenant's remote_write_headers may set Authorization (Tempo injects them as given), not protocol headers", () => {
    const c = load(
      'overrides:\n  team-a:\n    metrics_generator:\n      remote_write_headers: {Authorization: "Bearer team-a-token"}\n',
    );
    assert.deepEqual(c.tenant('team-a').remoteWriteHeaders, { Authorization: 'Bearer team-a-token' });
    assertConfigError(
      'overrides:\n  team-a:\n    metrics_generator:\n      remote_write_headers: {Content-Encoding: gzip}\n',
      'overrides.team-a.metrics_generator.remote_write_headers.Content-Encoding: this header is set by the remote-write protocol',
    );
  });

  test('several endpoints keep their order', () => {
    const c = load(rw('[{url: "http://a/w", name: a}, {url: "https://b/w", name: b}]'));
    assert.deepEqual(
      c.remoteWrite.map((e) => e.name),
      ['a', 'b'],
    );
  });

  test('numeric header values are read as text', () => {
    const c = load(rw('[{url: "http://a/w", headers: {X-Scope-OrgID: 1234}}]'));
    assert.deepEqual(c.remoteWrite[0].headers, { 'X-Scope-OrgID': '1234' });
  });

  const bad: [string, string, string][] = [
    ['url is required', '[{name: a}]', `${PATH}[0].url: is required`],
    ['url must parse', '[{url: "not a url"}]', `${PATH}[0].url: "not a url" is not a valid URL`],
    ['url must be http(s)', '[{url: "ftp://x/y"}]', `${PATH}[0].url: must be an http or https URL`],
    [
      'two auth methods',
      '[{url: "http://x", basic_auth: {username: u, password: p}, bearer_token: t}]',
      `${PATH}[0]: at most one of basic_auth`,
    ],
    [
      'sigv4 with bearer',
      '[{url: "http://x", sigv4: {region: r}, bearer_token_file: /t}]',
      `${PATH}[0]: at most one of`,
    ],
    [
      'token and token file',
      '[{url: "http://x", bearer_token: t, bearer_token_file: /t}]',
      `${PATH}[0]: set bearer_token or bearer_token_file, not both`,
    ],
    [
      'password and password file',
      '[{url: "http://x", basic_auth: {username: u, password: p, password_file: /p}}]',
      `${PATH}[0].basic_auth: set password or password_file, not both`,
    ],
    [
      'username required',
      '[{url: "http://x", basic_auth: {password: p}}]',
      `${PATH}[0].basic_auth.username: is required`,
    ],
    [
      'access key without secret',
      '[{url: "http://x", sigv4: {access_key: a}}]',
      `${PATH}[0].sigv4: set both access_key and secret_key`,
    ],
    [
      'non-bearer authorization',
      '[{url: "http://x", authorization: {type: Basic, credentials: c}}]',
      `${PATH}[0].authorization.type: not supported`,
    ],
    [
      'reserved header',
      '[{url: "http://x", headers: {Content-Type: x}}]',
      `${PATH}[0].headers.Content-Type: this header cannot be set here`,
    ],
    [
      'bad header name',
      '[{url: "http://x", headers: {"a b": x}}]',
      `${PATH}[0].headers.a b: "a b" is not a valid HTTP header name`,
    ],
    [
      'header value with newline',
      '[{url: "http://x", headers: {X-A: "a\\nb"}}]',
      `${PATH}[0].headers.X-A: header values must not contain line breaks`,
    ],
    [
      'duplicate names',
      '[{url: "http://a", name: n}, {url: "http://b", name: n}]',
      `${PATH}[1].name: duplicates the name of ${PATH}[0]`,
    ],
    ['bad timeout', '[{url: "http://x", remote_timeout: soon}]', `${PATH}[0].remote_timeout: must be a duration`],
    [
      'zero max_samples_per_send',
      '[{url: "http://x", queue_config: {max_samples_per_send: 0}}]',
      `${PATH}[0].queue_config.max_samples_per_send: must be a positive integer`,
    ],
    [
      'tls_config ca and ca_file',
      '[{url: "https://x", tls_config: {ca: x, ca_file: /ca}}]',
      `${PATH}[0].tls_config: at most one of ca and ca_file`,
    ],
    [
      'tls_config cert without key',
      '[{url: "https://x", tls_config: {cert_file: /c}}]',
      `${PATH}[0].tls_config: a client certificate needs key or key_file`,
    ],
    [
      'tls_config key without cert',
      '[{url: "https://x", tls_config: {key: k}}]',
      `${PATH}[0].tls_config: a client key needs cert or cert_file`,
    ],
    [
      'tls_config bad version',
      '[{url: "https://x", tls_config: {min_version: TLS14}}]',
      `${PATH}[0].tls_config.min_version: must be one of`,
    ],
    [
      'tls_config min over max',
      '[{url: "https://x", tls_config: {min_version: TLS13, max_version: TLS12}}]',
      `${PATH}[0].tls_config.max_version: must not be lower than min_version`,
    ],
    [
      'proxy_url with proxy_from_environment',
      '[{url: "https://x", proxy_url: "http://p:3128", proxy_from_environment: true}]',
      `${PATH}[0].proxy_url: must not be set with proxy_from_environment`,
    ],
    [
      'no_proxy without proxy_url',
      '[{url: "https://x", no_proxy: "a.example"}]',
      `${PATH}[0].no_proxy: needs proxy_url`,
    ],
    [
      'socks proxy',
      '[{url: "https://x", proxy_url: "socks5://p:1080"}]',
      `${PATH}[0].proxy_url: only http and https proxies`,
    ],
    [
      'oauth2 with basic_auth',
      '[{url: "https://x", basic_auth: {username: u, password_file: /p}, oauth2: {client_id: a, token_url: "https://t"}}]',
      `${PATH}[0]: at most one of`,
    ],
    [
      'oauth2 token_url required',
      '[{url: "https://x", oauth2: {client_id: a}}]',
      `${PATH}[0].oauth2.token_url: is required`,
    ],
    [
      'oauth2 secret twice',
      '[{url: "https://x", oauth2: {client_id: a, token_url: "https://t", client_secret: s, client_secret_file: /s}}]',
      `${PATH}[0].oauth2: at most one of client_secret and client_secret_file`,
    ],
    [
      'http_headers reserved',
      '[{url: "https://x", http_headers: {Authorization: {values: [x]}}}]',
      `${PATH}[0].http_headers.Authorization: this header cannot be set here`,
    ],
    [
      'remote write 2.0',
      '[{url: "https://x", protobuf_message: io.prometheus.write.v2.Request}]',
      `${PATH}[0].protobuf_message: must be one of prometheus.WriteRequest`,
    ],
    ['not a list', '{url: "http://x"}', `${PATH}: must be a list`],
  ];
  for (const [name, entries, prefix] of bad) test(name, () => assertConfigError(rw(entries), prefix));
});

test('sigv4.role_arn is read (assumed through STS at send time)', () => {
  const c = load(
    'metrics_generator:\n  storage:\n    remote_write:\n      - url: https://aps.example/api/v1/remote_write\n        sigv4: {region: eu-west-1, role_arn: "arn:aws:iam::1:role/r"}\n',
  );
  assert.equal(c.remoteWrite[0].sigv4?.roleArn, 'arn:aws:iam::1:role/r');
});
