// The ingest thread as local mode uses it: a real worker running the ingest code against the
// embedded DynamoDB, with its metrics forwarded to the main thread's recorder.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupByPartition } from '../../lib/ingest/msk-event.ts';
import { ingestPartitions } from '../../lib/ingest/ingest-handler.ts';
import { IngestThread } from '../../lib/local/ingest-thread.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { CONFIG, TABLE, committedState, startStore, testContext } from '../helpers/ingest-harness.ts';
import { asIngestRecords, pushBytesMessages } from '../../testing/kafka-mock-broker.ts';

const CONFIG_TEXT = 'overrides:\n  defaults:\n    metrics_generator:\n      processors: [span-metrics]\n';

// the demo traffic is random: the same messages for both paths
const MESSAGES = [pushBytesMessages('team-a', 25), pushBytesMessages('team-a', 25)];

const records = (topic: string) => asIngestRecords(topic, MESSAGES);

describe('ingest thread', () => {
  test('commits the same series as ingest on the main thread, and its metrics reach the main thread', async () => {
    const store = await startStore();
    const metrics = new MetricsRecorder();
    const thread = await IngestThread.start({
      config: { text: CONFIG_TEXT, source: 'test' },
      dynamoEndpoint: store.endpoint,
      table: TABLE,
      log: silentLogger,
      metrics,
    });
    try {
      const results = await thread.ingest(groupByPartition(records('via-thread')));
      assert.deepEqual(
        results.map((r) => [r.partition, r.committed?.firstOffset, r.committed?.lastOffset]),
        [
          [0, 0, 24],
          [1, 0, 24],
        ],
      );
      await ingestPartitions(
        testContext(store.ddb, { config: CONFIG, nowMs: Date.now }),
        groupByPartition(records('in-thread')),
      );
      const state = await committedState(store.ddb, 'via-thread');
      assert.ok(state.length > 0);
      assert.equal(state, await committedState(store.ddb, 'in-thread'));
      assert.equal(metrics.total('Records'), 50);
      assert.equal(metrics.total('Spans'), 400, 'eight spans per demo request');
      const again = await thread.ingest(groupByPartition(records('via-thread')));
      assert.deepEqual(
        again.map((r) => r.alreadyCommitted),
        [25, 25],
        'a redelivered batch is skipped by the cursor',
      );
    } finally {
      await thread.close();
      await store.close();
    }
    await assert.rejects(thread.ingest([]), /closed/);
  });

  test('a config the worker cannot load fails the start', async () => {
    await assert.rejects(
      IngestThread.start({
        config: { file: '/nonexistent/tempo.yaml' },
        dynamoEndpoint: 'http://127.0.0.1:1',
        table: TABLE,
        log: silentLogger,
        metrics: new MetricsRecorder(),
      }),
      /ingest thread did not start: .*cannot read config file/,
    );
  });
});
