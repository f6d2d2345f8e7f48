import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secretAwareReadFile } from '../../lib/flush/secret-reader.ts';
import { Clock } from '../helpers/clock.ts';

test('secretsmanager:<key> reads a key of the JSON secret, fetched once per refresh period; other paths are files', async () => {
  let fetches = 0;
  const clock = new Clock(0);
  const read = secretAwareReadFile(
    'arn:aws:secretsmanager:eu-west-1:1:secret:rw',
    async (arn) => {
      fetches++;
      assert.equal(arn, 'arn:aws:secretsmanager:eu-west-1:1:secret:rw');
      return JSON.stringify({ mimir: `pw-${fetches}`, n: 1 });
    },
    clock.read,
  );
  assert.equal(await read('secretsmanager:mimir'), 'pw-1');
  assert.equal(await read('secretsmanager:mimir'), 'pw-1');
  clock.now += 6 * 60_000; // rotated secrets are picked up
  assert.equal(await read('secretsmanager:mimir'), 'pw-2');
  assert.equal(fetches, 2);
  await assert.rejects(read('secretsmanager:absent'), /no string key "absent"/);
  await assert.rejects(read('secretsmanager:n'), /no string key "n"/);
  const dir = mkdtempSync(join(tmpdir(), 'mmg-secret-'));
  writeFileSync(join(dir, 'token'), 'file-token');
  assert.equal(await read(join(dir, 'token')), 'file-token');
});

test('without REMOTE_WRITE_SECRET_ARN, or with a non-JSON secret, the error says what to fix', async () => {
  await assert.rejects(secretAwareReadFile(undefined)('secretsmanager:x'), /needs REMOTE_WRITE_SECRET_ARN/);
  await assert.rejects(secretAwareReadFile('arn', async () => 'plain text')('secretsmanager:x'), /not a JSON object/);
});

test('secretsmanager:<secret>:<key> reads a key of a named secret (name or ARN), each secret cached on its own', async () => {
  const fetched: string[] = [];
  const read = secretAwareReadFile(undefined, async (id) => {
    fetched.push(id);
    return JSON.stringify(id === 'team-a/prom' ? { token: 'a-token' } : { token: 'arn-token' });
  });
  assert.equal(await read('secretsmanager:team-a/prom:token'), 'a-token');
  assert.equal(await read('secretsmanager:arn:aws:secretsmanager:eu-west-1:1:secret:rw-AbC:token'), 'arn-token');
  assert.equal(await read('secretsmanager:team-a/prom:token'), 'a-token');
  assert.deepEqual(fetched, ['team-a/prom', 'arn:aws:secretsmanager:eu-west-1:1:secret:rw-AbC']);
  await assert.rejects(read('secretsmanager:team-a/prom:'), /names no key/);
});
