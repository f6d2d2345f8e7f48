// metrics_generator.storage.remote_write validation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertConfigError, load } from './helpers.ts';

const PATH = 'metrics_generator.storage.remote_write';
const rw = (entries: string) => `metrics_generator: {storage: {remote_write: ${entries}}}`;

describe('remote_write', () => {
  test('several endpoints keep their order', () => {
    const c = load(rw('[{url: "http://a/w", name: a}, {url: "https://b/w", name: b}]'));
    assert.deepEqual(c.remoteWrite.map((e) => e.name), ['a', 'b']);
  });

  test('numeric header values are read as text', () => {
    const c = load(rw('[{url: "http://a/w", headers: {X-Scope-OrgID: 1234}}]'));
    assert.deepEqual(c.remoteWrite[0].headers, { 'X-Scope-OrgID': '1234' });
  });

  const bad: [string, string, string][] = [
    ['url is required', '[{name: a}]', `${PATH}[0].url: is required`],
    ['url must parse', '[{url: "not a url"}]', `${PATH}[0].url: "not a url" is not a valid URL`],
    ['url must be http(s)', '[{url: "ftp://x/y"}]', `${PATH}[0].url: must be an http or https URL`],
    ['two auth methods', '[{url: "http://x", basic_auth: {username: u, password: p}, bearer_token: t}]', `${PATH}[0]: at most one of basic_auth`],
    ['sigv4 with bearer', '[{url: "http://x", sigv4: {region: r}, bearer_token_file: /t}]', `${PATH}[0]: at most one of`],
    ['token and token file', '[{url: "http://x", bearer_token: t, bearer_token_file: /t}]', `${PATH}[0]: set bearer_token or bearer_token_file, not both`],
    ['password and password file', '[{url: "http://x", basic_auth: {username: u, password: p, password_file: /p}}]', `${PATH}[0].basic_auth: set password or password_file, not both`],
    ['username required', '[{url: "http://x", basic_auth: {password: p}}]', `${PATH}[0].basic_auth.username: is required`],
    ['access key without secret', '[{url: "http://x", sigv4: {access_key: a}}]', `${PATH}[0].sigv4: set both access_key and secret_key`],
    ['non-bearer authorization', '[{url: "http://x", authorization: {type: Basic, credentials: c}}]', `${PATH}[0].authorization.type: not supported`],
    ['reserved header', '[{url: "http://x", headers: {Content-Type: x}}]', `${PATH}[0].headers.Content-Type: this header cannot be set here`],
    ['bad header name', '[{url: "http://x", headers: {"a b": x}}]', `${PATH}[0].headers.a b: "a b" is not a valid HTTP header name`],
    ['header value with newline', '[{url: "http://x", headers: {X-A: "a\\nb"}}]', `${PATH}[0].headers.X-A: header values must not contain line breaks`],
    ['duplicate names', '[{url: "http://a", name: n}, {url: "http://b", name: n}]', `${PATH}[1].name: duplicates the name of ${PATH}[0]`],
    ['bad timeout', '[{url: "http://x", remote_timeout: soon}]', `${PATH}[0].remote_timeout: must be a duration`],
    ['zero max_samples_per_send', '[{url: "http://x", queue_config: {max_samples_per_send: 0}}]', `${PATH}[0].queue_config.max_samples_per_send: must be a positive integer`],
    ['tls_config', '[{url: "https://x", tls_config: {insecure_skip_verify: true}}]', `${PATH}[0].tls_config: not supported`],
    ['oauth2', '[{url: "https://x", oauth2: {client_id: a}}]', `${PATH}[0].oauth2: not supported`],
    ['remote write 2.0', '[{url: "https://x", protobuf_message: io.prometheus.write.v2.Request}]', `${PATH}[0].protobuf_message: must be one of prometheus.WriteRequest`],
    ['not a list', '{url: "http://x"}', `${PATH}: must be a list`],
  ];
  for (const [name, entries, prefix] of bad) test(name, () => assertConfigError(rw(entries), prefix));
});

test('sigv4.role_arn is rejected with the key path (no STS client is bundled)', () => {
  assert.throws(
    () => load('metrics_generator:\n  storage:\n    remote_write:\n      - url: https://aps.example/api/v1/remote_write\n        sigv4: {region: eu-west-1, role_arn: "arn:aws:iam::1:role/r"}\n'),
    /metrics_generator\.storage\.remote_write\[0\]\.sigv4\.role_arn: not supported/,
  );
});
