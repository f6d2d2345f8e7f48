// Group: $ per month. Measures the unit figures of lib/cost/units.ts through the real ingest and
// flusher code on the embedded DynamoDB (billed like DynamoDB: per started KB of an item) at the
// reference workload -- 20,000 spans/s, 4,000 Zipf label sets, 12 partitions, 5 s window, every
// span with a trace id -- and prices three workloads with lib/cost/model.ts from those units.
// The claim check (large deltas in S3) is measured the same way: the same batches through the
// real ingest code with a request-counting object store, write units from ReturnConsumedCapacity,
// and the flusher's GETs while it folds them.

import { estimateMonthlyCost, totalOf, type Workload } from '../lib/cost/model.ts';
import { US_EAST_1 } from '../lib/cost/prices.ts';
import { MEASURED_UNITS, type UnitFigures } from '../lib/cost/units.ts';
import { Flusher } from '../lib/flush/flusher.ts';
import { MemoryObjectStore } from '../lib/store/object-store.ts';
import { ingestContext, ingestEvent } from '../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../lib/ingest/msk-event.ts';
import { silentLogger } from '../lib/log/logger.ts';
import { publishMetrics } from '../lib/metrics/publish.ts';
import { MetricsRecorder } from '../lib/metrics/recorder.ts';
import { meteredDdb, sdkDdb } from '../lib/store/ddb.ts';
import { DEFAULT_DELTA_OBJECT_THRESHOLD_BYTES } from '../lib/store/delta-objects.ts';
import { putDelta } from '../lib/store/delta-log.ts';
import { NO_CURSOR } from '../lib/store/cursor.ts';
import { createTable, startLocalDynamo, type LocalDynamo } from '../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../lib/store/tables.ts';
import { randomInt, seededRng } from '../testing/random-trace.ts';
import {
  SPAN_METRICS_CONFIG as CONFIG,
  REFERENCE_WORKLOAD,
  WORKLOAD_NOW_MS as NOW_MS,
  workloadRecords,
  zipf,
  GET,
  labelSetSpan,
} from '../testing/workload.ts';
import { measureFlusherMinute, printFlusherMinute, publishedMetricIds, type FlusherMinute } from './flush-minute.ts';
import { printTable } from './harness.ts';

const SPANS_PER_RECORD = 50;
const REFERENCE = REFERENCE_WORKLOAD;
const MEASURED_PARTITIONS = 3;

/** One partition's batch: `spans` spans over the Zipf-popular label sets of `pick`, every span with a trace id. */
export function batchRecords(
  pick: (rng: () => number) => number,
  spans: number,
  partition: number,
  batch: number,
): KafkaEventRecord[] {
  return workloadRecords({
    topic: 'bench',
    partition,
    firstOffset: batch * 100_000,
    spans,
    spansPerRecord: SPANS_PER_RECORD,
    rng: seededRng(partition * 7919 + batch),
    draw: (rng) => {
      const s = pick(rng);
      const traceId = randomInt(rng, 1 << 30)
        .toString(16)
        .padStart(32, '0');
      return { service: 'svc', span: { traceId, ...labelSetSpan(s, randomInt(rng, 900_000_000), GET) } };
    },
  });
}

interface Measured {
  readonly units: UnitFigures;
  readonly deltaWriteUnitsPerBatch: number;
  readonly saveWriteUnits: number;
  readonly minute: FlusherMinute;
  /** The same batches with the claim check. */
  readonly claim: {
    readonly pointerWriteUnitsPerBatch: number;
    readonly putsPerBatch: number;
    readonly getsPerFold: number;
    readonly objectBatches: number;
    readonly batches: number;
  };
  readonly breakEven: string[][];
  readonly statePuts: number;
}

/**
 * $ per delta of a payload size, inline vs claim-checked: write units measured by writing a
 * delta item of that size through putDelta (ReturnConsumedCapacity), the flusher's strongly
 * consistent read of it, and storage for the 7-day TTL; the object pays a PUT, a GET, a pointer
 * item and S3 storage.
 */
