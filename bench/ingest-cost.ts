// Group: what ingest costs in DynamoDB write units per million spans, measured on the embedded
// emulator (billed like DynamoDB: per started KB per item), for a workload of N distinct series;
// and the same batches with the claim check (deltas above 8 KiB in a request-counting object store).

import { ingestContext, ingestEvent } from '../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../lib/ingest/msk-event.ts';
import { silentLogger } from '../lib/log/logger.ts';
import { MetricsRecorder } from '../lib/metrics/recorder.ts';
import { sdkDdb } from '../lib/store/ddb.ts';
import { MemoryObjectStore } from '../lib/store/object-store.ts';
import { createTable, startLocalDynamo } from '../lib/store/local-dynamo.ts';
import { DELTAS_TABLE } from '../lib/store/tables.ts';
import { randomInt, seededRng } from '../testing/random-trace.ts';
import { SPAN_METRICS_CONFIG, workloadRecords, labelSetSpan, WORKLOAD_NOW_MS } from '../testing/workload.ts';
import { printTable } from './harness.ts';

const SPANS_PER_RECORD = 100;

/** One partition batch: `records` records of spans spread over `series` label sets (service × name × status). */
function batch(series: number, records: number, seed: number): KafkaEventRecord[] {
  return workloadRecords({
    topic: 'bench',
    partition: 0,
    firstOffset: seed * 1_000_000,
    spans: records * SPANS_PER_RECORD,
    spansPerRecord: SPANS_PER_RECORD,
    rng: seededRng(seed),
    draw: (rng) => {
      const s = randomInt(rng, series);
      return {
        service: 'svc',
        span: labelSetSpan(s, randomInt(rng, 2_000_000_000), { 'http.method': 'GET', region: 'eu-west-1' }),
      };
    },
  });
}

export async function benchIngestCost(): Promise<void> {
  console.log('\n## ingest: DynamoDB units per batch and per million spans (one partition, 100 spans per record)\n');
  const local = await startLocalDynamo();
  const config = SPAN_METRICS_CONFIG;
  const rows: string[][] = [];
  try {
    for (const [series, records] of [
      [1_000, 10],
      [1_000, 100],
      [1_000, 500],
      [10_000, 500],
    ] as const) {
      const table = `deltas-${series}-${records}`;
      await createTable(local.client, DELTAS_TABLE, table);
      const metrics = new MetricsRecorder();
      const ctx = ingestContext({
        config,
        ddb: sdkDdb(local.client),
        table,
        log: silentLogger,
        metrics,
        nowMs: () => WORKLOAD_NOW_MS,
      });
      const batches = 3;
      let bytes = 0;
      let touched = 0;
      for (let b = 0; b < batches; b++) {
        const [r] = await ingestEvent(ctx, { records: { 'bench-0': batch(series, records, b + 1) } });
        bytes += r.committed!.bytes;
      }
      touched = metrics.total('DeltaSeries') / 3; // label sets: calls, latency and size share labels
      // the same batches, claim-checked
      await createTable(local.client, DELTAS_TABLE, `${table}-cc`);
      const ccMetrics = new MetricsRecorder();
      const objects = new MemoryObjectStore();
      const cc = ingestContext({
        config,
        ddb: sdkDdb(local.client),
        table: `${table}-cc`,
        log: silentLogger,
        metrics: ccMetrics,
        objects,
        nowMs: () => WORKLOAD_NOW_MS,
      });
      for (let b = 0; b < batches; b++)
        await ingestEvent(cc, { records: { 'bench-0': batch(series, records, b + 1) } });
      const spans = batches * records * SPANS_PER_RECORD;
      const wcu = metrics.total('WriteUnits');
      const rcu = metrics.total('ReadUnits');
      rows.push([
        String(series),
        String(records * SPANS_PER_RECORD),
        (bytes / batches / 1024).toFixed(1) + ' KB',
        (bytes / touched).toFixed(1),
        (wcu / batches).toFixed(1),
        ((wcu / spans) * 1e6).toFixed(0),
        ((rcu / spans) * 1e6).toFixed(0),
        (ccMetrics.total('WriteUnits') / batches).toFixed(1),
        (objects.requests.put / batches).toFixed(1),
      ]);
    }
  } finally {
    await local.close();
  }
  printTable(
    [
      'label sets',
      'spans/batch',
      'delta/batch',
      'bytes/touched label set',
      'WCU/batch',
      'WCU per 1M spans',
      'RCU per 1M spans',
      'claim check: WCU/batch',
      'S3 PUT/batch',
    ],
    rows,
  );
}
