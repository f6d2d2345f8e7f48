import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config/index.ts';
import { ingestContext } from '../../lib/ingest/ingest-handler.ts';
import { warmUpIngest } from '../../lib/local/ingest-warm-up.ts';
import type { LogFields } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import type { Ddb } from '../../lib/store/ddb.ts';

/** A store that fails the test on any call: the warm-up must write (and read) nothing. */
const untouchable: Ddb = {
  getItem: () => assert.fail('warm-up read an item'),
  putItem: () => assert.fail('warm-up wrote an item'),
  updateItem: () => assert.fail('warm-up updated an item'),
  query: () => assert.fail('warm-up ran a query'),
};

function warmUp(configText: string) {
  const lines: string[] = [];
  const log = {
    info: (m: string, _f?: LogFields) => lines.push(m),
    warn: (m: string, _f?: LogFields) => lines.push(m),
    error: (m: string, _f?: LogFields) => lines.push(m),
  };
  const metrics = new MetricsRecorder();
  const ctx = ingestContext({ config: parseConfig(configText), ddb: untouchable, table: 'deltas', log, metrics });
  return { result: warmUpIngest(ctx), lines, metrics: metrics.drain() };
}

describe('ingest thread warm-up', () => {
  for (const codec of ['push-bytes', 'otlp']) {
    test(`runs demo traces through decoding and the processors in the ${codec} codec, touching no store and no metric`, () => {
      const { result, lines, metrics } = warmUp(
        `metrics_generator: {codec: ${codec}}\noverrides: {defaults: {metrics_generator: {processors: [span-metrics, service-graphs]}}}`,
      );
      assert.ok(result.records >= 1000, `records rehearsed: ${result.records}`);
      // every record decoded: a codec mismatch would leave them bad records with no spans
      assert.ok(result.spans >= result.records * 5, `spans decoded: ${result.spans} of ${result.records} records`);
      assert.deepEqual(lines, [], 'nothing logged (no bad records)');
      assert.deepEqual(metrics, [], 'no metric recorded');
    });
  }
});
