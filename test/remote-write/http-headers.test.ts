// http_headers (values, secrets, files, Secrets Manager references) and a tenant's
// remote_write_headers carrying Authorization, as a receiver sees them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretAwareReadFile } from '../../lib/flush/secret-reader.ts';
import type { Logger } from '../../lib/log/logger.ts';
import { RemoteWriteClient } from '../../lib/remote-write/index.ts';
import { endpointFor, startReceiver, type Receiver } from './receiver.ts';
import { floatSeries } from './fixtures.ts';

let rx: Receiver;
before(async () => {
  rx = await startReceiver();
});
after(() => rx.close());

function capture(): { lines: string[]; logger: Logger } {
  const lines: string[] = [];
  const push = (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`);
  return { lines, logger: { info: push, warn: push, error: push } };
}

test('http_headers: values, secrets, files (re-read every send) and secretsmanager references all reach the receiver', async () => {
  rx.reset();
  const dir = mkdtempSync(join(tmpdir(), 'mmg-hh-'));
  const keyFile = join(dir, 'api-key');
  writeFileSync(keyFile, 'file-key-1\n');
  const readFile = secretAwareReadFile(undefined, async (id) => {
    assert.equal(id, 'team-a/prom');
    return JSON.stringify({ tenant: 'sm-tenant-token' });
  });
  const endpoint = endpointFor(rx.url, {
    httpHeaders: {
      'X-Api-Key': { values: [], secrets: [], files: [keyFile] },
      'X-Team': { values: ['obs', 'platform'], secrets: [], files: [] },
      'X-Token': { values: [], secrets: ['literal-secret'], files: ['secretsmanager:team-a/prom:tenant'] },
    },
  });
  const { lines, logger } = capture();
  const client = new RemoteWriteClient(endpoint, { addOrgIdHeader: false, logger, readFile });
  assert.equal(
    (await client.send('single-tenant', [floatSeries('up', {}, 1)], { deadlineMs: Date.now() + 3_000 })).ok,
    true,
  );
  const h = rx.received[0].headers;
  assert.equal(h['x-api-key'], 'file-key-1');
  assert.equal(h['x-team'], 'obs, platform');
  assert.equal(h['x-token'], 'literal-secret, sm-tenant-token');
  writeFileSync(keyFile, 'file-key-2');
  await client.send('single-tenant', [floatSeries('up', {}, 2)], { deadlineMs: Date.now() + 3_000 });
  assert.equal(rx.received[1].headers['x-api-key'], 'file-key-2');
  assert.doesNotMatch(lines.join('\n'), /file-key|literal-secret|sm-tenant-token/);
});

test('http_headers: a file that cannot be read fails the send as auth, naming header and file', async () => {
  const { logger } = capture();
  const endpoint = endpointFor(rx.url, {
    httpHeaders: { 'X-Api-Key': { values: [], secrets: [], files: ['/nonexistent/key'] } },
  });
  const r = await new RemoteWriteClient(endpoint, { addOrgIdHeader: false, logger }).send(
    'single-tenant',
    [floatSeries('up', {}, 1)],
    { deadlineMs: Date.now() + 3_000 },
  );
  assert.equal(r.ok, false);
  assert.equal(r.requests[0].failure, 'auth');
  assert.match(r.requests[0].error ?? '', /http_headers\.X-Api-Key file \/nonexistent\/key/);
});

test("a tenant's Authorization header (remote_write_headers) is sent as given, over the endpoint's basic_auth", async () => {
  rx.reset();
  const { logger } = capture();
  const endpoint = endpointFor(rx.url, { basicAuth: { username: 'gen', password: 'pw' } });
  const client = new RemoteWriteClient(endpoint, { addOrgIdHeader: true, logger });
  await client.send('team-a', [floatSeries('up', {}, 1)], {
    deadlineMs: Date.now() + 3_000,
    tenantHeaders: { authorization: 'Bearer team-a-token' },
  });
  await client.send('team-b', [floatSeries('up', {}, 1)], { deadlineMs: Date.now() + 3_000 });
  assert.equal(rx.received[0].headers.authorization, 'Bearer team-a-token');
  assert.equal(rx.received[0].headers['x-scope-orgid'], 'team-a');
  assert.equal(rx.received[1].headers.authorization, `Basic ${Buffer.from('gen:pw').toString('base64')}`);
});

test("a tenant's Authorization header may name a secret (secretsmanager:<secret>:<key>)", async () => {
  rx.reset();
  const { lines, logger } = capture();
  const readFile = secretAwareReadFile(undefined, async () => JSON.stringify({ auth: 'Bearer from-secrets-manager' }));
  const client = new RemoteWriteClient(endpointFor(rx.url), { addOrgIdHeader: false, logger, readFile });
  await client.send('team-a', [floatSeries('up', {}, 1)], {
    deadlineMs: Date.now() + 3_000,
    tenantHeaders: { Authorization: 'secretsmanager:tenants/team-a:auth' },
  });
  assert.equal(rx.received[0].headers.authorization, 'Bearer from-secrets-manager');
  assert.doesNotMatch(lines.join('\n'), /from-secrets-manager/);
});
