// The S3 object store against the real S3 protocol (s3rver): bytes round-trip exactly, a missing
// key is undefined, and every other failure throws (the caller's batch is retried).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Client } from '@aws-sdk/client-s3';
import { S3ObjectStore, objectStoreFromEnv } from '../../lib/store/s3-object-store.ts';
import { startLocalS3, type LocalS3 } from '../helpers/s3rver.ts';

describe('S3 object store', () => {
  let s3: LocalS3;
  before(async () => {
    s3 = await startLocalS3('mmg-data');
  });
  after(() => s3.close());

  test('put then get returns the same bytes; binary, empty and large bodies', async () => {
    const store = new S3ObjectStore(s3.client, 'mmg-data');
    const binary = Uint8Array.from({ length: 256 }, (_, i) => i);
    const large = new Uint8Array(3 * 1024 * 1024);
    for (let i = 0; i < large.length; i++) large[i] = (i * 2654435761) >>> 24;
    for (const [key, body] of [
      ['deltas/traces/0/x', binary],
      ['deltas/empty', new Uint8Array(0)],
      ['state/1/a/0', large],
    ] as const) {
      await store.put(key, body);
      const got = await store.get(key);
      assert.ok(got !== undefined, key);
      assert.equal(got.length, body.length, key);
      assert.ok(Buffer.from(got).equals(Buffer.from(body)), key);
    }
  });

  test('a key never written, and a deleted key, read as undefined; deleting a missing key is fine', async () => {
    const store = new S3ObjectStore(s3.client, 'mmg-data');
    assert.equal(await store.get('deltas/never-written'), undefined);
    await store.put('deltas/gone', Uint8Array.of(1, 2, 3));
    await store.delete('deltas/gone');
    assert.equal(await store.get('deltas/gone'), undefined);
    await store.delete('deltas/gone');
  });

  test('a missing bucket or an unreachable server throws instead of answering undefined', async () => {
    const missingBucket = new S3ObjectStore(s3.client, 'no-such-bucket');
    await assert.rejects(missingBucket.get('deltas/x'), (e: Error) => e.name === 'NoSuchBucket');
    await assert.rejects(missingBucket.put('deltas/x', Uint8Array.of(1)));
    const down = new S3Client({
      endpoint: 'http://127.0.0.1:1',
      forcePathStyle: true,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const unreachable = new S3ObjectStore(down, 'mmg-data');
    await assert.rejects(unreachable.get('deltas/x'));
    await assert.rejects(unreachable.put('deltas/x', Uint8Array.of(1)));
    down.destroy();
  });

  test('DATA_BUCKET names the bucket; without it there is no object store', async () => {
    assert.equal(objectStoreFromEnv({}), undefined);
    assert.equal(objectStoreFromEnv({ DATA_BUCKET: '' }), undefined);
    const store = objectStoreFromEnv({ DATA_BUCKET: 'mmg-data' }, s3.client);
    assert.ok(store !== undefined);
    assert.equal(store.bucket, 'mmg-data');
    await store.put('deltas/env', Uint8Array.of(7));
    assert.deepEqual([...((await store.get('deltas/env')) ?? [])], [7]);
  });
});
