// Group: $ per month. Measures the unit figures of lib/cost/units.ts through the real ingest and
// flusher code on the embedded DynamoDB (billed like DynamoDB: per started KB of an item) at the
// reference workload -- 20,000 spans/s, 4,000 Zipf label sets, 12 partitions, 5 s window, every
// span with a trace id -- and prices three workloads with lib/cost/model.ts from those units.

import { parseConfig } from '../lib/config/index.ts';
import { estimateMonthlyCost, totalOf, type Workload } from '../lib/cost/model.ts';
import { US_EAST_1 } from '../lib/cost/prices.ts';
import { MEASURED_UNITS, type UnitFigures } from '../lib/cost/units.ts';
import { Flusher } from '../lib/flush/flusher.ts';
import { MemoryObjectStore } from '../lib/store/object-store.ts';
import { ingestContext, ingestEvent } from '../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../lib/ingest/msk-event.ts';
import { silentLogger } from '../lib/log/logger.ts';
import { MetricsRecorder } from '../lib/metrics/recorder.ts';
import { meteredDdb, sdkDdb } from '../lib/store/ddb.ts';
import { createTable, startLocalDynamo, type LocalDynamo } from '../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../lib/store/tables.ts';
import { buildResourceSpans, encodePushBytesRequest, encodeTempoTrace, BASE_NS } from '../test/fixtures/build.ts';
import { randomInt, seededRng } from '../test/fixtures/random-trace.ts';
import { printTable } from './harness.ts';

const SPANS_PER_RECORD = 50;
const NOW_MS = Number(BASE_NS / 1_000_000n) + 1000;
const CONFIG = parseConfig('overrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}');
const REFERENCE: Workload = {
  spansPerSecond: 20_000,
  labelSets: 4_000,
  partitions: 12,
  batchingWindowS: 5,
  tenants: 1,
  distribution: 'zipf',
  ingestMemoryMb: 1024,
  flushMemoryMb: 512,
};
const MEASURED_PARTITIONS = 3;

