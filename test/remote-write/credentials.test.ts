// Credentials never reach a log line or the deployed template: URLs are redacted wherever they are
// logged, user-info in a remote-write URL (config or REMOTE_WRITE_URL) is refused at start, and
// literal credential headers or query parameters fail synth unless they come from Secrets Manager.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { ConfigError, parseConfig } from '../../lib/config/index.ts';
import { endpointsOf } from '../../lib/flush/remote-sender.ts';
import type { Logger } from '../../lib/log/logger.ts';
import { RemoteWriteClient } from '../../lib/remote-write/client.ts';
import { redactUrl, redactUrlsIn } from '../../lib/remote-write/redact.ts';
import { checkDeployConfig } from '../../infra/deploy-config-checks.ts';
import { floatSeries } from './fixtures.ts';
import { endpointFor, startReceiver, type Receiver } from './receiver.ts';

const PASSWORD = 's3cr3t-pw';
const API_KEY = 'k3y-value';

function capture() {
  const lines: string[] = [];
  const logger: Logger = {
    info: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`),
    warn: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`),
    error: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`),
  };
  return { lines, logger };
}

describe('credentials in remote-write URLs', () => {
  let rx: Receiver;
  before(async () => {
    rx = await startReceiver();
  });
  after(() => rx.close());

  test('redaction drops user-info and every query value, also inside free text', () => {
    assert.equal(
      redactUrl(`https://user:${PASSWORD}@prom.example.com/api/v1/write?api_key=${API_KEY}&x=1`),
      'https://prom.example.com/api/v1/write?api_key=REDACTED&x=REDACTED',
    );
    const text = redactUrlsIn(
      `Request cannot be constructed from a URL that includes credentials: http://u:${PASSWORD}@h:9/w?token=${API_KEY}`,
    );
    assert.ok(!text.includes(PASSWORD) && !text.includes(API_KEY), text);
    assert.match(text, /http:\/\/h:9\/w\?token=REDACTED/);
    assert.equal(redactUrl(`not a url //u:${PASSWORD}@x?k=${API_KEY}`), 'not a url //x?k=REDACTED');
  });

  test('redaction scans hostile text once (a quadratic scan of 1 MB would not finish)', { timeout: 5_000 }, () => {
    for (const text of [
      'a'.repeat(1_000_000),
      '?'.repeat(1_000_000),
      '//'.repeat(500_000),
      `x${'?a'.repeat(500_000)}`,
    ]) {
      assert.equal(typeof redactUrlsIn(text), 'string');
      assert.equal(typeof redactUrl(text), 'string');
    }
  });

  test('no log line or result of a client quotes the password or query value of its URL', async () => {
    const { lines, logger } = capture();
    const withKey = rx.url + `?api_key=${API_KEY}`;
    rx.reply({ status: 400, body: 'bad' });
    const results = [
      await new RemoteWriteClient(endpointFor(withKey), { addOrgIdHeader: true, logger }).send(
        't',
        [floatSeries('m', {}, 1)],
        { deadlineMs: Date.now() + 2000 },
      ),
    ];
    // a client is never built for a URL with user-info (the config refuses it first), and says so without the password
    let refusal = '';
    assert.throws(
      () =>
        new RemoteWriteClient(endpointFor(withKey.replace('http://', `http://user:${PASSWORD}@`)), {
          addOrgIdHeader: true,
          logger,
        }),
      (e: Error) => {
        refusal = e.message;
        return /must not carry credentials/.test(e.message);
      },
    );
    const everything = lines.join('\n') + JSON.stringify(results) + refusal;
    assert.ok(lines.length >= 1, 'the rejected request is logged with its endpoint');
    assert.ok(!everything.includes(PASSWORD), everything);
    assert.ok(!everything.includes(API_KEY), everything);
  });

  test('user-info in a configured URL is refused at load, naming the key and basic_auth, without echoing the password', () => {
    const text = `metrics_generator:\n  storage:\n    remote_write:\n      - url: https://user:${PASSWORD}@prom.example.com/api/v1/write\n`;
    assert.throws(
      () => parseConfig(text),
      (e: Error) =>
        e instanceof ConfigError &&
        e.path === 'metrics_generator.storage.remote_write[0].url' &&
        /basic_auth/.test(e.message) &&
        !e.message.includes(PASSWORD),
    );
    const unparsable = `metrics_generator:\n  storage:\n    remote_write:\n      - url: "https://user:${PASSWORD}@[bad/api?api_key=${API_KEY}"\n`;
    assert.throws(
      () => parseConfig(unparsable),
      (e: Error) => e instanceof ConfigError && !e.message.includes(PASSWORD) && !e.message.includes(API_KEY),
    );
  });

  test('REMOTE_WRITE_URL with user-info is refused with a clear error that does not echo the password', () => {
    const config = parseConfig('');
    assert.throws(
      () => endpointsOf(config, { REMOTE_WRITE_URL: `http://user:${PASSWORD}@127.0.0.1:9/api/v1/write` }),
      (e: Error) =>
        e instanceof ConfigError &&
        e.path === 'REMOTE_WRITE_URL' &&
        /credentials/.test(e.message) &&
        !e.message.includes(PASSWORD),
    );
    assert.throws(
      () => endpointsOf(config, { REMOTE_WRITE_URL: 'ftp://127.0.0.1/x' }),
      (e: Error) => e instanceof ConfigError && e.path === 'REMOTE_WRITE_URL',
    );
    assert.equal(endpointsOf(config, { REMOTE_WRITE_URL: 'http://127.0.0.1:9/api/v1/write' }).length, 1);
  });

  test("local mode's banner shows REMOTE_WRITE_URL redacted", async () => {
    const child = spawn(process.execPath, ['bin/msk-metrics-generator.js', 'local', '--port', '0', '--no-demo'], {
      env: {
        ...process.env,
        REMOTE_WRITE_URL: `http://127.0.0.1:9/api/v1/write?api_key=${API_KEY}`,
        KAFKA_BROKERS: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.on('exit', (code) => reject(new Error(`local exited ${code}: ${out}`)));
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ctrl-C')) resolve();
      });
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    }).finally(() => child.removeAllListeners('exit'));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    await exited;
    assert.match(out, /remote write: http:\/\/127\.0\.0\.1:9\/api\/v1\/write\?api_key=REDACTED/);
    assert.ok(!out.includes(API_KEY), out);
  });
});

