// Shared pieces of the flusher tests: a sender that checks what a remote would reject, a fake
// clock, fresh tables on one dynalite, and a way to commit hand-made deltas.
import assert from 'node:assert/strict';
import type { GeneratorConfig } from '../../lib/config/types.ts';
import { encodeDelta, splitIntoParts, type DeltaContent } from '../../lib/delta/index.ts';
import { Flusher, type FlusherDeps, type SeriesSender } from '../../lib/flush/flusher.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { formatExposition } from '../../lib/series/exposition.ts';
import { commitCursor, readCursor } from '../../lib/store/cursor.ts';
import type { Ddb } from '../../lib/store/ddb.ts';
import { putDelta } from '../../lib/store/delta-log.ts';
import { createTable } from '../../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../../lib/store/tables.ts';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CONFIG } from '../helpers/ingest-harness.ts';

/** Remembers every sample sent; fails on an out-of-order timestamp or a counter going down. */
export class RecordingSender implements SeriesSender {
  readonly last = new Map<string, { t: number; v: number }>();
  readonly timestamps: number[] = [];
  requests = 0;
  async send(tenant: string, series: readonly CollectedSeries[]): Promise<void> {
    this.requests++;
    for (const s of series) {
      const id = tenant + JSON.stringify(s.labels);
      for (const p of [
        ...s.samples,
        ...(s.histograms ?? []).map((h) => ({ timestampMs: h.timestampMs, value: h.count })),
      ]) {
        const prev = this.last.get(id);
        assert.ok(
          prev === undefined || p.timestampMs > prev.t,
          `out of order: ${id} ${p.timestampMs} after ${prev?.t}`,
        );
        if (prev !== undefined && id.includes('_total') && !Number.isNaN(p.value) && !Number.isNaN(prev.v)) {
          assert.ok(p.value >= prev.v, `counter went backwards: ${id} ${prev.v} -> ${p.value}`);
        }
        this.last.set(id, { t: p.timestampMs, v: p.value });
        this.timestamps.push(p.timestampMs);
      }
    }
  }
  value(...fragments: string[]): number {
    let sum = 0;
    for (const [id, p] of this.last) if (fragments.every((f) => id.includes(f))) sum += p.v;
    return sum;
  }
}

export class Clock {
  constructor(public now: number) {}
  readonly read = () => this.now;
  readonly sleep = async (ms: number) => {
    this.now += ms;
  };
}

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
