// oauth2 client credentials against a local token endpoint (plain http and over TLS with its own
// tls_config), the token then carried to a real receiver.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RemoteWriteClient } from '../../lib/remote-write/index.ts';
import { OAuth2TokenSource } from '../../lib/remote-write/oauth2.ts';
import type { OAuth2Settings } from '../../lib/remote-write/endpoint.ts';
import { endpointFor, startReceiver, type Receiver } from './receiver.ts';
import { floatSeries } from './fixtures.ts';
import { startHttpsServer, testPki, type HttpsServer } from './tls-fixtures.ts';
import { Clock } from '../helpers/clock.ts';

interface TokenRequest {
  readonly headers: IncomingHttpHeaders;
  readonly form: Record<string, string>;
}

const tokenRequests: TokenRequest[] = [];
/** Answers of the token endpoint; the default issues tok-<n> valid for 60 s. */
let answer: (n: number, r: TokenRequest) => { status: number; body: string } = (n) => ({
  status: 200,
  body: JSON.stringify({ access_token: `tok-${n}`, token_type: 'bearer', expires_in: 60 }),
});
let tokenServer: Server;
let tokenUrl: string;
let receiver: Receiver;
let secureTokens: HttpsServer;

before(async () => {
  tokenServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        headers: req.headers,
        form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString())),
      };
      tokenRequests.push(r);
      const a = answer(tokenRequests.length, r);
      res.writeHead(a.status, { 'Content-Type': 'application/json' });
      res.end(a.body);
    });
  });
  await new Promise<void>((resolve) => tokenServer.listen(0, '127.0.0.1', resolve));
  tokenUrl = `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/oauth/token`;
  testPki();
  receiver = await startReceiver();
  secureTokens = await startHttpsServer({
    respond: () => ({
      status: 200,
      body: '{"access_token":"tls-token","expires_in":3600}',
      headers: { 'Content-Type': 'application/json' },
    }),
  });
});
after(async () => {
  tokenServer.closeAllConnections();
  await new Promise<void>((resolve) => tokenServer.close(() => resolve()));
  await Promise.all([receiver.close(), secureTokens.close()]);
});

function settings(extra: Partial<OAuth2Settings> = {}): OAuth2Settings {
  return {
    clientId: 'generator',
    clientSecret: 's3cret',
    tokenUrl,
    scopes: ['metrics:write', 'metrics:read'],
    endpointParams: { audience: 'mimir' },
    ...extra,
  };
}

test('the client-credentials token goes to the receiver as Bearer; the token request carries id, secret, scopes and endpoint_params', async () => {
  tokenRequests.length = 0;
  receiver.reset();
  const client = new RemoteWriteClient(endpointFor(receiver.url, { oauth2: settings() }), {
    addOrgIdHeader: false,
    logger: { info() {}, warn() {}, error() {} },
  });
  const r = await client.send('single-tenant', [floatSeries('up', {}, 1)], { deadlineMs: Date.now() + 3_000 });
  assert.equal(r.ok, true, JSON.stringify(r.requests));
  assert.equal(receiver.received[0].headers.authorization, 'Bearer tok-1');
  assert.equal(tokenRequests.length, 1);
  const t = tokenRequests[0];
  assert.equal(t.headers.authorization, `Basic ${Buffer.from('generator:s3cret').toString('base64')}`);
  assert.equal(t.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.deepEqual(t.form, {
    grant_type: 'client_credentials',
    scope: 'metrics:write metrics:read',
    audience: 'mimir',
  });
  // a second send reuses the token
  await client.send('single-tenant', [floatSeries('up', {}, 2)], { deadlineMs: Date.now() + 3_000 });
  assert.equal(tokenRequests.length, 1);
  assert.equal(receiver.received[1].headers.authorization, 'Bearer tok-1');
});

test('a token is kept until 10 s before expires_in and then fetched again; a changed secret file fetches a new one', async () => {
  tokenRequests.length = 0;
  const clock = new Clock(1_000_000);
  let secret = 'first';
  const source = new OAuth2TokenSource(
    settings({ clientSecret: undefined, clientSecretFile: '/run/secret' }),
    async () => `${secret}\n`,
    clock.read,
  );
  assert.equal(await source.authorization(), 'Bearer tok-1');
  clock.now += 49_000;
  assert.equal(await source.authorization(), 'Bearer tok-1');
  clock.now += 2_000; // 51 s: within 10 s of the 60 s expiry
  assert.equal(await source.authorization(), 'Bearer tok-2');
  secret = 'rotated';
  assert.equal(await source.authorization(), 'Bearer tok-3');
  assert.equal(tokenRequests[2].headers.authorization, `Basic ${Buffer.from('generator:rotated').toString('base64')}`);
  // concurrent callers share one request
  clock.now += 60_000;
  const both = await Promise.all([source.authorization(), source.authorization()]);
  assert.deepEqual(both, ['Bearer tok-4', 'Bearer tok-4']);
  assert.equal(tokenRequests.length, 4);
});

test('an endpoint refusing Basic client auth gets client_id/client_secret in the form, and that is kept', async () => {
  tokenRequests.length = 0;
  const saved = answer;
  answer = (n, r) =>
    r.headers.authorization !== undefined ? { status: 401, body: '{"error":"invalid_client"}' } : saved(n, r);
  try {
    const clock = new Clock(0);
    const source = new OAuth2TokenSource(settings(), async () => '', clock.read);
    assert.equal(await source.authorization(), 'Bearer tok-2');
    assert.equal(tokenRequests[1].form.client_id, 'generator');
    assert.equal(tokenRequests[1].form.client_secret, 's3cret');
    clock.now += 120_000;
    assert.equal(await source.authorization(), 'Bearer tok-3');
    assert.equal(tokenRequests.length, 3, 'no second try with Basic');
  } finally {
    answer = saved;
  }
});

test('a refused token request fails the send as an auth failure naming the status and error code, never the secret', async () => {
  tokenRequests.length = 0;
  const saved = answer;
  answer = () => ({ status: 400, body: '{"error":"invalid_scope","echo":"s3cret"}' });
  const warnings: string[] = [];
  try {
    const client = new RemoteWriteClient(endpointFor(receiver.url, { oauth2: settings() }), {
      addOrgIdHeader: false,
      logger: { info() {}, warn: (m, f) => warnings.push(`${m} ${JSON.stringify(f)}`), error() {} },
    });
    const r = await client.send('single-tenant', [floatSeries('up', {}, 1)], { deadlineMs: Date.now() + 3_000 });
    assert.equal(r.ok, false);
    assert.equal(r.requests[0].failure, 'auth');
    assert.match(r.requests[0].error ?? '', /answered 400 \(invalid_scope\)/);
    assert.doesNotMatch(JSON.stringify(r) + warnings.join('\n'), /s3cret/);
  } finally {
    answer = saved;
  }
});

test('oauth2.tls_config: the token endpoint is reached over TLS with its own CA', async () => {
  const source = new OAuth2TokenSource(
    settings({
      tokenUrl: `https://127.0.0.1:${secureTokens.port}/token`,
      tls: { caFile: testPki().caFile, insecureSkipVerify: false },
    }),
    async (p) => (await import('node:fs/promises')).readFile(p, 'utf8'),
  );
  assert.equal(await source.authorization(), 'Bearer tls-token');
  const untrusted = new OAuth2TokenSource(
    settings({ tokenUrl: `https://127.0.0.1:${secureTokens.port}/token` }),
    async () => '',
  );
  await assert.rejects(untrusted.authorization(), /oauth2 token request failed/);
});
