// Group: what one save of the flusher's state costs, before and after the binary state format
// with large state in the object store, measured on the embedded DynamoDB (which bills like
// DynamoDB: per started KB of an item, a TTL update paying for the whole item) with the write
// units reported by ReturnConsumedCapacity, and object requests counted on an in-memory store.
// "Before" is the version 1 store: the state as one deflated JSON text in 350 KB items, every
// minute, each superseded item then given its TTL (an UpdateItem paying the item's size again).

import { deflateRawSync } from 'node:zlib';
import { parseConfig } from '../lib/config/index.ts';
import { MetricsRecorder } from '../lib/metrics/recorder.ts';
import { US_EAST_1, SECONDS_PER_MONTH } from '../lib/cost/prices.ts';
import { DEFAULT_PERSIST_INTERVAL_SECONDS } from '../lib/env/contract.ts';
import { Registry } from '../lib/series/registry.ts';
import type { SeriesIncrement } from '../lib/series/types.ts';
import { meteredDdb, sdkDdb, type Ddb } from '../lib/store/ddb.ts';
import { createTable, startLocalDynamo } from '../lib/store/local-dynamo.ts';
import { MemoryObjectStore } from '../lib/store/object-store.ts';
import { SnapshotStore, type FlusherState } from '../lib/store/snapshot-store.ts';
import { SERIES_TABLE } from '../lib/store/tables.ts';
import { printTable } from './harness.ts';

const BOUNDS = [0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384];
const S3_PUT = 0.005 / 1000;

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
    out.push({
      type: 'histogram',
      name: 'traces_spanmetrics_latency',
      labels,
      classic: {
        bounds: BOUNDS,
        counts,
        sum: 0.123 * (i + 1),
        count: counts.reduce((a, b) => a + b, 0),
        exemplars: [],
      },
    });
    out.push({ type: 'counter', name: 'traces_spanmetrics_size_total', labels, value: 200 + i });
  }
  return out;
}

/** The version 1 encoding (deflated JSON, non-finite numbers tagged), as the store wrote it. */
function encodeV1(state: FlusherState): Buffer {
  const json = JSON.stringify(state, (_k, v) =>
    typeof v === 'number' && !Number.isFinite(v) ? '\u0000f:' + String(v) : v,
  );
  return deflateRawSync(Buffer.from(json, 'utf8'), { level: 6 });
}

/** Write units of a version 1 save: its items, the TTL update of the items it supersedes, the header. */
async function saveV1(ddb: Ddb, table: string, bytes: Buffer): Promise<void> {
  const part = 350 * 1024;
  const items: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += part) items.push(bytes.subarray(i, i + part));
  // one at a time: the emulator resets connections under many large requests at once
  for (const [i, d] of items.entries())
    await ddb.putItem({
      TableName: table,
      Item: { pk: { S: 'snap#1#x' }, sk: { S: String(i).padStart(4, '0') }, d: { B: d } },
    });
  for (const i of items.keys()) {
    await ddb.updateItem({
      TableName: table,
      Key: { pk: { S: 'snap#1#x' }, sk: { S: String(i).padStart(4, '0') } },
      UpdateExpression: 'SET #t = :t',
      ExpressionAttributeNames: { '#t': 'ttl' },
      ExpressionAttributeValues: { ':t': { N: '1' } },
    });
  }
  await ddb.updateItem({
    TableName: table,
    Key: { pk: { S: 'state' }, sk: { S: 'head' } },
    UpdateExpression: 'SET e = :e, att = :a, parts = :p, clock = :c, pe = :e, patt = :a, pparts = :p',
    ExpressionAttributeValues: {
      ':e': { N: '1' },
      ':a': { S: 'x' },
      ':p': { N: String(items.length) },
      ':c': { N: '1' },
    },
  });
}

const ms = (t: number) => `${t.toFixed(0)} ms`;

