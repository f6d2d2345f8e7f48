// CloudWatch bills every custom metric (name + dimension values) for each hour it is published in.
// What the functions print as EMF must carry information: an idle flusher publishes almost
// nothing, zero counters and gauges are left out, numbers AWS already meters for free
// (DynamoDB units, Lambda duration) are not published again, and per-partition or per-tenant
// detail that only the remote-written self-metrics need is combined.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { ddbMetricsObserver } from '../../lib/metrics/ddb-metrics.ts';
import { publishMetrics } from '../../lib/metrics/publish.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { meteredDdb } from '../../lib/store/ddb.ts';
import { eventOf, makeRecords, startStore, testContext, RECORD_TIME_MS } from '../helpers/ingest-harness.ts';
import { Clock, flusherOn, freshTables, CheckingSender } from '../flush/flusher-harness.ts';

const RUN_MS = 55_000;

/** Every published metric as `Name{dim=value,...}` (what CloudWatch bills one metric for). */
function published(metrics: MetricsRecorder): Map<string, number> {
  const lines: string[] = [];
  publishMetrics(metrics, 1_000, (l) => lines.push(l));
  const out = new Map<string, number>();
  for (const line of lines) {
    const doc = JSON.parse(line);
    const spec = doc._aws.CloudWatchMetrics[0];
    const dims = [...(spec.Dimensions[0] as string[])]
      .sort()
      .map((k) => `${k}=${doc[k]}`)
      .join(',');
    for (const m of spec.Metrics) {
      const key = `${m.Name}{${dims}}`;
      assert.ok(!out.has(key), `${key} published twice`);
      out.set(key, doc[m.Name]);
    }
  }
  return out;
}

describe('CloudWatch metrics the functions publish', async () => {
  const store = await startStore();
  after(() => store.close());

  test('an idle flusher invocation (no spans for an hour, every series stale) publishes at most 2 metrics', async () => {
    const tables = await freshTables(store.client, 'cwpub');
    const ctx = { ...testContext(store.ddb), table: tables.deltas };
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, 0, 10), makeRecords('traces', 1, 0, 10)));
    const clock = new Clock(RECORD_TIME_MS + 1_000);
    const metrics = new MetricsRecorder();
    // as the Lambda builds it: every DynamoDB call metered into the same recorder, and a clock
    // that moves while the flusher works (so durations such as the save's are not 0)
    const ticking = () => (clock.now += 1);
    const f = flusherOn(meteredDdb(store.ddb, ddbMetricsObserver(metrics)), tables, new CheckingSender(), clock, {
      metrics,
      clock: ticking,
    });
    await f.run(clock.now + RUN_MS);
    assert.ok(published(metrics).size > 2, 'an active run publishes its metrics');
    clock.now += 60 * 60_000;
    await f.run(clock.now + RUN_MS); // every series stale: markers go out, the registries empty
    published(metrics);
    clock.now += 60_000;
    await f.run(clock.now + RUN_MS);
    assert.ok(metrics.total('WriteUnits') > 0, 'the recorder still meters the idle save (tests and the bench read it)');
    const idle = published(metrics);
    assert.ok(idle.size <= 2, `idle run published ${idle.size} metrics: ${[...idle.keys()].join(' ')}`);
    for (const [key, value] of idle) assert.notEqual(value, 0, `${key} published as 0`);
    // an unchanged state is not saved again, so an idle run publishes at most its save's metrics
    for (const key of idle.keys())
      assert.ok(['StateBytes{}', 'PersistMilliseconds{}'].includes(key), `idle run published ${key}`);
  });

  test('zero values are left out; DynamoDB units are not published again (AWS/DynamoDB has them per table)', () => {
    const m = new MetricsRecorder();
    m.add('DeltasFolded', 0);
    m.set('PartitionsBehind', 0, 'Count');
    m.add('SeriesRemoved', 0, 'Count', { tenant: 'a' });
    m.add('WriteUnits', 12, 'Count', { operation: 'putItem' });
    m.add('ReadUnits', 3, 'Count', { operation: 'query' });
    m.set('StateEpoch', 7);
    m.add('DynamoRetries', 1, 'Count', { operation: 'putItem' });
    m.set('FoldLagSeconds', 4, 'Seconds');
    assert.deepEqual([...published(m)].sort(), [
      ['DynamoRetries{operation=putItem}', 1],
      ['FoldLagSeconds{}', 4],
    ]);
  });

  test('fold lag per topic (largest partition), active series and samples sent as totals over tenants', () => {
    const m = new MetricsRecorder();
    for (let p = 0; p < 12; p++) m.set('FoldLagOffsets', 10 + p, 'Count', { topic: 'traces', partition: String(p) });
    for (const tenant of ['a', 'b', 'c']) {
      m.set('ActiveSeries', 100, 'Count', { tenant });
      m.add('SamplesSent', 50, 'Count', { tenant, endpoint: 'prom' });
      m.add('RemoteWriteFailures', 1, 'Count', { tenant, endpoint: 'prom', class: '5xx' });
    }
    const out = published(m);
    assert.equal(out.get('FoldLagOffsets{topic=traces}'), 21);
    assert.equal(out.get('ActiveSeries{}'), 300);
    assert.equal(out.get('SamplesSent{endpoint=prom}'), 150);
    // failures keep every dimension: they are rare, and the alarm and the operator need the tenant
    assert.equal(out.get('RemoteWriteFailures{class=5xx,endpoint=prom,tenant=a}'), 1);
    assert.equal(out.size, 3 + 3);
  });

  test('registry demand estimates are published only for tenants with a limit (otherwise they repeat the active count)', () => {
    const m = new MetricsRecorder();
    for (const [tenant, max] of [
      ['limited', 1000],
      ['open', 0],
    ] as const) {
      m.set('RegistryActiveSeries', 500, 'Count', { tenant });
      m.set('RegistryMaxActiveSeries', max, 'Count', { tenant });
      m.set('RegistryActiveSeriesDemandEstimate', 520, 'Count', { tenant });
      m.set('RegistryEntityDemandEstimate', 30, 'Count', { tenant });
    }
    const keys = [...published(m).keys()].sort();
    assert.deepEqual(keys, [
      'RegistryActiveSeriesDemandEstimate{tenant=limited}',
      'RegistryActiveSeries{tenant=limited}',
      'RegistryActiveSeries{tenant=open}',
      'RegistryEntityDemandEstimate{tenant=limited}',
      'RegistryMaxActiveSeries{tenant=limited}',
    ]);
  });

  test('an ingest invocation publishes only its per-topic traffic metrics', async () => {
    const tables = await freshTables(store.client, 'cwpub');
    const ctx = { ...testContext(store.ddb), table: tables.deltas };
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, 0, 10), makeRecords('traces', 1, 0, 10)));
    const keys = [...published(ctx.metrics).keys()].sort();
    assert.deepEqual(keys, [
      'DeltaBytes{topic=traces}',
      'DeltaItems{topic=traces}',
      'DeltaSeries{topic=traces}',
      'RecordBytes{topic=traces}',
      'Records{topic=traces}',
      'Spans{topic=traces}',
    ]);
  });
});
