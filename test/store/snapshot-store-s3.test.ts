// The saved state through the real S3 protocol (s3rver): parts written as objects under
// state/<epoch>/<attempt>/<part>, read back, the epoch two back deleted, a lost part named.
// The ObjectStore here is a minimal one of this test's own (the project's S3 store has its own tests).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { sdkDdb } from '../../lib/store/ddb.ts';
import { createTable, startLocalDynamo } from '../../lib/store/local-dynamo.ts';
import type { ObjectStore } from '../../lib/store/object-store.ts';
import { SnapshotStore, type FlusherState } from '../../lib/store/snapshot-store.ts';
import { SERIES_TABLE } from '../../lib/store/tables.ts';
import type { SeriesSnapshot } from '../../lib/series/registry-state.ts';

const BUCKET = 'state-test';
let dir: string;
let server: { close(): Promise<void> };
let client: S3Client;
let local: Awaited<ReturnType<typeof startLocalDynamo>>;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 's3rver-'));
  const s3rver = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: dir });
  const { port } = (await s3rver.run()) as { port: number };
  server = s3rver as unknown as { close(): Promise<void> };
  client = new S3Client({
    endpoint: `http://127.0.0.1:${port}`,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  local = await startLocalDynamo();
});
after(async () => {
  client.destroy();
  await server.close();
  await local.close();
  rmSync(dir, { recursive: true, force: true });
});

const objects: ObjectStore = {
  put: async (key, body) => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentLength: body.length }));
  },
  get: async (key) => {
    try {
      const out = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
      return out.Body === undefined ? new Uint8Array(0) : await out.Body.transformToByteArray();
    } catch (e) {
      if ((e as { name?: string }).name === 'NoSuchKey') return undefined;
      throw e;
    }
  },
  delete: async (key) => {
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
  },
};

async function keys(): Promise<string[]> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'state/' }));
  return (out.Contents ?? []).map((o) => o.Key!).sort();
}

function stateOf(epoch: number): FlusherState {
  const series: SeriesSnapshot[] = [];
  for (let i = 0; i < 3000; i++) {
    series.push({
      type: 'counter',
      name: 'calls_total',
      labels: [{ name: 'op', value: `op-${(i * 7919) % 100_003}-${epoch}` }],
      lastUpdatedMs: 1,
      overflow: false,
      value: i + epoch,
      zeroSent: true,
    });
  }
  return {
    epoch,
    clockMs: epoch,
    folded: [],
    tenants: { t: { version: 1, lastSentMs: 0, seriesLimitedTotal: 0, tombstones: [], series } },
    edges: {},
  };
}

test('saved state as S3 objects: saved, loaded back, the epoch two back deleted, a lost object named', async () => {
  await createTable(local.client, SERIES_TABLE, 'snap-s3');
  const store = new SnapshotStore(sdkDdb(local.client), 'snap-s3', { objects, objectPartBytes: 8 * 1024 });
  for (let e = 1; e <= 3; e++) {
    const out = await store.save(stateOf(e), e - 1, Date.now());
    assert.equal(out.medium, 'object');
  }
  const stored = await keys();
  assert.ok(stored.length >= 4, `${stored.length} objects`);
  assert.deepEqual(
    [...new Set(stored.map((k) => k.split('/')[1]))].sort(),
    ['2', '3'],
    'the current epoch and the one before it',
  );
  assert.deepEqual(await new SnapshotStore(sdkDdb(local.client), 'snap-s3', { objects }).load(), stateOf(3));
  const lost = stored.filter((k) => k.startsWith('state/3/'))[1];
  await objects.delete(lost);
  await assert.rejects(
    new SnapshotStore(sdkDdb(local.client), 'snap-s3', { objects }).load(),
    (e: Error) =>
      e.name === 'SnapshotMissingError' &&
      e.message.includes(`state epoch 3 (attempt ${lost.split('/')[2]}): snapshot part 1 of`),
  );
});
