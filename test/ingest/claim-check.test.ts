// The claim check on the ingest side: a delta above the threshold is PUT to the object store
// under a key naming topic, partition, offsets and attempt, and its item holds only the key, size
// and CRC-32; small deltas, and every delta without an object store, stay inline as before. What
// the flusher would fold is the same either way.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { crc32 } from '../../lib/delta/crc32.ts';
import { lambdaFlushContainer } from '../../lib/flush/flush-handler.ts';
import { ingestEvent, lambdaIngestContainer } from '../../lib/ingest/ingest-handler.ts';
import { createTable } from '../../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../../lib/store/tables.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { DEFAULT_DELTA_OBJECT_THRESHOLD_BYTES } from '../../lib/store/delta-objects.ts';
import { deltaPk } from '../../lib/store/keys.ts';
import { MemoryObjectStore } from '../../lib/store/object-store.ts';
import { S3ObjectStore } from '../../lib/store/s3-object-store.ts';
import {
  committedDeltas,
  committedState,
  eventOf,
  makeRecords,
  RECORD_TIME_MS,
  startStore,
  TABLE,
  testContext,
} from '../helpers/ingest-harness.ts';
import { startLocalS3 } from '../helpers/s3rver.ts';
import { BASE_NS, buildResourceSpans, encodePushBytesRequest, encodeTempoTrace } from '../../testing/build.ts';
import { wrapDdb } from '../../testing/ddb-wrapper.ts';