/** `npm run bench` measures 1,000 and 10,000 label sets; `npx tsx bench/flush-persist.ts 1000 10000 100000` adds more (the 100,000 row takes about a minute). */
export async function benchFlushPersist(sizes: readonly number[] = [1_000, 10_000]): Promise<void> {
  console.log(
    '\n## flusher save: state bytes, write units and object requests per save (calls + 14-bucket latency + size per label set)\n',
  );
  const local = await startLocalDynamo();
  const config = parseConfig('overrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}');
  const rows: string[][] = [];
  const monthly: string[][] = [];
  try {
    for (const labelSets of sizes) {
      // tables first: the heavy encoding below blocks the loop the in-process emulator serves on
      for (const prefix of ['v1', 'v2s3', 'v2i'])
        await createTable(local.client, SERIES_TABLE, `${prefix}-${labelSets}`);
      const registry = new Registry(config.tenant('bench'));
      registry.apply(increments(labelSets, 0), 1_700_000_000_000);
      registry.apply(increments(labelSets, 1), 1_700_000_015_000);
      const state = (epoch: number): FlusherState => ({
        epoch,
        clockMs: epoch,
        folded: [],
        tenants: { bench: registry.snapshot() },
      });
      const units = new MetricsRecorder<string>();
      const metered = meteredDdb(sdkDdb(local.client), {
        consumed: (c) => units.add(c.TableName ?? '', c.CapacityUnits ?? 0),
      });

      // before: version 1, items only
      const v1Table = `v1-${labelSets}`;
      let t = performance.now();
      const v1 = encodeV1(state(1));
      const v1EncodeMs = performance.now() - t;
      await saveV1(metered, v1Table, v1);
      const v1Units = units.total(v1Table);

      // after, with an object store (AWS): three saves, the third measured (it deletes the first)
      const s3Table = `v2s3-${labelSets}`;
      const objects = new MemoryObjectStore();
      const withObjects = new SnapshotStore(metered, s3Table, { objects });
      await withObjects.save(state(1), 0, Date.now());
      await withObjects.save(state(2), 1, Date.now());
      const before = { units: units.total(s3Table), ...objects.requests };
      t = performance.now();
      const saved = await withObjects.save(state(3), 2, Date.now());
      const v2SaveMs = performance.now() - t;
      const s3Units = units.total(s3Table) - before.units;
      const puts = objects.requests.put - before.put;
      const deletes = objects.requests.delete - before.delete;
      t = performance.now();
      const loaded = await new SnapshotStore(metered, s3Table, { objects }).load();
      const v2LoadMs = performance.now() - t;
      if (loaded.tenants.bench.series.length !== registry.size)
        throw new Error('the saved state does not load back whole');

      // after, items only (local mode): the third save, with the TTL of the epoch two back
      const itemTable = `v2i-${labelSets}`;
      const itemsOnly = new SnapshotStore(metered, itemTable);
      await itemsOnly.save(state(1), 0, Date.now());
      await itemsOnly.save(state(2), 1, Date.now());
      const itemBefore = units.total(itemTable);
      await itemsOnly.save(state(3), 2, Date.now());
      const itemUnits = units.total(itemTable) - itemBefore;

      console.log(`(${labelSets} label sets measured)`);
      rows.push([
        String(labelSets),
        (v1.length / labelSets).toFixed(1),
        (saved.bytes / labelSets).toFixed(1),
        String(v1Units),
        `${s3Units} WRU + ${puts} PUT (${deletes} DELETE)`,
        `${itemUnits} WRU`,
        ms(v1EncodeMs),
        ms(v2SaveMs),
        ms(v2LoadMs),
      ]);
      const v1Month = (SECONDS_PER_MONTH / 60) * v1Units * US_EAST_1.dynamoWriteUnit;
      const savesAfter = SECONDS_PER_MONTH / DEFAULT_PERSIST_INTERVAL_SECONDS;
      const v2Month = savesAfter * (s3Units * US_EAST_1.dynamoWriteUnit + puts * S3_PUT);
      monthly.push([
        String(labelSets),
        `$${v1Month.toFixed(2)}`,
        `$${v2Month.toFixed(2)}`,
        `$${(savesAfter * itemUnits * US_EAST_1.dynamoWriteUnit).toFixed(2)}`,
      ]);
    }
  } finally {
    await local.close();
  }
  printTable(
    [
      'label sets',
      'bytes/label set v1 (JSON)',
      'bytes/label set v2 (binary)',
      'WRU per save v1 (items + TTL)',
      'per save v2, object store',
      'per save v2, items only',
      'encode v1',
      'save v2 (encode + write)',
      'load v2',
    ],
    rows,
  );
  console.log(
    `\nsaves a month: v1 every minute; v2 every ${DEFAULT_PERSIST_INTERVAL_SECONDS} s (PERSIST_INTERVAL_SECONDS) while the state changes; the header claim (1 WRU a run) is not a save and is left out\n`,
  );
  printTable(
    ['label sets', 'v1 saves $/month', 'v2 saves $/month (object store)', 'v2 saves $/month (items only)'],
    monthly,
  );
}

if (process.argv[1]?.endsWith('flush-persist.ts'))
  await benchFlushPersist(process.argv.length > 2 ? process.argv.slice(2).map(Number) : undefined);
