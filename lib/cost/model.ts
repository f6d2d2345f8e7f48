// The monthly cost of a deployment from its workload and the measured unit figures: the same
// arithmetic for `msk-metrics-generator cost` and the bench's cost group, so what a user sizes
// with is what the bench checks against measurements.

import { SECONDS_PER_MONTH, type Prices } from './prices.ts';
import { flusherTime } from './flusher-time.ts';
import type { UnitFigures } from './units.ts';
import { DEFAULT_PERSIST_INTERVAL_SECONDS } from '../env/contract.ts';
import { DEFAULT_OBJECT_PART_BYTES, INLINE_MAX_BYTES, MAX_ITEM_PART_BYTES } from '../store/state-parts.ts';

export interface Workload {
  readonly spansPerSecond: number;
  /** Distinct span-metrics label sets (one calls counter, latency histogram and size counter each). */
  readonly labelSets: number;
  readonly partitions: number;
  /** Seconds between ingest batches of one partition (the event source's batching window). */
  readonly batchingWindowS: number;
  readonly tenants: number;
  /** How label sets are drawn by spans: Zipf (s = 1, a few hot operations) or uniform. */
  readonly distribution: 'zipf' | 'uniform';
  readonly ingestMemoryMb: number;
  readonly flushMemoryMb: number;
  /** Large deltas go to the data bucket (the stack's default); false: every delta inline, as without DATA_BUCKET. */
  readonly claimCheck?: boolean;
  /** Lifetime of delta items and objects (DELTA_TTL_DAYS, default 7): what they cost in storage. */
  readonly deltaTtlDays?: number;
  /** Seconds between saves of the flusher's state (PERSIST_INTERVAL_SECONDS; default 300). */
  readonly persistIntervalS?: number;
  /** Large saved state goes to the stack's S3 bucket (default); false: DynamoDB items only. */
  readonly objectStore?: boolean;
}

export interface CostItem {
  readonly item: string;
  readonly quantity: string;
  readonly dollarsPerMonth: number;
}

const KB = 1024;
const FLUSH_INVOCATIONS_PER_MONTH = SECONDS_PER_MONTH / 60;

/**
 * Expected distinct label sets among `draws` spans: sum over label sets of the chance at least one
 * span hit it. Linear in the label sets, never in the spans.
 */
export function expectedDistinct(labelSets: number, draws: number, distribution: Workload['distribution']): number {
  if (labelSets <= 0 || draws <= 0) return 0;
  if (distribution === 'uniform') return labelSets * -Math.expm1(draws * Math.log1p(-1 / labelSets));
  let harmonic = 0;
  for (let i = 1; i <= labelSets; i++) harmonic += 1 / i;
  let distinct = 0;
  for (let i = 1; i <= labelSets; i++) {
    const p = 1 / (i * harmonic);
    distinct += p >= 1 ? 1 : -Math.expm1(draws * Math.log1p(-p));
  }
  return distinct;
}

/** Write units of one item of `bytes`: every started KB. */
export const writeUnits = (bytes: number): number => Math.max(1, Math.ceil(bytes / KB));