describe('credential headers and query parameters at synth', () => {
  const endpoint = (extra: string, url = 'https://prom.example.com/api/v1/write') =>
    `metrics_generator:\n  storage:\n    remote_write:\n      - url: ${url}\n${extra}`;
  const paths = (text: string) => {
    parseConfig(text); // the synth checks run on configs the validator accepted
    return checkDeployConfig(text, 'cfg.yaml').errors.map((e) => e.path);
  };

  test('a literal credential header on an endpoint fails synth with its path', () => {
    assert.deepEqual(
      paths(endpoint('        headers: {X-API-Key: abc, X-Auth-Token: t, X-Scope-OrgID: team-a, X-Custom: ok}\n')),
      [
        'metrics_generator.storage.remote_write[0].headers.X-API-Key',
        'metrics_generator.storage.remote_write[0].headers.X-Auth-Token',
      ],
    );
  });

  test("a literal credential in a tenant's remote_write_headers fails synth with its path", () => {
    const text =
      'overrides:\n  defaults:\n    metrics_generator:\n      remote_write_headers: {Api-Key: abc}\n  team-a:\n    metrics_generator:\n      remote_write_headers: {X-Access-Token: t, X-Env: prod}\n';
    assert.deepEqual(paths(text), [
      'overrides.defaults.metrics_generator.remote_write_headers.Api-Key',
      'overrides.team-a.metrics_generator.remote_write_headers.X-Access-Token',
    ]);
  });

  test('credential headers that reference Secrets Manager pass', () => {
    const text =
      endpoint('        headers: {X-API-Key: "secretsmanager:api-key"}\n') +
      'overrides:\n  team-a:\n    metrics_generator:\n      remote_write_headers: {X-Access-Token: "secretsmanager:team-a-token"}\n';
    assert.deepEqual(paths(text), []);
  });

  test('a credential in the URL query fails synth; other query parameters pass', () => {
    assert.deepEqual(paths(endpoint('', `https://prom.example.com/api/v1/write?api_key=${API_KEY}`)), [
      'metrics_generator.storage.remote_write[0].url',
    ]);
    const errors = checkDeployConfig(
      endpoint('', `https://prom.example.com/api/v1/write?api_key=${API_KEY}`),
      'cfg.yaml',
    ).errors;
    assert.ok(!errors[0].message.includes(API_KEY), errors[0].message);
    assert.deepEqual(paths(endpoint('', 'https://prom.example.com/api/v1/write?region=eu')), []);
  });
});

