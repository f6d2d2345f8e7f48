// The cardinality controls on the Lambda path: ingest -> DynamoDB -> flusher, with a cold flusher
// container per invocation, so their state must come back from the saved epoch.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config/index.ts';
import { Flusher, type SeriesSender } from '../../lib/flush/flusher.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { createTable } from '../../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../../lib/store/tables.ts';
import { RECORD_TIME_MS, TABLE, eventOf, makeRecords, startStore, testContext } from '../helpers/ingest-harness.ts';

const CONFIG = parseConfig(`
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics]
      max_cardinality_per_label: 3
`);

/** Latest calls_total per span_name of tenant team-a. */
class CallsByName implements SeriesSender {
  readonly latest = new Map<string, number>();
  async send(tenant: string, series: readonly CollectedSeries[]): Promise<void> {
    if (tenant !== 'team-a') return;
    const sums = new Map<string, number>();
    for (const s of series) {
      if (!s.labels.some((l) => l.name === '__name__' && l.value === 'traces_spanmetrics_calls_total')) continue;
      const name = s.labels.find((l) => l.name === 'span_name')?.value ?? '';
      const last = s.samples[s.samples.length - 1];
      if (last !== undefined) sums.set(name, (sums.get(name) ?? 0) + last.value);
    }
    for (const [name, v] of sums) this.latest.set(name, v);
  }
}

describe('cardinality controls in the flusher', async () => {
  const store = await startStore();
  after(() => store.close());

  test('a label over its limit stays over it in the next (cold) invocation: the estimate is saved', async () => {
    const tables = { deltas: `${TABLE}-card`, series: 'series-card' };
    await createTable(store.client, DELTAS_TABLE, tables.deltas);
    await createTable(store.client, { ...SERIES_TABLE }, tables.series);
    const sender = new CallsByName();
    const metrics = new MetricsRecorder();
    let now = RECORD_TIME_MS + 60_000;
    const flusher = () =>
      new Flusher({
        ddb: store.ddb,
        deltasTable: tables.deltas,
        seriesTable: tables.series,
        config: CONFIG,
        sender,
        log: silentLogger,
        metrics,
        clock: () => now,
        sleep: async (ms) => {
          now += ms;
        },
      });
    const ctx = { ...testContext(store.ddb), table: tables.deltas };

    // The harness spans use 5 span names; with a limit of 3 some go to __cardinality_overflow__.
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, 0, 40)));
    await flusher().run(now + 50_000);
    const first = new Map(sender.latest);
    assert.ok((first.get('__cardinality_overflow__') ?? 0) > 0, `first: ${JSON.stringify([...first])}`);
    assert.ok(metrics.get('RegistryLabelValuesLimited', { tenant: 'team-a', label_name: 'span_name' }) > 0);
    assert.equal(
      metrics.get('RegistryLabelCardinalityDemandEstimate', { tenant: 'team-a', label_name: 'span_name' }),
      5,
    );

    now += 20_000;
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, 40, 40)));
    await flusher().run(now + 50_000);
    // Still over the limit from the first folded span on: no real name grows, the overflow does.
    for (const [name, v] of sender.latest) {
      if (name === '__cardinality_overflow__') assert.ok(v > (first.get(name) ?? 0), 'overflow grows');
      else assert.equal(v, first.get(name), `span_name ${name} must not grow`);
    }
  });
});
