// Shared pieces of the flusher tests: a flusher on fresh tables of one dynalite, its state as text,
// and a way to commit hand-made deltas. The fake clock and the checking sender it is used with
// live in test/helpers and are re-exported here.
import assert from 'node:assert/strict';
import type { GeneratorConfig } from '../../lib/config/types.ts';
import { encodeDelta, splitIntoParts, type DeltaContent } from '../../lib/delta/index.ts';
import { Flusher, type FlusherDeps, type SeriesSender } from '../../lib/flush/flusher.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { formatExposition } from '../../lib/series/exposition.ts';
import { commitCursor, readCursor } from '../../lib/store/cursor.ts';
import type { Ddb } from '../../lib/store/ddb.ts';
import { putDelta } from '../../lib/store/delta-log.ts';
import { createTable } from '../../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../../lib/store/tables.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Clock } from '../helpers/clock.ts';
import { CONFIG, RECORD_TIME_MS } from '../helpers/ingest-harness.ts';

export { Clock } from '../helpers/clock.ts';
export { CheckingSender } from '../helpers/checking-sender.ts';

export interface Tables {
  readonly deltas: string;
  readonly series: string;
}

let seq = 0;
export async function freshTables(client: DynamoDBClient, prefix = 'st'): Promise<Tables> {
  const n = seq++;
  const tables = { deltas: `${prefix}-d-${n}`, series: `${prefix}-s-${n}` };
  await createTable(client, DELTAS_TABLE, tables.deltas);
  await createTable(client, SERIES_TABLE, tables.series);
  return tables;
}

export async function freshSeriesTable(client: DynamoDBClient, prefix = 'st'): Promise<string> {
  const name = `${prefix}-s-${seq++}`;
  await createTable(client, SERIES_TABLE, name);
  return name;
}

export function flusherOn(
  ddb: Ddb,
  tables: Tables,
  sender: SeriesSender,
  clock: Clock,
  extra: Partial<FlusherDeps> = {},
  config: GeneratorConfig = CONFIG,
): Flusher {
  return new Flusher({
    ddb,
    deltasTable: tables.deltas,
    seriesTable: tables.series,
    config,
    sender,
    log: silentLogger,
    metrics: new MetricsRecorder(),
    clock: clock.read,
    sleep: clock.sleep,
    ...extra,
  });
}

/** Every tenant's registry as exposition text: equal text = equal state. */
export const stateText = (f: Flusher) =>
  [...f.tenants()]
    .map(([t, r]) => `# ${t}\n${formatExposition(r)}`)
    .sort()
    .join('\n');

/** A delta of one record at offset 0 of traces/0, stamped RECORD_TIME_MS, with no series: `fields` change it. */
export function handMadeDelta(fields: Partial<DeltaContent>): DeltaContent {
  return {
    topic: 'traces',
    partition: 0,
    firstOffset: 0,
    lastOffset: 0,
    minTimestampMs: RECORD_TIME_MS,
    maxTimestampMs: RECORD_TIME_MS,
    records: 1,
    spans: 0,
    badRecords: {},
    spansDiscarded: {},
    tenants: [],
    ...fields,
  };
}

/** Commits a hand-made delta after the partition's cursor, as the ingest would. */
export async function commitDelta(ddb: Ddb, table: string, content: DeltaContent, writtenAtMs: number): Promise<void> {
  const prev = await readCursor(ddb, table, content.topic, content.partition);
  const attempt = `h${seq++}`;
  await putDelta(ddb, table, {
    topic: content.topic,
    partition: content.partition,
    firstOffset: content.firstOffset,
    lastOffset: content.lastOffset,
    attempt,
    prev,
    parts: splitIntoParts(encodeDelta(content)),
    ttlSeconds: Math.floor(writtenAtMs / 1000) + 86400,
    writtenAtMs,
  });
  assert.ok(
    await commitCursor(ddb, table, content.topic, content.partition, prev, {
      offset: content.lastOffset,
      attempt,
      committedAtMs: writtenAtMs,
    }),
  );
}