export function estimateMonthlyCost(w: Workload, units: UnitFigures, prices: Prices): CostItem[] {
  const idle = w.spansPerSecond <= 0;
  const batchesPerMonth = idle ? 0 : (w.partitions * SECONDS_PER_MONTH) / w.batchingWindowS;
  const spansPerBatch = idle ? 0 : (w.spansPerSecond * w.batchingWindowS) / w.partitions;
  // each tenant's spans touch its own share of the label sets
  const touched = w.tenants * expectedDistinct(w.labelSets / w.tenants, spansPerBatch / w.tenants, w.distribution);
  const deltaBytes = units.deltaFixedBytes + touched * units.deltaBytesPerLabelSet;
  // the claim check: above the threshold the item is a pointer, the payload one S3 object
  const claim = w.claimCheck !== false && deltaBytes > units.deltaObjectThresholdBytes;
  const itemBytes = claim ? units.deltaPointerItemBytes : deltaBytes;
  const deltaWrites =
    batchesPerMonth *
    ((claim ? units.deltaPointerWriteUnits : writeUnits(deltaBytes)) + units.cursorWriteUnitsPerBatch);
  const objectPuts = claim ? batchesPerMonth * units.deltaObjectPutsPerDelta : 0;
  const objectGets = claim ? batchesPerMonth * units.deltaObjectGetsPerDelta : 0;
  // what the TTL keeps: DynamoDB bills the items' bytes, S3 the objects' (lifecycle rounds up to days)
  const ttlDays = w.deltaTtlDays ?? 7;
  const storedGb = (bytes: number, days: number) => (batchesPerMonth * bytes * (days / 30)) / KB ** 3;
  const itemStorageGb = storedGb(itemBytes, ttlDays);
  const objectStorageGb = claim ? storedGb(deltaBytes, Math.ceil(ttlDays)) : 0;
  const active = idle ? 0 : w.labelSets;
  const savedBytes = units.savedFixedBytes + active * units.savedBytesPerLabelSet;
  // a save every persist interval while the state changes (an idle stack's does not); each run claims the header
  const persistS = w.persistIntervalS ?? DEFAULT_PERSIST_INTERVAL_SECONDS;
  const savesPerMonth = idle ? 0 : SECONDS_PER_MONTH / Math.max(persistS, 60);
  const asObjects = (w.objectStore ?? true) && savedBytes > INLINE_MAX_BYTES;
  // items are written, then given their TTL two saves later (an UpdateItem paying their size again)
  const itemWrites = asObjects
    ? 0
    : 2 *
      (Math.floor(savedBytes / MAX_ITEM_PART_BYTES) * writeUnits(MAX_ITEM_PART_BYTES) +
        writeUnits(savedBytes % MAX_ITEM_PART_BYTES));
  // and, while it folds new deltas, records its fold reach before each collection (one small write per 15 s)
  const reachWrites = idle ? 0 : FLUSH_INVOCATIONS_PER_MONTH * 4;
  const saveWrites =
    savesPerMonth * (units.saveCommitWriteUnits + itemWrites) +
    FLUSH_INVOCATIONS_PER_MONTH * units.flushWriteUnitsPerInvocation +
    reachWrites;
  const statePuts = asObjects ? savesPerMonth * Math.ceil(savedBytes / DEFAULT_OBJECT_PART_BYTES) : 0;
  // the flusher reads each delta item once (a strongly consistent Query: one unit per 4 KB of a
  // page, items summed), ingest the cursor
  const reads = batchesPerMonth * (itemBytes / (4 * KB) + units.cursorReadUnitsPerBatch);
  const ingestMsPerBatch = units.ingestMsPerBatch + (claim ? units.deltaObjectPutMs : 0);
  const ingestSeconds = (batchesPerMonth * (ingestMsPerBatch + (spansPerBatch * units.ingestUsPerSpan) / 1000)) / 1000;
  const ingestGbS = ingestSeconds * (w.ingestMemoryMb / KB);
  const flush = idle
    ? undefined
    : flusherTime(
        {
          deltasPerSecond: w.partitions / w.batchingWindowS,
          touchedPerDelta: touched,
          activeLabelSets: active,
          memoryMb: w.flushMemoryMb,
        },
        units,
      );
  const flushInvocationMs = flush?.invocationMs ?? units.flushIdleMs;
  const flushSeconds = (FLUSH_INVOCATIONS_PER_MONTH * flushInvocationMs) / 1000;
  const flushGbS = flushSeconds * (w.flushMemoryMb / KB);
  const flushBusy =
    flush === undefined
      ? ''
      : `, each 15 s collection ${(flush.slotWorkMs / 1000).toFixed(1)} s of work${flush.fallsBehind ? ': does not keep up, raise flushMemoryMb' : ''}`;
  // custom metrics are billed per hour they are published in: an idle stack publishes only the flusher's few
  const metrics = idle
    ? units.cloudWatchMetricsIdle
    : units.cloudWatchMetricsActive + units.cloudWatchMetricsPerTenant * (w.tenants - 1);
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  return [
    {
      item: 'DynamoDB writes: ingest deltas + cursors',
      quantity: `${fmt(deltaWrites)} WRU (${(deltaBytes / KB).toFixed(1)} KB per delta, ${fmt(touched)} label sets${claim ? ', in S3: 1-unit pointer items' : ''})`,
      dollarsPerMonth: deltaWrites * prices.dynamoWriteUnit,
    },
    {
      item: 'S3 requests: delta objects (claim check)',
      quantity: claim
        ? `${fmt(objectPuts)} PUT + ${fmt(objectGets)} GET`
        : w.claimCheck === false
          ? 'none (no data bucket: every delta inline)'
          : `none (deltas <= ${(units.deltaObjectThresholdBytes / KB).toFixed(0)} KB stay inline)`,
      dollarsPerMonth: objectPuts * prices.s3PutRequest + objectGets * prices.s3GetRequest,
    },
    {
      item: 'storage: delta items + objects',
      quantity: `${itemStorageGb.toFixed(1)} GB DynamoDB${claim ? ` + ${objectStorageGb.toFixed(1)} GB S3` : ''} (${ttlDays} days kept)`,
      dollarsPerMonth: itemStorageGb * prices.dynamoStorageGbMonth + objectStorageGb * prices.s3StorageGbMonth,
    },
    {
      item: 'DynamoDB writes: flusher saves',
      quantity: `${fmt(saveWrites)} WRU (header claim a run, fold reach per collection; ${fmt(savesPerMonth)} saves of ${(savedBytes / KB).toFixed(0)} KB, one per ${persistS} s, ${asObjects ? 'in S3' : 'as items'})`,
      dollarsPerMonth: saveWrites * prices.dynamoWriteUnit,
    },
    { item: 'DynamoDB reads', quantity: `${fmt(reads)} RRU`, dollarsPerMonth: reads * prices.dynamoReadUnit },
    {
      item: `ingest Lambda GB-seconds (${w.ingestMemoryMb} MB)`,
      quantity: `${fmt(ingestGbS)} GB-s`,
      dollarsPerMonth: ingestGbS * prices.lambdaGbSecond,
    },
    {
      item: 'ingest Lambda requests',
      quantity: fmt(batchesPerMonth),
      dollarsPerMonth: batchesPerMonth * prices.lambdaRequest,
    },
    {
      item: `flusher Lambda GB-seconds (${w.flushMemoryMb} MB)`,
      quantity: `${fmt(flushGbS)} GB-s (${(flushInvocationMs / 1000).toFixed(1)} s a minute${flushBusy})`,
      dollarsPerMonth: flushGbS * prices.lambdaGbSecond,
    },
    {
      item: 'flusher Lambda requests',
      quantity: fmt(FLUSH_INVOCATIONS_PER_MONTH),
      dollarsPerMonth: FLUSH_INVOCATIONS_PER_MONTH * prices.lambdaRequest,
    },
    { item: 'EventBridge schedule rule', quantity: 'one rule, 1 a minute', dollarsPerMonth: 0 },
    {
      item: 'CloudWatch custom metrics',
      quantity: `${metrics} metrics published every hour`,
      dollarsPerMonth: metrics * prices.cloudWatchMetricMonth,
    },
    {
      item: 'S3 requests: saved state',
      quantity: `${fmt(statePuts)} PUT (DELETE free)`,
      dollarsPerMonth: statePuts * prices.s3PutRequest,
    },
  ];
}

export const totalOf = (items: readonly CostItem[]): number => items.reduce((s, i) => s + i.dollarsPerMonth, 0);
