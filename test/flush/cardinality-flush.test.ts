// The cardinality controls on the Lambda path: ingest -> DynamoDB -> flusher, with a cold flusher
// container per invocation, so their state must come back from the saved epoch.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config/index.ts';
import type { SeriesSender } from '../../lib/flush/flusher.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { Clock } from '../helpers/clock.ts';
import { RECORD_TIME_MS, eventOf, makeRecords, startStore, testContext } from '../helpers/ingest-harness.ts';
import { flusherOn, freshTables } from './flusher-harness.ts';

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
    const tables = await freshTables(store.client, 'card');
    const sender = new CallsByName();
    const metrics = new MetricsRecorder();
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const flusher = () => flusherOn(store.ddb, tables, sender, clock, { metrics }, CONFIG);
    const ctx = { ...testContext(store.ddb), table: tables.deltas };

    // The harness spans use 5 span names; with a limit of 3 some go to __cardinality_overflow__.
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, 0, 40)));
    await flusher().run(clock.now + 50_000);
    const first = new Map(sender.latest);
    assert.ok((first.get('__cardinality_overflow__') ?? 0) > 0, `first: ${JSON.stringify([...first])}`);
    assert.ok(metrics.get('RegistryLabelValuesLimited', { tenant: 'team-a', label_name: 'span_name' }) > 0);
    assert.equal(
      metrics.get('RegistryLabelCardinalityDemandEstimate', { tenant: 'team-a', label_name: 'span_name' }),
      5,
    );

    clock.now += 20_000;
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, 40, 40)));
    await flusher().run(clock.now + 50_000);
    // Still over the limit from the first folded span on: no real name grows, the overflow does.
    for (const [name, v] of sender.latest) {
      if (name === '__cardinality_overflow__') assert.ok(v > (first.get(name) ?? 0), 'overflow grows');
      else assert.equal(v, first.get(name), `span_name ${name} must not grow`);
    }
  });
});