async function measureBreakEven(local: LocalDynamo, pointerWriteUnits: number): Promise<string[][]> {
  await createTable(local.client, DELTAS_TABLE, 'cost-sizes');
  const rows: string[][] = [];
  const storage = (bytes: number, gbMonth: number) => (bytes / 1024 ** 3) * gbMonth * (7 / 30);
  // the PUT's round trip in the ingest Lambda (1,024 MB), an assumption: see lib/cost/units.ts
  const putLambda = (MEASURED_UNITS.deltaObjectPutMs / 1000) * US_EAST_1.lambdaGbSecond;
  for (const kb of [4, 6, 7, 8, 9, 10, 12, 16, 38]) {
    let wru = 0;
    const ddb = meteredDdb(sdkDdb(local.client), { consumed: (c) => (wru += c.CapacityUnits ?? 0) });
    const bytes = Uint8Array.from({ length: kb * 1024 }, (_, i) => (i * 2654435761) >>> 24);
    await putDelta(ddb, 'cost-sizes', {
      topic: 'sizes',
      partition: kb,
      firstOffset: 0,
      lastOffset: 0,
      attempt: 'a',
      prev: NO_CURSOR,
      parts: [bytes],
      ttlSeconds: 0,
    });
    const inline =
      wru * US_EAST_1.dynamoWriteUnit +
      (bytes.length / 4096) * US_EAST_1.dynamoReadUnit +
      storage(bytes.length, US_EAST_1.dynamoStorageGbMonth);
    const object =
      pointerWriteUnits * US_EAST_1.dynamoWriteUnit +
      US_EAST_1.s3PutRequest +
      US_EAST_1.s3GetRequest +
      (230 / 4096) * US_EAST_1.dynamoReadUnit +
      storage(bytes.length, US_EAST_1.s3StorageGbMonth) +
      putLambda;
    rows.push([
      `${kb} KB`,
      String(wru),
      `$${(inline * 1e6).toFixed(2)}`,
      `$${(object * 1e6).toFixed(2)}`,
      inline > object ? 'object' : 'inline',
    ]);
  }
  return rows;
}

