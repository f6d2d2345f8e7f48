import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ddb } from '../../lib/store/ddb.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { buildResourceSpans, encodePushBytesRequest, encodeTempoTrace, BASE_NS } from '../../testing/build.ts';
import {
  committedDeltas,
  committedState,
  eventOf,
  makeRecords,
  startStore,
  testContext,
  RECORD_TIME_MS,
} from '../helpers/ingest-harness.ts';
import type { KafkaEventRecord } from '../../lib/ingest/msk-event.ts';
import { wrapDdb } from '../../testing/ddb-wrapper.ts';

describe('ingest cost, bad records and throttling', async () => {
  const store = await startStore();
  after(() => store.close());

  /** Records whose spans cover `series` distinct span names (one series each) in one tenant. */
  function workload(
    topic: string,
    partition: number,
    series: number,
    spansPerRecord = 100,
  ): { records: KafkaEventRecord[]; spans: number } {
    const records: KafkaEventRecord[] = [];
    let spans = 0;
    for (let r = 0; r * spansPerRecord < series * 3; r++) {
      const list = Array.from({ length: spansPerRecord }, (_, i) => ({
        name: `op-${(r * spansPerRecord + i) % series}`,
        endNs: BASE_NS + 1_000_000n * BigInt(i),
      }));
      spans += list.length;
      const value = encodePushBytesRequest([
        encodeTempoTrace(buildResourceSpans({ resource: { 'service.name': 'svc' }, spans: list })),
      ]);
      records.push({
        topic,
        partition,
        offset: r,
        timestamp: RECORD_TIME_MS,
        key: Buffer.from('team-a').toString('base64'),
        value: Buffer.from(value).toString('base64'),
      });
    }
    return { records, spans };
  }

  test('write units follow the delta bytes, not the number of series', async () => {
    const rows: string[] = [];
    for (const series of [10, 100, 1000]) {
      const metrics = new MetricsRecorder();
      const ctx = testContext(store.ddb, { metrics });
      const topic = `cost-${series}`;
      const { records, spans } = workload(topic, 0, series);
      const [result] = await ingestEvent(ctx, eventOf(records));
      const c = result.committed!;
      const wcu = metrics.total('WriteUnits');
      // each part pays ceil((bytes + key/attribute overhead) / 1 KB); the cursor update pays 1
      const bound = Math.ceil(c.bytes / 1024) + c.parts + 1;
      assert.ok(
        wcu <= bound,
        `series=${series}: ${wcu} write units > bound ${bound} from ${c.bytes} bytes in ${c.parts} parts`,
      );
      assert.ok(wcu < series * 0.05 + 4, `series=${series}: ${wcu} write units should be far below one per series`);
      rows.push(
        `${series} series: ${c.bytes} B delta, ${(c.bytes / series).toFixed(1)} B/series, ${wcu} WCU for ${spans} spans = ${((wcu / spans) * 1e6).toFixed(0)} WCU per million spans`,
      );
    }
    console.log(rows.join('\n'));
  });

  test('bad records among good ones: good captured, bad counted by reason, handler returns', async () => {
    const metrics = new MetricsRecorder();
    const topic = 'bad';
    const good = makeRecords(topic, 0, 0, 4);
    const bad: KafkaEventRecord[] = [
      { ...good[0], offset: 4, value: '' },
      { ...good[0], offset: 5, value: Buffer.from([0xff, 0xff, 0xff]).toString('base64') },
      { ...good[0], offset: 6, key: null },
      { ...good[0], offset: 7, key: Buffer.from('no/slashes').toString('base64') },
    ];
    const results = await ingestEvent(
      testContext(store.ddb, { metrics }),
      eventOf([...good.slice(0, 2), ...bad, ...good.slice(2).map((r, i) => ({ ...r, offset: 8 + i }))]),
    );
    assert.equal(results[0].committed!.lastOffset, 9);
    const [delta] = await committedDeltas(store.ddb, topic);
    assert.deepEqual(delta.badRecords, { empty_value: 1, malformed_protobuf: 1, missing_tenant: 1, invalid_tenant: 1 });
    assert.equal(metrics.get('BadRecords', { topic, reason: 'missing_tenant' }), 1);
    // the good records alone give the same series
    const ref = 'bad-ref';
    await ingestEvent(testContext(store.ddb), eventOf(makeRecords(ref, 0, 0, 4)));
    assert.equal(await committedState(store.ddb, topic), await committedState(store.ddb, ref));
  });

  test('DynamoDB throttling is retried with backoff and the batch commits exactly once', async () => {
    let throttled = 0;
    const callsOf = new Map<string, number>();
    const throttling = wrapDdb(store.ddb, async (op, run) => {
      // the first two calls of every operation are throttled, as DynamoDB does under a burst
      const n = callsOf.get(op) ?? 0;
      callsOf.set(op, n + 1);
      if (n < 2) {
        throttled++;
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
          name: 'ThrottlingException',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return run();
    });
    const metrics = new MetricsRecorder();
    const topic = 'throttled';
    const results = await ingestEvent(testContext(throttling, { metrics }), eventOf(makeRecords(topic, 0, 0, 6)));
    assert.ok(results[0].committed);
    assert.equal(metrics.total('DynamoRetries'), throttled);
    const ref = 'throttled-ref';
    await ingestEvent(testContext(store.ddb), eventOf(makeRecords(ref, 0, 0, 6)));
    assert.equal(await committedState(store.ddb, topic), await committedState(store.ddb, ref));
  });

  test('a fault that outlasts the retries fails the invocation so the event source retries it', async () => {
    const down: Ddb = {
      ...store.ddb,
      getItem: async () => {
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      },
    };
    const metrics = new MetricsRecorder();
    await assert.rejects(
      ingestEvent(testContext(down, { metrics }), eventOf(makeRecords('down', 0, 0, 2))),
      /socket hang up/,
    );
    assert.equal(metrics.total('DynamoRetries'), 5);
  });
});
