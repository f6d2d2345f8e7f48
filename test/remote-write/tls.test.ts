// tls_config against a real HTTPS receiver with a CA made for the test (tls-fixtures.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RemoteWriteClient } from '../../lib/remote-write/index.ts';
import type { TlsSettings } from '../../lib/remote-write/endpoint.ts';
import { endpointFor } from './receiver.ts';
import { floatSeries } from './fixtures.ts';
import { startHttpsServer, testPki, type HttpsServer } from './tls-fixtures.ts';

const silent = { info() {}, warn() {}, error() {} };
let plain: HttpsServer;
let mutual: HttpsServer;
let tls12: HttpsServer;

before(async () => {
  testPki();
  [plain, mutual, tls12] = await Promise.all([
    startHttpsServer(),
    startHttpsServer({ requireClientCert: true }),
    startHttpsServer({ maxVersion: 'TLSv1.2' }),
  ]);
});
after(() => Promise.all([plain.close(), mutual.close(), tls12.close()]));

/** Expected failures are retried until the deadline (as Prometheus retries network errors): keep it short. */
async function sendTo(host: string, port: number, tls: TlsSettings | undefined, deadlineMs = 3_000) {
  const client = new RemoteWriteClient(
    endpointFor(`https://${host}:${port}/api/v1/write`, { ...(tls !== undefined && { tls }) }),
    {
      addOrgIdHeader: false,
      logger: silent,
      // a failed try is not repeated within the short deadlines below, so its error is the one reported
      backoff: { minMs: 10_000, maxMs: 10_000 },
    },
  );
  return client.send('single-tenant', [floatSeries('up', {}, 1)], { deadlineMs: Date.now() + deadlineMs });
}

test('tls_config.ca_file makes a receiver signed by a private CA trusted; without it, or with another CA, the send fails', async () => {
  const pki = testPki();
  const ok = await sendTo('127.0.0.1', plain.port, { caFile: pki.caFile, insecureSkipVerify: false });
  assert.equal(ok.ok, true, JSON.stringify(ok.requests));
  const noCa = await sendTo('127.0.0.1', plain.port, undefined, 300);
  assert.equal(noCa.ok, false);
  assert.match(JSON.stringify(noCa.requests), /self[- ]signed|unable to verify|certificate/i);
  const wrongCa = await sendTo('127.0.0.1', plain.port, { caFile: pki.otherCaFile, insecureSkipVerify: false }, 300);
  assert.equal(wrongCa.ok, false);
});

test('tls_config.ca (inline PEM) works like ca_file', async () => {
  const r = await sendTo('127.0.0.1', plain.port, {
    ca: readFileSync(testPki().caFile, 'utf8'),
    insecureSkipVerify: false,
  });
  assert.equal(r.ok, true, JSON.stringify(r.requests));
});

test('tls_config.server_name checks the certificate against that name instead of the URL host', async () => {
  const pki = testPki();
  // the certificate names prom.internal, not "127.0.0.2"... so connect by a name it does not carry
  const wrong = await sendTo(
    '127.0.0.1',
    plain.port,
    { caFile: pki.caFile, serverName: 'other.internal', insecureSkipVerify: false },
    300,
  );
  assert.equal(wrong.ok, false);
  assert.match(JSON.stringify(wrong.requests), /altnames|does not match|hostname/i);
  const right = await sendTo('127.0.0.1', plain.port, {
    caFile: pki.caFile,
    serverName: 'prom.internal',
    insecureSkipVerify: false,
  });
  assert.equal(right.ok, true, JSON.stringify(right.requests));
});

test('tls_config.insecure_skip_verify sends to an untrusted receiver', async () => {
  const r = await sendTo('127.0.0.1', plain.port, { insecureSkipVerify: true });
  assert.equal(r.ok, true, JSON.stringify(r.requests));
});

test('mTLS: cert_file and key_file present a client certificate; without one the receiver refuses the connection', async () => {
  const pki = testPki();
  const before = mutual.seen.length;
  const without = await sendTo('127.0.0.1', mutual.port, { caFile: pki.caFile, insecureSkipVerify: false }, 300);
  assert.equal(without.ok, false);
  assert.equal(mutual.seen.length, before);
  const withCert = await sendTo('127.0.0.1', mutual.port, {
    caFile: pki.caFile,
    certFile: pki.clientCertFile,
    keyFile: pki.clientKeyFile,
    insecureSkipVerify: false,
  });
  assert.equal(withCert.ok, true, JSON.stringify(withCert.requests));
  assert.equal(mutual.seen.at(-1)?.clientCn, 'client');
});

test('mTLS with inline cert and key, and min_version/max_version', async () => {
  const pki = testPki();
  const cert = readFileSync(pki.clientCertFile, 'utf8');
  const key = readFileSync(pki.clientKeyFile, 'utf8');
  const inline = await sendTo('127.0.0.1', mutual.port, { caFile: pki.caFile, cert, key, insecureSkipVerify: false });
  assert.equal(inline.ok, true, JSON.stringify(inline.requests));
  const tooNew = await sendTo(
    '127.0.0.1',
    tls12.port,
    { caFile: pki.caFile, minVersion: 'TLSv1.3', insecureSkipVerify: false },
    300,
  );
  assert.equal(tooNew.ok, false);
  const capped = await sendTo('127.0.0.1', plain.port, {
    caFile: pki.caFile,
    maxVersion: 'TLSv1.2',
    insecureSkipVerify: false,
  });
  assert.equal(capped.ok, true, JSON.stringify(capped.requests));
});

test('a key file that cannot be read fails the send naming the setting, not its content', async () => {
  const pki = testPki();
  const r = await sendTo(
    '127.0.0.1',
    mutual.port,
    { caFile: pki.caFile, certFile: pki.clientCertFile, keyFile: '/nonexistent/client.key', insecureSkipVerify: false },
    300,
  );
  assert.equal(r.ok, false);
  assert.equal(r.requests[0].failure, 'auth', 'a missing file is not retried as a network fault');
  assert.equal(r.requests[0].attempts, 1);
  assert.match(r.requests[0].error ?? '', /tls_config\.key_file \/nonexistent\/client\.key/);
});
