// The claim check on the flusher side: a committed delta that lives in the object store is read
// from it and checked (size, CRC-32). An object that is gone or damaged is a gap handled like a
// missing delta: skipped on its partition only, counted (DeltasLost, OffsetsLost) and logged with
// topic, partition, offsets and reason. A GET that fails is transient: the run throws, skips
// nothing, and the next run folds everything.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { MemoryObjectStore, type ObjectStore } from '../../lib/store/object-store.ts';
import { S3ObjectStore } from '../../lib/store/s3-object-store.ts';
import { RECORD_TIME_MS, eventOf, makeRecords, startStore, testContext } from '../helpers/ingest-harness.ts';
import { startLocalS3 } from '../helpers/s3rver.ts';
import { Clock, CheckingSender, flusherOn, freshTables, stateText, type Tables } from './flusher-harness.ts';

const THRESHOLD = 900;

describe('flusher folding claim-checked deltas', async () => {
  const store = await startStore();
  after(() => store.close());

  /** One ingest invocation per [partition, from, count]; returns the object key of each batch (or undefined: inline). */
  async function ingest(
    tables: Tables,
    batches: [number, number, number][],
    objects?: ObjectStore,
  ): Promise<(string | undefined)[]> {
    const keys: (string | undefined)[] = [];
    for (const [partition, from, count] of batches) {
      const ctx = { ...testContext(store.ddb, { objects, objectThresholdBytes: THRESHOLD }), table: tables.deltas };
      const [r] = await ingestEvent(ctx, eventOf(makeRecords('traces', partition, from, count)));
      keys.push(r.committed?.objectKey);
    }
    return keys;
  }

  async function reference(batches: [number, number, number][]): Promise<string> {
    const ref = await freshTables(store.client, 'cc-ref');
    await ingest(ref, batches);
    const f = flusherOn(store.ddb, ref, new CheckingSender(), new Clock(RECORD_TIME_MS + 60_000));
    await f.run(RECORD_TIME_MS + 61_000);
    return stateText(f);
  }

  const BATCHES: [number, number, number][] = [
    [0, 0, 12],
    [0, 12, 1],
    [0, 13, 12],
    [1, 0, 12],
    [0, 25, 12],
    [0, 37, 12],
  ];

  test('inline and object deltas together fold to the same state as all inline', async () => {
    const objects = new MemoryObjectStore();
    const tables = await freshTables(store.client, 'cc-mixed');
    const keys = await ingest(tables, BATCHES, objects);
    assert.deepEqual(
      keys.map((k) => k !== undefined),
      [true, false, true, true, true, true],
    );
    const f = flusherOn(store.ddb, tables, new CheckingSender(), new Clock(RECORD_TIME_MS + 60_000), { objects });
    await f.run(RECORD_TIME_MS + 61_000);
    assert.equal(stateText(f), await reference(BATCHES));
    assert.equal(objects.requests.get, 5, 'one GET per object delta');
  });

  test('an object gone or damaged is skipped on its partition, counted and logged; everything else folds', async () => {
    const objects = new MemoryObjectStore();
    const tables = await freshTables(store.client, 'cc-gap');
    const keys = await ingest(tables, BATCHES, objects);
    await objects.delete(keys[2]!); // offsets 13..24: expired after a long lag
    const damaged = (await objects.get(keys[4]!))!;
    damaged[damaged.length >> 1] ^= 0xff; // offsets 25..36: same size, other bytes
    await objects.put(keys[4]!, damaged);
    const partition1Key = keys[3]!; // partition 1 keeps flowing: its object is fine

    const errors: Record<string, unknown>[] = [];
    const metrics = new MetricsRecorder();
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const f = flusherOn(store.ddb, tables, new CheckingSender(), clock, {
      objects,
      metrics,
      log: { ...silentLogger, error: (_m, fields) => errors.push(fields ?? {}) },
    });
    await f.run(clock.now + 1000);
    assert.equal(stateText(f), await reference([BATCHES[0], BATCHES[1], BATCHES[3], BATCHES[5]]));
    assert.equal(metrics.total('DeltasLost'), 2);
    assert.equal(metrics.total('OffsetsLost'), 12 + 12);
    assert.deepEqual(
      errors.map((e) => [e.topic, e.partition, e.firstOffset, e.lastOffset, e.reason, e.objectKey]),
      [
        ['traces', 0, 13, 24, 'missing_object', keys[2]],
        ['traces', 0, 25, 36, 'object_checksum', keys[4]],
      ],
    );
    assert.ok(partition1Key.startsWith('deltas/traces/1/'));
    // the saved positions are past the gaps: the next invocation does not report them again
    const again = new MetricsRecorder();
    await flusherOn(store.ddb, tables, new CheckingSender(), clock, { objects, metrics: again }).run(clock.now + 1000);
    assert.equal(again.total('DeltasLost'), 0);
  });

  test('an object of another size is a checksum gap too', async () => {
    const objects = new MemoryObjectStore();
    const tables = await freshTables(store.client, 'cc-size');
    const keys = await ingest(tables, [[0, 0, 12]], objects);
    await objects.put(keys[0]!, (await objects.get(keys[0]!))!.subarray(1));
    const metrics = new MetricsRecorder();
    await flusherOn(store.ddb, tables, new CheckingSender(), new Clock(RECORD_TIME_MS + 60_000), {
      objects,
      metrics,
    }).run(RECORD_TIME_MS + 61_000);
    assert.equal(metrics.total('DeltasLost'), 1);
    assert.equal(metrics.total('OffsetsLost'), 12);
  });

  test('a GET that fails is transient: the run throws, nothing is skipped, the next run folds it all', async () => {
    const objects = new MemoryObjectStore();
    const tables = await freshTables(store.client, 'cc-get');
    await ingest(tables, BATCHES, objects);
    let failing = true;
    const flaky: ObjectStore = {
      put: (k, b) => objects.put(k, b),
      delete: (k) => objects.delete(k),
      get: async (k) => {
        if (failing)
          throw Object.assign(new Error('InternalError'), {
            name: 'InternalError',
            $metadata: { httpStatusCode: 500 },
          });
        return objects.get(k);
      },
    };
    const metrics = new MetricsRecorder();
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const sender = new CheckingSender();
    await assert.rejects(
      flusherOn(store.ddb, tables, sender, clock, { objects: flaky, metrics }).run(clock.now + 1000),
      /InternalError/,
    );
    assert.equal(metrics.total('DeltasLost'), 0);
    failing = false;
    clock.now += 60_000;
    const f = flusherOn(store.ddb, tables, sender, clock, { objects: flaky, metrics });
    await f.run(clock.now + 1000);
    assert.equal(metrics.total('DeltasLost'), 0);
    assert.equal(stateText(f), await reference(BATCHES));
  });

  test('a flusher without an object store refuses a delta that lives in one instead of losing it', async () => {
    const objects = new MemoryObjectStore();
    const tables = await freshTables(store.client, 'cc-none');
    await ingest(tables, [[0, 0, 12]], objects);
    const metrics = new MetricsRecorder();
    await assert.rejects(
      flusherOn(store.ddb, tables, new CheckingSender(), new Clock(RECORD_TIME_MS + 60_000), { metrics }).run(
        RECORD_TIME_MS + 61_000,
      ),
      /DATA_BUCKET/,
    );
    assert.equal(metrics.total('DeltasLost'), 0);
  });

  test('end to end on the S3 protocol (s3rver): ingest writes objects, the flusher folds them', async () => {
    const s3 = await startLocalS3('mmg-data');
    try {
      const objects = new S3ObjectStore(s3.client, 'mmg-data');
      const tables = await freshTables(store.client, 'cc-s3');
      const keys = await ingest(tables, BATCHES, objects);
      await objects.delete(keys[5]!);
      const metrics = new MetricsRecorder();
      const f = flusherOn(store.ddb, tables, new CheckingSender(), new Clock(RECORD_TIME_MS + 60_000), {
        objects,
        metrics,
      });
      await f.run(RECORD_TIME_MS + 61_000);
      assert.equal(stateText(f), await reference(BATCHES.slice(0, 5)));
      assert.equal(metrics.total('DeltasLost'), 1);
    } finally {
      await s3.close();
    }
  });
});
