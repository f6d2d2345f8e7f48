// Group: DynamoDB units per million spans, on the embedded emulator (which bills like DynamoDB:
// a write pays per started KB of the item), for a steady 10,000 spans/s spread over P partitions
// with a 1 s batching window: each second every partition delivers one batch of 10,000/P spans.
// Split into ingest deltas, commit cursors, and the flusher's save (one per minute), beside the
// naive design that updates one item per (series, partition) in every batch.

import { Flusher } from '../lib/flush/flusher.ts';
import { ingestContext, ingestEvent } from '../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../lib/ingest/msk-event.ts';
import { silentLogger } from '../lib/log/logger.ts';
import { MetricsRecorder } from '../lib/metrics/recorder.ts';
import { SpanBatch } from '../lib/pipeline/span-batch.ts';
import { seriesHash } from '../lib/series/labels.ts';
import type { SeriesIncrement } from '../lib/series/types.ts';
import { meteredDdb, sdkDdb } from '../lib/store/ddb.ts';
import { createTable, startLocalDynamo, type LocalDynamo } from '../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../lib/store/tables.ts';
import { randomInt, seededRng } from '../testing/random-trace.ts';
import {
  SPAN_METRICS_CONFIG as CONFIG,
  WORKLOAD_NOW_MS as NOW_MS,
  workloadRecords,
  GET,
  labelSetSpan,
} from '../testing/workload.ts';
import { printTable } from './harness.ts';

const RATE = 10_000;
const SECONDS = 3;
const SPANS_PER_RECORD = 50;

/** `spans` spans spread uniformly over `labelSets` label sets (service × operation × status). */
function batchRecords(labelSets: number, spans: number, partition: number, second: number): KafkaEventRecord[] {
  return workloadRecords({
    topic: 'bench',
    partition,
    firstOffset: second * 100_000,
    spans,
    spansPerRecord: SPANS_PER_RECORD,
    rng: seededRng(partition * 7919 + second),
    draw: (rng) => {
      const s = randomInt(rng, labelSets);
      return { service: 'svc', span: labelSetSpan(s, randomInt(rng, 900_000_000), GET) };
    },
  });
}

/** Write units of the naive design for one batch: ADD each increment into an item per (series, partition). */
async function naiveBatchUnits(
  local: LocalDynamo,
  table: string,
  increments: SeriesIncrement[],
  partition: number,
): Promise<number> {
  const m = new MetricsRecorder();
  const ddb = meteredDdb(sdkDdb(local.client), { consumed: (c) => m.add('WriteUnits', c.CapacityUnits ?? 0) });
  // 32 in flight: the emulator's sweet spot, and no socket-pool queueing
  for (let i = 0; i < increments.length; i += 32) {
    await Promise.all(
      increments.slice(i, i + 32).map((inc) => {
        const names: Record<string, string> = {};
        const values: Record<string, { N: string }> = {};
        const adds: string[] = [];
        const add = (field: string, v: number) => {
          names[`#${field}`] = field;
          values[`:${field}`] = { N: String(v) };
          adds.push(`#${field} :${field}`);
        };
        if (inc.type === 'counter') add('v', inc.value);
        else if (inc.type === 'histogram' && inc.classic) {
          for (const [i, c] of inc.classic.counts.entries()) add(`b${i}`, c);
          add('sum', inc.classic.sum);
          add('count', inc.classic.count);
        }
        return ddb.updateItem({
          TableName: table,
          Key: { pk: { S: `${seriesHash(inc.name, inc.labels)}#${partition}` }, sk: { S: 'v' } },
          UpdateExpression: `SET lbl = :lbl ADD ${adds.join(', ')}`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: { ...values, ':lbl': { S: JSON.stringify(inc.labels) } },
        });
      }),
    );
  }
  return m.total('WriteUnits');
}

