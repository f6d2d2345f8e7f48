// Group: what the flusher's save costs in DynamoDB write units for N changed series, measured on
// the embedded emulator (which bills like DynamoDB: per started KB per item), beside the
// per-series design (one UpdateItem per changed series) measured on a sample and scaled.

import { parseConfig } from '../lib/config/index.ts';
import { MetricsRecorder } from '../lib/metrics/recorder.ts';
import { Registry } from '../lib/series/registry.ts';
import type { SeriesIncrement } from '../lib/series/types.ts';
import { meteredDdb, sdkDdb } from '../lib/store/ddb.ts';
import { createTable, startLocalDynamo } from '../lib/store/local-dynamo.ts';
import { SnapshotStore } from '../lib/store/snapshot-store.ts';
import { SERIES_TABLE } from '../lib/store/tables.ts';
import { printTable } from './harness.ts';

const BOUNDS = [0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384];

/** Span-metrics-like increments for `labelSets` label sets: calls, latency histogram, size. */
function increments(labelSets: number, round: number): SeriesIncrement[] {
  const out: SeriesIncrement[] = [];
  for (let i = 0; i < labelSets; i++) {
    const labels = [
      { name: 'service', value: `svc-${i % 20}` },
      { name: 'span_kind', value: 'SPAN_KIND_SERVER' },
      { name: 'span_name', value: `GET /api/v1/resource-${i}` },
      { name: 'status_code', value: 'STATUS_CODE_OK' },
    ];
    const counts: number[] = BOUNDS.map((_, b): number => ((i + b + round) % 5 === 0 ? 2 : 0)).concat([1]);
    out.push({ type: 'counter', name: 'traces_spanmetrics_calls_total', labels, value: 3 + round });
    out.push({ type: 'histogram', name: 'traces_spanmetrics_latency', labels, classic: { bounds: BOUNDS, counts, sum: 0.123 * (i + 1), count: counts.reduce((a, b) => a + b, 0), exemplars: [] } });
    out.push({ type: 'counter', name: 'traces_spanmetrics_size_total', labels, value: 200 + i });
  }
  return out;
}

export async function benchFlushPersist(): Promise<void> {
  console.log('\n## flusher save: DynamoDB write units per save of N changed label sets (calls + 14-bucket latency + size each)\n');
  const local = await startLocalDynamo();
  const config = parseConfig('overrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}');
  const rows: string[][] = [];
  try {
    for (const labelSets of [1_000, 10_000]) {
      const table = `series-${labelSets}`;
      await createTable(local.client, SERIES_TABLE, table);
      const metrics = new MetricsRecorder();
      const ddb = meteredDdb(sdkDdb(local.client), { consumed: (c) => metrics.add('WriteUnits', c.CapacityUnits ?? 0) });
      const registry = new Registry(config.tenant('bench'));
      registry.apply(increments(labelSets, 0), 1_700_000_000_000);
      const store = new SnapshotStore(ddb, table);
      const started = performance.now();
      const { bytes } = await store.save({ epoch: 1, clockMs: 0, folded: [], tenants: { bench: registry.snapshot() } }, 0, Date.now());
      const ms = performance.now() - started;
      const snapshotUnits = metrics.total('WriteUnits');

      // the per-series alternative: one item per series holding its state, measured on a sample
      const sample = 200;
      const perSeries = new MetricsRecorder();
      const ddb2 = meteredDdb(sdkDdb(local.client), { consumed: (c) => perSeries.add('WriteUnits', c.CapacityUnits ?? 0) });
      const snap = registry.snapshot().series.slice(0, sample * 3);
      await Promise.all(
        snap.map((s, i) =>
          ddb2.updateItem({
            TableName: table,
            Key: { pk: { S: 's#bench' }, sk: { S: String(i) } },
            UpdateExpression: 'SET st = :st, ep = :ep',
            ExpressionAttributeValues: { ':st': { S: JSON.stringify(s) }, ':ep': { N: '1' } },
          }),
        ),
      );
      const perSeriesUnits = (perSeries.total('WriteUnits') / (sample * 3)) * labelSets * 3;
      rows.push([
        String(labelSets),
        String(labelSets * 19),
        `${(bytes / 1024).toFixed(0)} KB`,
        (bytes / labelSets).toFixed(1),
        String(snapshotUnits),
        perSeriesUnits.toFixed(0),
        `${(perSeriesUnits / snapshotUnits).toFixed(0)}x`,
        `${ms.toFixed(0)} ms`,
      ]);
    }
  } finally {
    await local.close();
  }
  printTable(['label sets', 'time series', 'snapshot', 'bytes/label set', 'WCU (snapshot)', 'WCU (item per series, scaled)', 'ratio', 'save time'], rows);
}