/** A Zipf (s = 1) sampler over n label sets: inverse CDF by binary search. */
function zipf(n: number): (rng: () => number) => number {
  const cdf = new Float64Array(n);
  let acc = 0;
  for (let i = 0; i < n; i++) cdf[i] = acc += 1 / (i + 1);
  return (rng) => {
    const u = rng() * acc;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

function batchRecords(pick: (rng: () => number) => number, spans: number, partition: number, batch: number): KafkaEventRecord[] {
  const rng = seededRng(partition * 7919 + batch);
  const key = Buffer.from('team-a').toString('base64');
  const out: KafkaEventRecord[] = [];
  for (let done = 0, r = 0; done < spans; done += SPANS_PER_RECORD, r++) {
    const list = Array.from({ length: Math.min(SPANS_PER_RECORD, spans - done) }, () => {
      const s = pick(rng);
      const traceId = randomInt(rng, 1 << 30).toString(16).padStart(32, '0');
      return { traceId, name: `op-${s >> 1}`, kind: 2, status: { code: s & 1 }, endNs: BASE_NS + BigInt(randomInt(rng, 900_000_000)), attributes: { 'http.method': 'GET' } };
    });
    const value = encodePushBytesRequest([encodeTempoTrace(buildResourceSpans({ resource: { 'service.name': 'svc' }, spans: list }))]);
    out.push({ topic: 'bench', partition, offset: batch * 100_000 + r, timestamp: NOW_MS, key, value: Buffer.from(value).toString('base64') });
  }
  return out;
}

interface Measured {
  readonly units: UnitFigures;
  readonly deltaWriteUnitsPerBatch: number;
  readonly saveWriteUnits: number;
  readonly statePuts: number;
}

async function measureUnits(local: LocalDynamo): Promise<Measured> {
  const w = REFERENCE;
  await createTable(local.client, DELTAS_TABLE, 'cost-d');
  await createTable(local.client, SERIES_TABLE, 'cost-s');
  await createTable(local.client, SERIES_TABLE, 'cost-idle');
  const metrics = new MetricsRecorder();
  const ctx = ingestContext({ config: CONFIG, ddb: sdkDdb(local.client), table: 'cost-d', log: silentLogger, metrics, nowMs: () => NOW_MS });
  const spansPerBatch = Math.round((w.spansPerSecond * w.batchingWindowS) / w.partitions);
  const pick = zipf(w.labelSets);
  let bytes = 0;
  let batches = 0;
  for (let b = 0; b < 2; b++) {
    const event: Record<string, KafkaEventRecord[]> = {};
    for (let p = 0; p < MEASURED_PARTITIONS; p++) event[`bench-${p}`] = batchRecords(pick, spansPerBatch, p, b);
    for (const r of await ingestEvent(ctx, { records: event })) {
      bytes += r.committed!.bytes;
      batches++;
    }
  }
  const touched = metrics.total('DeltaSeries') / 3 / batches; // calls, latency, size share a label set
  const deltaWriteUnitsPerBatch = metrics.get('WriteUnits', { operation: 'putItem' }) / batches;
  // a one-span delta: what a delta costs besides its label sets
  const tiny = new MetricsRecorder();
  const tinyCtx = ingestContext({ config: CONFIG, ddb: sdkDdb(local.client), table: 'cost-d', log: silentLogger, metrics: tiny, nowMs: () => NOW_MS });
  const [t] = await ingestEvent(tinyCtx, { records: { 'bench-9': batchRecords(pick, 1, 9, 0) } });
  const fixed = t.committed!.bytes - 60; // about one label set's worth
  const perLabelSet = (bytes / batches - fixed) / touched;

  // the flusher: fold, one collection, save (as every invocation ends)
  const flushMetrics = new MetricsRecorder();
  let sleptMs = 0;
  let now = NOW_MS;
  // the series table's write units (ReturnConsumedCapacity) and the object requests of the state
  const seriesUnits = new MetricsRecorder();
  const objects = new MemoryObjectStore();
  const flusherOn = (series: string, m: MetricsRecorder) =>
    new Flusher({
      objects,
      ddb: meteredDdb(sdkDdb(local.client), { consumed: (c) => seriesUnits.add(c.TableName ?? '', c.CapacityUnits ?? 0) }), deltasTable: series === 'cost-idle' ? 'cost-idle-d' : 'cost-d', seriesTable: series, config: CONFIG,
      sender: { send: async () => {} }, log: silentLogger, metrics: m, clock: () => now,
      sleep: async (ms) => { sleptMs += ms; now += ms; },
    });
  const f = flusherOn('cost-s', flushMetrics);
  await f.run(now + 5_000);
  const active = f.tenants().get('team-a')!.size / 3;
  const stateBytes = flushMetrics.total('StateBytes');
  // one run: the header claim, the fold reach before its collection, and the save
  const saveWriteUnits = seriesUnits.total('cost-s');
  const statePuts = objects.requests.put;
  // an idle invocation: empty tables, its duration = time it ran + time it slept
  await createTable(local.client, DELTAS_TABLE, 'cost-idle-d');
  const idle = flusherOn('cost-idle', new MetricsRecorder());
  await idle.load();
  sleptMs = 0;
  const started = performance.now();
  await idle.run(now + 55_000);
  const idleMs = performance.now() - started + sleptMs;
  return {
    units: {
      ...MEASURED_UNITS,
      deltaFixedBytes: Math.round(fixed),
      deltaBytesPerLabelSet: Math.round(perLabelSet * 10) / 10,
      savedBytesPerLabelSet: Math.round(((stateBytes - MEASURED_UNITS.savedFixedBytes) / active) * 10) / 10,
      flushIdleMs: Math.round(idleMs),
    },
    deltaWriteUnitsPerBatch,
    saveWriteUnits,
    statePuts,
  };
}

export async function benchCost(): Promise<void> {
  console.log('\n## cost: $ per month from measured units (us-east-1 on-demand, arm64 Lambda)\n');
  const local = await startLocalDynamo();
  let m: Measured;
  try {
    m = await measureUnits(local);
  } finally {
    await local.close();
  }
  const keys: (keyof UnitFigures)[] = ['deltaFixedBytes', 'deltaBytesPerLabelSet', 'savedBytesPerLabelSet', 'flushIdleMs'];
  printTable(['unit', 'measured now', 'lib/cost/units.ts'], keys.map((k) => [k, String(m.units[k]), String(MEASURED_UNITS[k])]));
  const predicted = estimateMonthlyCost(REFERENCE, m.units, US_EAST_1);
  console.log(`\ndelta WRU per partition batch: measured ${m.deltaWriteUnitsPerBatch.toFixed(1)}, model ${predicted[0].quantity}; first run with a save (claim, fold reach, save): ${m.saveWriteUnits} WRU on the series table + ${m.statePuts} S3 PUT\n`);
  const workloads: [string, Workload][] = [
    ['reference (20,000 spans/s, 4,000 Zipf label sets)', REFERENCE],
    ['reference, uniform label sets', { ...REFERENCE, distribution: 'uniform' }],
    ['idle stack (no spans, every series stale)', { ...REFERENCE, spansPerSecond: 0 }],
    ['idle stack, flusher at 2,048 MB (the former default)', { ...REFERENCE, spansPerSecond: 0, flushMemoryMb: 2048 }],
    ['reference, flusher at 2,048 MB', { ...REFERENCE, flushMemoryMb: 2048 }],
    ['200,000 spans/s, 100,000 Zipf label sets (flusher 2,048 MB: sizing table)', { ...REFERENCE, spansPerSecond: 200_000, labelSets: 100_000, flushMemoryMb: 2048 }],
  ];
  const rows = workloads.map(([name, w]) => {
    const items = estimateMonthlyCost(w, m.units, US_EAST_1);
    const dyn = items[0].dollarsPerMonth + items[1].dollarsPerMonth;
    const lambda = items.slice(3, 7).reduce((s, i) => s + i.dollarsPerMonth, 0);
    return [name, `$${dyn.toFixed(2)}`, `$${items[2].dollarsPerMonth.toFixed(2)}`, `$${lambda.toFixed(2)}`, `$${totalOf(items).toFixed(2)}`];
  });
  printTable(['workload', 'DynamoDB writes', 'reads', 'Lambda (both, + requests)', 'all in'], rows);
  console.log(`\n(flusher at ${REFERENCE.flushMemoryMb} MB, ingest at ${REFERENCE.ingestMemoryMb} MB; ${MEASURED_PARTITIONS} partitions x 2 batches measured, the rest from the model)`);
}

if (process.argv[1]?.endsWith('cost.ts')) await benchCost();