describe('connection secrets at synth (tls_config, oauth2, http_headers, proxy_url)', () => {
  const endpoint = (extra: string) =>
    `metrics_generator:\n  storage:\n    remote_write:\n      - url: https://prom.example.com/api/v1/write\n${extra}`;
  const check = (text: string) => {
    parseConfig(text, { warn: () => {}, info: () => {} });
    return checkDeployConfig(text, 'cfg.yaml');
  };

  test('inline secrets fail synth with their path; secretsmanager references pass; plain files are noted', () => {
    const findings = check(
      endpoint(
        [
          '        tls_config: {ca_file: /opt/ca.pem, cert: CERT, key: KEY}',
          '        oauth2: {client_id: gen, client_secret: s3cr3t, token_url: "https://idp/token", tls_config: {key_file: "secretsmanager:idp:key", cert_file: "secretsmanager:idp:cert"}}',
          `        http_headers: {X-Api-Key: {values: [${API_KEY}]}, X-Token: {secrets: [t]}, X-Team: {values: [obs]}, X-Other-Key: {files: ["secretsmanager:k"]}}`,
          `        proxy_url: "http://u:${PASSWORD}@proxy:3128"`,
          '',
        ].join('\n'),
      ),
    );
    assert.deepEqual(findings.errors.map((e) => e.path).sort(), [
      'metrics_generator.storage.remote_write[0].http_headers.X-Api-Key.values',
      'metrics_generator.storage.remote_write[0].http_headers.X-Token.secrets',
      'metrics_generator.storage.remote_write[0].oauth2.client_secret',
      'metrics_generator.storage.remote_write[0].proxy_url',
      'metrics_generator.storage.remote_write[0].tls_config.key',
    ]);
    const text = findings.errors.map((e) => e.message).join('\n');
    assert.ok(!text.includes(PASSWORD) && !text.includes(API_KEY), text);
    assert.deepEqual(
      findings.warnings.filter((w) => w.includes('tls_config')).map((w) => w.split(':')[0]),
      ['metrics_generator.storage.remote_write[0].tls_config.ca_file'],
    );
  });

  test("a tenant's literal Authorization fails synth, and the message points at the runtime overrides and Secrets Manager", () => {
    const findings = check(
      'overrides:\n  team-a:\n    metrics_generator:\n      remote_write_headers: {Authorization: "Bearer t"}\n  team-b:\n    metrics_generator:\n      remote_write_headers: {Authorization: "secretsmanager:tenants:team-b"}\n',
    );
    assert.deepEqual(
      findings.errors.map((e) => e.path),
      ['overrides.team-a.metrics_generator.remote_write_headers.Authorization'],
    );
    assert.match(findings.errors[0].message, /runtime overrides/);
    assert.match(findings.errors[0].message, /secretsmanager:<secret>:<key>/);
  });
});

describe('credential headers from Secrets Manager at send time', () => {
  let rx: Receiver;
  before(async () => {
    rx = await startReceiver();
  });
  after(() => rx.close());

  test('a "secretsmanager:<key>" header value is resolved through the secret reader, per send', async () => {
    const reads: string[] = [];
    const client = new RemoteWriteClient(
      endpointFor(rx.url, { headers: { 'X-API-Key': 'secretsmanager:api-key', 'X-Env': 'prod' } }),
      {
        addOrgIdHeader: true,
        logger: capture().logger,
        readFile: async (path) => {
          reads.push(path);
          return `resolved-${reads.length}\n`;
        },
      },
    );
    await client.send('t', [floatSeries('m', {}, 1)], {
      deadlineMs: Date.now() + 2000,
      tenantHeaders: { 'X-Tenant-Token': 'secretsmanager:t-token' },
    });
    assert.deepEqual(reads.sort(), ['secretsmanager:api-key', 'secretsmanager:t-token']);
    const h = rx.received[0].headers;
    assert.match(String(h['x-api-key']), /^resolved-\d$/);
    assert.match(String(h['x-tenant-token']), /^resolved-\d$/);
    assert.equal(h['x-env'], 'prod');
  });

  test('an unreadable secret header fails the send as auth, without sending', async () => {
    rx.reset();
    const { lines, logger } = capture();
    const client = new RemoteWriteClient(endpointFor(rx.url, { headers: { 'X-API-Key': 'secretsmanager:missing' } }), {
      addOrgIdHeader: true,
      logger,
      readFile: async () => {
        throw new Error('secret has no string key "missing"');
      },
    });
    const result = await client.send('t', [floatSeries('m', {}, 1)], { deadlineMs: Date.now() + 2000 });
    assert.equal(rx.received.length, 0);
    assert.deepEqual(
      result.requests.map((r) => r.failure),
      ['auth'],
    );
    assert.ok(
      lines.some((l) => l.includes('X-API-Key') && l.includes('missing')),
      lines.join('\n'),
    );
  });
});
