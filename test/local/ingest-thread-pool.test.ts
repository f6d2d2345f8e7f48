// Several ingest threads serving one call: every partition lands exactly once, on a thread of its
// own, and the deltas committed equal those of ingest on the main thread.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestPartitions } from '../../lib/ingest/ingest-handler.ts';
import { groupByPartition } from '../../lib/ingest/msk-event.ts';
import { defaultIngestThreads, IngestThreadPool } from '../../lib/local/ingest-thread-pool.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { CONFIG, TABLE, committedState, startStore, testContext } from '../helpers/ingest-harness.ts';
import { asIngestRecords, pushBytesMessages } from '../../testing/kafka-mock-broker.ts';

const CONFIG_TEXT = 'overrides:\n  defaults:\n    metrics_generator:\n      processors: [span-metrics]\n';
const MESSAGES = [0, 1, 2, 3].map(() => pushBytesMessages('team-a', 10));

const records = (topic: string, from: number, to: number) => asIngestRecords(topic, MESSAGES, from, to);

describe('ingest thread pool', () => {
  test('two threads commit every partition once, in order across calls, and the same deltas as the main thread', async () => {
    const store = await startStore();
    const pool = await IngestThreadPool.start(2, {
      config: { text: CONFIG_TEXT, source: 'test' },
      dynamoEndpoint: store.endpoint,
      table: TABLE,
      log: silentLogger,
      metrics: new MetricsRecorder(),
    });
    const mainThread = testContext(store.ddb, { config: CONFIG, nowMs: Date.now });
    try {
      for (const [from, to] of [
        [0, 4],
        [4, 10],
      ]) {
        const results = await pool.ingest(groupByPartition(records('pool', from, to)));
        assert.deepEqual(
          results.map((r) => [r.partition, r.committed?.firstOffset, r.committed?.lastOffset]).sort(),
          [0, 1, 2, 3].map((p) => [p, from, to - 1]),
        );
        await ingestPartitions(mainThread, groupByPartition(records('main-thread', from, to)));
      }
      const state = await committedState(store.ddb, 'pool');
      assert.ok(state.length > 0);
      assert.equal(state, await committedState(store.ddb, 'main-thread'));
    } finally {
      await pool.close();
      await store.close();
    }
  });

  test('by default one thread per core beyond the main and DynamoDB threads, 1 to 4', () => {
    assert.deepEqual([1, 2, 3, 4, 8, 32].map(defaultIngestThreads), [1, 1, 1, 2, 4, 4]);
  });
});