async function measureUnits(local: LocalDynamo): Promise<Measured> {
  const w = REFERENCE;
  await createTable(local.client, DELTAS_TABLE, 'cost-d');
  await createTable(local.client, SERIES_TABLE, 'cost-s');
  await createTable(local.client, SERIES_TABLE, 'cost-idle');
  /** The real ingest into `table` of the emulator, at the workload's clock. */
  const ingestInto = (table: string, metrics: MetricsRecorder, objects?: MemoryObjectStore) =>
    ingestContext({
      config: CONFIG,
      ddb: sdkDdb(local.client),
      table,
      log: silentLogger,
      metrics,
      nowMs: () => NOW_MS,
      objects,
    });
  const metrics = new MetricsRecorder();
  const ctx = ingestInto('cost-d', metrics);
  const spansPerBatch = Math.round((w.spansPerSecond * w.batchingWindowS) / w.partitions);
  const pick = zipf(w.labelSets);
  /** Batch `b` of every measured partition, keyed as the MSK event keys them. */
  const eventOfBatch = (b: number) => {
    const event: Record<string, KafkaEventRecord[]> = {};
    for (let p = 0; p < MEASURED_PARTITIONS; p++) event[`bench-${p}`] = batchRecords(pick, spansPerBatch, p, b);
    return event;
  };
  let bytes = 0;
  let batches = 0;
  for (let b = 0; b < 2; b++) {
    const event = eventOfBatch(b);
    for (const r of await ingestEvent(ctx, { records: event })) {
      bytes += r.committed!.bytes;
      batches++;
    }
  }
  const touched = metrics.total('DeltaSeries') / 3 / batches; // calls, latency, size share a label set
  const deltaWriteUnitsPerBatch = metrics.get('WriteUnits', { operation: 'putItem' }) / batches;

  // the same batches with the claim check (default threshold), into a table of their own
  await createTable(local.client, DELTAS_TABLE, 'cost-cc');
  const objects = new MemoryObjectStore();
  const ccMetrics = new MetricsRecorder();
  const ccCtx = ingestInto('cost-cc', ccMetrics, objects);
  let objectBatches = 0;
  for (let b = 0; b < 2; b++) {
    const event = eventOfBatch(b);
    for (const r of await ingestEvent(ccCtx, { records: event }))
      if (r.committed?.objectKey !== undefined) objectBatches++;
  }
  const pointerWriteUnitsPerBatch = ccMetrics.get('WriteUnits', { operation: 'putItem' }) / batches;
  const putsPerBatch = objects.requests.put / batches;
  // a one-span delta: what a delta costs besides its label sets
  const tiny = new MetricsRecorder();
  const tinyCtx = ingestInto('cost-d', tiny);
  const [t] = await ingestEvent(tinyCtx, { records: { 'bench-9': batchRecords(pick, 1, 9, 0) } });
  const fixed = t.committed!.bytes - 60; // about one label set's worth
  const perLabelSet = (bytes / batches - fixed) / touched;

  // the flusher: fold, one collection, save (as every invocation ends)
  const flushMetrics = new MetricsRecorder();
  let sleptMs = 0;
  let now = NOW_MS;
  // the series table's write units (ReturnConsumedCapacity) and the object requests of the state
  const seriesUnits = new MetricsRecorder<string>();
  const stateObjects = new MemoryObjectStore();
  const flusherOn = (series: string, m: MetricsRecorder) =>
    new Flusher({
      objects: stateObjects,
      ddb: meteredDdb(sdkDdb(local.client), {
        consumed: (c) => seriesUnits.add(c.TableName ?? '', c.CapacityUnits ?? 0),
      }),
      deltasTable: series === 'cost-idle' ? 'cost-idle-d' : 'cost-d',
      seriesTable: series,
      config: CONFIG,
      sender: { send: async () => {} },
      log: silentLogger,
      metrics: m,
      clock: () => now,
      sleep: async (ms) => {
        sleptMs += ms;
        now += ms;
      },
    });
  const f = flusherOn('cost-s', flushMetrics);
  await f.run(now + 5_000);
  // the flusher folding the claim-checked batches: GETs per folded delta
  await createTable(local.client, SERIES_TABLE, 'cost-cc-s');
  const ccFold = new MetricsRecorder();
  const getsBefore = objects.requests.get;
  await new Flusher({
    ddb: sdkDdb(local.client),
    deltasTable: 'cost-cc',
    seriesTable: 'cost-cc-s',
    config: CONFIG,
    objects,
    sender: { send: async () => {} },
    log: silentLogger,
    metrics: ccFold,
    clock: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  }).fold(now);
  const getsPerFold = (objects.requests.get - getsBefore) / Math.max(1, ccFold.total('DeltasFolded'));
  const active = f.tenants().get('team-a')!.size / 3;
  const stateBytes = flushMetrics.total('StateBytes');
  // one run: the header claim, the fold reach before its collection, and the save
  const saveWriteUnits = seriesUnits.total('cost-s');
  const statePuts = stateObjects.requests.put;
  // an idle invocation: empty tables, its duration = time it ran + time it slept
  await createTable(local.client, DELTAS_TABLE, 'cost-idle-d');
  const idleMetrics = new MetricsRecorder();
  const idle = flusherOn('cost-idle', idleMetrics);
  await idle.load();
  idleMetrics.drain(); // the load is not part of the invocation measured
  sleptMs = 0;
  const started = performance.now();
  await idle.run(now + 55_000);
  const idleMs = performance.now() - started + sleptMs;
  const idleEmf: string[] = [];
  publishMetrics(idleMetrics, 0, (l) => idleEmf.push(l));
  // the flusher's minute at the reference workload: fold, collect and save times, metrics published
  const minute = await measureFlusherMinute(
    local,
    CONFIG,
    REFERENCE.partitions,
    (p, b) => batchRecords(pick, spansPerBatch, p, b),
    NOW_MS,
  );
  return {
    units: {
      ...MEASURED_UNITS,
      deltaFixedBytes: Math.round(fixed),
      deltaBytesPerLabelSet: Math.round(perLabelSet * 10) / 10,
      savedBytesPerLabelSet: Math.round(((stateBytes - MEASURED_UNITS.savedFixedBytes) / active) * 10) / 10,
      flushIdleMs: Math.round(idleMs),
      flushFoldUsPerTouchedLabelSet: Math.round((minute.foldMsPerDelta * 1000 * 10) / minute.touchedPerDelta) / 10,
      flushCollectUsPerLabelSet: Math.round(minute.collectUsPerLabelSet),
      flushSaveUsPerLabelSet: Math.round(minute.saveUsPerLabelSet),
      cloudWatchMetricsIdle: publishedMetricIds(idleEmf).size,
      cloudWatchMetricsActive: minute.publishedMetrics,
      cloudWatchMetricsPerTenant: minute.publishedPerTenant,
      deltaPointerWriteUnits: pointerWriteUnitsPerBatch,
      deltaObjectPutsPerDelta: putsPerBatch,
      deltaObjectGetsPerDelta: getsPerFold,
    },
    deltaWriteUnitsPerBatch,
    saveWriteUnits,
    minute,
    claim: { pointerWriteUnitsPerBatch, putsPerBatch, getsPerFold, objectBatches, batches },
    breakEven: await measureBreakEven(local, pointerWriteUnitsPerBatch),
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
  const keys: (keyof UnitFigures)[] = [
    'deltaFixedBytes',
    'deltaBytesPerLabelSet',
    'savedBytesPerLabelSet',
    'flushIdleMs',
    'flushFoldUsPerTouchedLabelSet',
    'flushCollectUsPerLabelSet',
    'flushSaveUsPerLabelSet',
    'cloudWatchMetricsIdle',
    'cloudWatchMetricsActive',
    'cloudWatchMetricsPerTenant',
    'deltaPointerWriteUnits',
    'deltaObjectPutsPerDelta',
    'deltaObjectGetsPerDelta',
  ];
  printTable(
    ['unit', 'measured now', 'lib/cost/units.ts'],
    keys.map((k) => [k, String(m.units[k]), String(MEASURED_UNITS[k])]),
  );
  const item = (items: ReturnType<typeof estimateMonthlyCost>, prefix: string) =>
    items.find((i) => i.item.startsWith(prefix))!;
  const inlineModel = estimateMonthlyCost({ ...REFERENCE, claimCheck: false }, m.units, US_EAST_1);
  console.log(
    `\ndelta WRU per partition batch, inline: measured ${m.deltaWriteUnitsPerBatch.toFixed(1)}, model ${item(inlineModel, 'DynamoDB writes: ingest').quantity}; first run with a save (claim, fold reach, save): ${m.saveWriteUnits} WRU on the series table + ${m.statePuts} S3 PUT`,
  );
  const c = m.claim;
  console.log(
    `claim check (threshold ${DEFAULT_DELTA_OBJECT_THRESHOLD_BYTES} bytes): ${c.objectBatches} of ${c.batches} batches to S3; measured per batch ` +
      `${c.pointerWriteUnitsPerBatch.toFixed(1)} WRU for the delta item (inline ${m.deltaWriteUnitsPerBatch.toFixed(1)}), ${c.putsPerBatch.toFixed(2)} PUT, ${c.getsPerFold.toFixed(2)} GET per folded delta\n`,
  );
  console.log(
    "### claim check: $ per million deltas by payload size (write units measured; reads, 7-day storage, S3 requests, the PUT's ingest time at list prices)\n",
  );
  printTable(['payload', 'inline WRU', 'inline', 'as object', 'cheaper'], m.breakEven);
  console.log('');
  const workloads: [string, Workload][] = [
    ['reference (20,000 spans/s, 4,000 Zipf label sets)', REFERENCE],
    ['reference, uniform label sets', { ...REFERENCE, distribution: 'uniform' }],
    ['idle stack (no spans, every series stale)', { ...REFERENCE, spansPerSecond: 0 }],
    ['idle stack, flusher at 2,048 MB (the former default)', { ...REFERENCE, spansPerSecond: 0, flushMemoryMb: 2048 }],
    ['reference, flusher at 2,048 MB', { ...REFERENCE, flushMemoryMb: 2048 }],
    [
      '200,000 spans/s, 100,000 Zipf label sets (flusher 2,048 MB: sizing table)',
      { ...REFERENCE, spansPerSecond: 200_000, labelSets: 100_000, flushMemoryMb: 2048 },
    ],
  ];
  const rows = workloads.map(([name, w]) => {
    const items = estimateMonthlyCost(w, m.units, US_EAST_1);
    const inline = estimateMonthlyCost({ ...w, claimCheck: false }, m.units, US_EAST_1);
    const sum = (list: typeof items, ...prefixes: string[]) =>
      list.filter((i) => prefixes.some((p) => i.item.startsWith(p))).reduce((s, i) => s + i.dollarsPerMonth, 0);
    const dyn = sum(items, 'DynamoDB writes');
    const s3 = sum(items, 'S3 requests', 'storage: delta');
    const lambda = sum(items, 'ingest Lambda', 'flusher Lambda');
    return [
      name,
      `$${dyn.toFixed(2)}`,
      `$${s3.toFixed(2)}`,
      `$${sum(items, 'DynamoDB reads').toFixed(2)}`,
      `$${lambda.toFixed(2)}`,
      `$${totalOf(inline).toFixed(2)}`,
      `$${totalOf(items).toFixed(2)}`,
    ];
  });
  printTable(
    [
      'workload',
      'DynamoDB writes',
      'S3 requests + delta storage',
      'reads',
      'Lambda (both, + requests)',
      'all in, deltas inline',
      'all in',
    ],
    rows,
  );
  console.log(
    `\n(flusher at ${REFERENCE.flushMemoryMb} MB, ingest at ${REFERENCE.ingestMemoryMb} MB; ${MEASURED_PARTITIONS} partitions x 2 batches measured, the rest from the model)`,
  );
  printFlusherMinute(m.minute, m.units, REFERENCE);
  const idleTotal = totalOf(estimateMonthlyCost({ ...REFERENCE, spansPerSecond: 0 }, m.units, US_EAST_1));
  console.log(
    `\nidle stack: $${idleTotal.toFixed(2)} per month (goal at most $2.00): ${idleTotal <= 2 ? 'met' : 'NOT MET'}`,
  );
}

if (process.argv[1]?.endsWith('cost.ts')) await benchCost();