describe('ingest claim check for large deltas', async () => {
  const store = await startStore();
  after(() => store.close());

  const items = async (topic: string, partition: number) =>
    (
      await store.client.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: deltaPk(topic, partition) } },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];

  test('a delta above the threshold goes to the object store; its item holds key, size and crc32', async () => {
    const objects = new MemoryObjectStore();
    const attempts = ['att-big', 'att-small'];
    const ctx = testContext(store.ddb, { objects, objectThresholdBytes: 1000, newAttemptId: () => attempts.shift()! });
    const [big] = await ingestEvent(ctx, eventOf(makeRecords('cc', 0, 10, 20)));
    const [small] = await ingestEvent(ctx, eventOf(makeRecords('cc', 0, 30, 1)));
    assert.ok(big.committed!.bytes > 1000, `${big.committed!.bytes} bytes`);
    assert.ok(small.committed!.bytes <= 1000, `${small.committed!.bytes} bytes`);

    // one object, for the big delta, named by topic, partition, offsets and attempt
    assert.deepEqual(objects.keys(), ['deltas/cc/0/00000000000000000010-00000000000000000029-att-big']);
    assert.equal(big.committed!.objectKey, objects.keys()[0]);
    assert.equal(small.committed!.objectKey, undefined);
    const body = (await objects.get(objects.keys()[0]))!;
    assert.equal(body.length, big.committed!.bytes);

    const [bigItem, smallItem] = await items('cc', 0);
    assert.equal(bigItem.o?.S, objects.keys()[0]);
    assert.equal(bigItem.sz?.N, String(body.length));
    assert.equal(bigItem.crc?.N, String(crc32(body)));
    assert.equal(bigItem.d, undefined, 'no payload in the pointer item');
    assert.equal(bigItem.parts.N, '1');
    assert.ok(smallItem.d?.B !== undefined && smallItem.o === undefined, 'the small delta is inline');

    // the same batches without an object store commit the same content
    const inline = testContext(store.ddb);
    await ingestEvent(inline, eventOf(makeRecords('cc-inline', 0, 10, 20)));
    await ingestEvent(inline, eventOf(makeRecords('cc-inline', 0, 30, 1)));
    const norm = (s: string) => s.replaceAll('cc-inline', 'cc');
    assert.equal(norm(await committedState(store.ddb, 'cc-inline')), await committedState(store.ddb, 'cc', objects));
    assert.equal((await committedDeltas(store.ddb, 'cc', objects)).length, 2);
  });

  test('the pointer item costs one write unit where the inline delta costs one per started KB', async () => {
    const inlineMetrics = new MetricsRecorder();
    const objectMetrics = new MetricsRecorder();
    const records = (topic: string) => eventOf(makeRecords(topic, 0, 0, 60));
    const [inline] = await ingestEvent(testContext(store.ddb, { metrics: inlineMetrics }), records('wu-inline'));
    await ingestEvent(
      testContext(store.ddb, { metrics: objectMetrics, objects: new MemoryObjectStore(), objectThresholdBytes: 1000 }),
      records('wu-object'),
    );
    assert.ok(inline.committed!.bytes > 3 * 1024, `${inline.committed!.bytes} bytes`);
    assert.ok(inlineMetrics.get('WriteUnits', { operation: 'putItem' }) >= Math.ceil(inline.committed!.bytes / 1024));
    assert.equal(objectMetrics.get('WriteUnits', { operation: 'putItem' }), 1);
  });

  test('without an object store every delta stays inline, however large', async () => {
    const [r] = await ingestEvent(
      { ...testContext(store.ddb), objectThresholdBytes: 10 },
      eventOf(makeRecords('no-store', 0, 0, 20)),
    );
    assert.equal(r.committed!.objectKey, undefined);
    for (const item of await items('no-store', 0)) assert.ok(item.d?.B !== undefined && item.o === undefined);
  });

  test('a failed PUT fails the batch before anything is committed; the retry commits under a new key', async () => {
    const objects = new MemoryObjectStore();
    let failPut = true;
    const flaky = {
      put: async (key: string, body: Uint8Array) => {
        if (failPut) throw Object.assign(new Error('SlowDown'), { name: 'SlowDown' });
        return objects.put(key, body);
      },
      get: (key: string) => objects.get(key),
      delete: (key: string) => objects.delete(key),
    };
    const ctx = testContext(store.ddb, { objects: flaky, objectThresholdBytes: 500 });
    await assert.rejects(ingestEvent(ctx, eventOf(makeRecords('put-fails', 0, 0, 10))), /SlowDown/);
    assert.deepEqual(await items('put-fails', 0), [], 'no item names an object that was not written');
    failPut = false;
    const [r] = await ingestEvent(ctx, eventOf(makeRecords('put-fails', 0, 0, 10)));
    assert.ok(r.committed!.objectKey !== undefined);
    assert.equal((await committedDeltas(store.ddb, 'put-fails', objects)).length, 1);
  });

  test('a zombie attempt that lost its commit writes its own object and never replaces the committed one', async () => {
    const objects = new MemoryObjectStore();
    // the zombie writes its object and item, then loses the race for the cursor
    let zombieCommit: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (zombieCommit = resolve));
    // the zombie's cursor commit waits for the gate
    const slowCommit = wrapDdb(store.ddb, async (op, run) => {
      if (op === 'updateItem') await gate;
      return run();
    });
    const records = makeRecords('zombie', 0, 0, 12);
    const zombie = ingestEvent(
      testContext(slowCommit, { objects, objectThresholdBytes: 500, newAttemptId: () => 'zombie' }),
      eventOf(records),
    );
    while (objects.keys().length === 0) await new Promise((r) => setTimeout(r, 5));
    const [winner] = await ingestEvent(
      testContext(store.ddb, { objects, objectThresholdBytes: 500, newAttemptId: () => 'winner' }),
      eventOf(records),
    );
    const committedBody = await objects.get(winner.committed!.objectKey!);
    zombieCommit!();
    const [late] = await zombie;
    assert.equal(late.committed, undefined, 'the zombie found everything committed');
    assert.equal(objects.keys().length, 2);
    assert.ok(objects.keys().every((k) => k.startsWith('deltas/zombie/0/00000000000000000000-00000000000000000011-')));
    assert.deepEqual(await objects.get(winner.committed!.objectKey!), committedBody);
    const deltas = await committedDeltas(store.ddb, 'zombie', objects);
    assert.deepEqual(
      deltas.map((d) => d.records),
      [12],
    );
  });

  test('the Lambda containers take the bucket from DATA_BUCKET: ingest puts a large delta there, the flusher folds it', async () => {
    const s3 = await startLocalS3('mmg-env');
    try {
      await createTable(store.client, DELTAS_TABLE, 'env-deltas');
      await createTable(store.client, SERIES_TABLE, 'env-series');
      const env = {
        DELTAS_TABLE: 'env-deltas',
        SERIES_TABLE: 'env-series',
        CONFIG: 'overrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}',
        DATA_BUCKET: 'mmg-env',
        S3_ENDPOINT: s3.endpoint,
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
      };
      const ctx = await lambdaIngestContainer(env, { ddb: store.ddb })();
      assert.ok(ctx.objects !== undefined);
      // 2,000 distinct span names: far above the default threshold
      const big = Array.from({ length: 20 }, (_, r) => {
        // names and durations that do not compress away
        const spans = Array.from({ length: 100 }, (_, i) => ({
          name: `op-${((r * 100 + i) * 2654435761) % 4294967296}`,
          endNs: BASE_NS + 7_919n * BigInt((r * 100 + i) ** 2 % 1_000_003),
        }));
        const value = encodePushBytesRequest([
          encodeTempoTrace(buildResourceSpans({ resource: { 'service.name': 'svc' }, spans })),
        ]);
        return {
          topic: 'env',
          partition: 0,
          offset: r,
          timestamp: RECORD_TIME_MS,
          key: Buffer.from('team-a').toString('base64'),
          value: Buffer.from(value).toString('base64'),
        };
      });
      const [r] = await ingestEvent({ ...ctx, nowMs: () => RECORD_TIME_MS }, eventOf(big));
      assert.ok(
        r.committed!.bytes > DEFAULT_DELTA_OBJECT_THRESHOLD_BYTES,
        `${r.committed!.bytes} bytes: above the default threshold`,
      );
      assert.ok(r.committed!.objectKey?.startsWith('deltas/env/0/'));
      const { flusher, metrics } = await lambdaFlushContainer(env, { ddb: store.ddb })();
      await flusher.fold(RECORD_TIME_MS + 1000);
      assert.equal(metrics.total('DeltasFolded'), 1);
      assert.equal(metrics.total('DeltasLost'), 0);
      assert.ok([...flusher.tenants().values()].some((reg) => reg.size > 0));
      // without DATA_BUCKET the same batch stays inline
      const inline = await lambdaIngestContainer({ ...env, DATA_BUCKET: '' }, { ddb: store.ddb })();
      assert.equal(inline.objects, undefined);
    } finally {
      await s3.close();
    }
  });

  test('against the S3 protocol (s3rver): large deltas are objects in the bucket and read back', async () => {
    const s3 = await startLocalS3('mmg-data');
    try {
      const objects = new S3ObjectStore(s3.client, 'mmg-data');
      const ctx = testContext(store.ddb, { objects, objectThresholdBytes: 800 });
      await ingestEvent(ctx, eventOf(makeRecords('s3', 0, 0, 15), makeRecords('s3', 1, 0, 1)));
      await ingestEvent(ctx, eventOf(makeRecords('s3', 0, 15, 15)));
      const inline = testContext(store.ddb);
      await ingestEvent(inline, eventOf(makeRecords('s3-inline', 0, 0, 15), makeRecords('s3-inline', 1, 0, 1)));
      await ingestEvent(inline, eventOf(makeRecords('s3-inline', 0, 15, 15)));
      const [p0] = await items('s3', 0);
      assert.ok(p0.o?.S?.startsWith('deltas/s3/0/'));
      assert.equal(
        await committedState(store.ddb, 's3', objects),
        (await committedState(store.ddb, 's3-inline')).replaceAll('s3-inline', 's3'),
      );
    } finally {
      await s3.close();
    }
  });
});