export async function benchDynamoCost(): Promise<void> {
  console.log(`\n## DynamoDB units per million spans (${RATE} spans/s, 1 s batching window, one save per minute)\n`);
  const local = await startLocalDynamo();
  const rows: string[][] = [];
  try {
    for (const labelSets of [100, 1_000, 10_000]) {
      for (const partitions of [1, 12, 48]) {
        const id = `${labelSets}-${partitions}`;
        await createTable(local.client, DELTAS_TABLE, `d-${id}`);
        await createTable(local.client, SERIES_TABLE, `s-${id}`);
        await createTable(local.client, DELTAS_TABLE, `n-${id}`);
        const ingestMetrics = new MetricsRecorder();
        const ctx = ingestContext({
          config: CONFIG,
          ddb: sdkDdb(local.client),
          table: `d-${id}`,
          log: silentLogger,
          metrics: ingestMetrics,
          nowMs: () => NOW_MS,
        });
        const perPartition = Math.round(RATE / partitions);
        let naive = 0;
        for (let second = 0; second < SECONDS; second++) {
          const event: Record<string, KafkaEventRecord[]> = {};
          for (let p = 0; p < partitions; p++) event[`bench-${p}`] = batchRecords(labelSets, perPartition, p, second);
          await ingestEvent(ctx, { records: event });
          if (second === 0) {
            // the naive design, measured on two partitions' batches of this second and scaled
            const sampled = Math.min(partitions, 2);
            for (let p = 0; p < sampled; p++) {
              const batch = new SpanBatch(CONFIG, { applySlack: true, log: silentLogger });
              for (const r of partitionsRecords(event[`bench-${p}`])) batch.addRecord(r);
              naive +=
                (await naiveBatchUnits(local, `n-${id}`, batch.drain().get('team-a') ?? [], p)) *
                (partitions / sampled);
            }
          }
        }
        const spans = perPartition * partitions * SECONDS;
        const perMillion = (units: number, overSpans: number) => (units / overSpans) * 1e6;
        const deltas = perMillion(ingestMetrics.get('WriteUnits', { operation: 'putItem' }), spans);
        const cursors = perMillion(ingestMetrics.get('WriteUnits', { operation: 'updateItem' }), spans);

        // one flusher save per minute of traffic
        const flushMetrics = new MetricsRecorder();
        const flushDdb = meteredDdb(sdkDdb(local.client), {
          consumed: (c, op) =>
            flushMetrics.add(op === 'getItem' || op === 'query' ? 'ReadUnits' : 'WriteUnits', c.CapacityUnits ?? 0),
        });
        const flusher = new Flusher({
          ddb: flushDdb,
          deltasTable: `d-${id}`,
          seriesTable: `s-${id}`,
          config: CONFIG,
          sender: { send: async () => {} },
          log: silentLogger,
          metrics: new MetricsRecorder(),
          clock: () => NOW_MS,
          sleep: async () => {},
        });
        await flusher.load();
        await flusher.fold(NOW_MS);
        const foldReads = flushMetrics.total('ReadUnits');
        const before = flushMetrics.total('WriteUnits');
        await flusher.save();
        const saves = perMillion(flushMetrics.total('WriteUnits') - before, RATE * 60);
        const naivePerMillion = perMillion(naive, perPartition * partitions);
        const ours = deltas + cursors + saves;
        // reads: the cursor read of every batch, and the flusher reading the deltas once
        const reads = perMillion(ingestMetrics.total('ReadUnits') + foldReads, spans);
        rows.push([
          String(labelSets),
          String(partitions),
          deltas.toFixed(0),
          cursors.toFixed(0),
          saves.toFixed(0),
          ours.toFixed(0),
          naivePerMillion.toFixed(0),
          `${(naivePerMillion / ours).toFixed(0)}x`,
          reads.toFixed(0),
        ]);
      }
    }
  } finally {
    await local.close();
  }
  printTable(
    [
      'label sets',
      'partitions',
      'deltas',
      'cursors',
      'flusher saves',
      'total WCU',
      'naive WCU',
      'naive / total',
      'RCU (cursors + fold)',
    ],
    rows,
  );
  console.log('\n(label set = one calls counter + one 14-bucket latency histogram + one size counter: 19 time series)');
}

/** KafkaEventRecord -> KafkaRecord, as the handler does. */
function partitionsRecords(records: KafkaEventRecord[]) {
  return records.map((r) => ({
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestampMs: r.timestamp,
    key: Buffer.from(r.key!, 'base64'),
    value: Buffer.from(r.value!, 'base64'),
  }));
}
