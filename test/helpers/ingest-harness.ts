// Shared set-up for ingest tests: dynalite with the deltas table, record and event builders, and
// a reader that sums every committed delta per series (what the flusher would fold).

import { parseConfig } from '../../lib/config/index.ts';
import type { GeneratorConfig } from '../../lib/config/types.ts';
import { decodeDelta, joinParts, sumIncrements } from '../../lib/delta/index.ts';
import type { DeltaContent } from '../../lib/delta/types.ts';
import type { KafkaEvent, KafkaEventRecord } from '../../lib/ingest/msk-event.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { readAllCursors, NO_CURSOR } from '../../lib/store/cursor.ts';
import { sdkDdb, type Ddb } from '../../lib/store/ddb.ts';
import { readCommittedDeltas } from '../../lib/store/delta-log.ts';
import type { ObjectStore } from '../../lib/store/object-store.ts';
import { createTable, startLocalDynamo, type LocalDynamo } from '../../lib/store/local-dynamo.ts';
import { DELTAS_TABLE } from '../../lib/store/tables.ts';
import { buildResourceSpans, encodePushBytesRequest, encodeTempoTrace, BASE_NS } from '../../testing/build.ts';
import { randomInt, seededRng } from '../../testing/random-trace.ts';
import { ingestContext, type IngestDependencies } from '../../lib/ingest/ingest-handler.ts';
import type { IngestContext } from '../../lib/ingest/ingest-partition.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';

export const TABLE = 'deltas';

export const CONFIG: GeneratorConfig = parseConfig(`
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics]
  team-native:
    metrics_generator:
      processors: [span-metrics]
      generate_native_histograms: both
`);

/** Record time: the spans end within 4 s of BASE_NS, inside the 30 s slack. */
export const RECORD_TIME_MS = Number(BASE_NS / 1_000_000n) + 2000;

// Durations are multiples of 1/512 s, so float sums are exact in any order: deltas split
// differently by retries must still sum to bit-identical histograms.
const DYADIC_NS = 1_953_125n;
const NAMES = ['GET /a', 'GET /b', 'POST /c', 'SELECT', 'publish'];

function traceBytes(rng: () => number): Uint8Array {
  const services = 1 + randomInt(rng, 3);
  const rs = [];
  for (let s = 0; s < services; s++) {
    const spans = [];
    for (let i = 0, n = 1 + randomInt(rng, 4); i < n; i++) {
      spans.push({
        name: NAMES[randomInt(rng, NAMES.length)],
        kind: 1 + randomInt(rng, 5),
        endNs: BASE_NS + BigInt(randomInt(rng, 2048)) * DYADIC_NS,
        status: { code: randomInt(rng, 3) },
        attributes: { 'http.method': NAMES[randomInt(rng, 2)] },
      });
    }
    rs.push(buildResourceSpans({ resource: { 'service.name': `svc-${s}` }, spans }));
  }
  return encodeTempoTrace(...rs);
}

export async function startStore(): Promise<LocalDynamo & { ddb: Ddb }> {
  const local = await startLocalDynamo();
  await createTable(local.client, DELTAS_TABLE, TABLE);
  return { ...local, ddb: sdkDdb(local.client) };
}

/** Deterministic push-bytes records, tenants alternating, one trace each. */
export function makeRecords(
  topic: string,
  partition: number,
  from: number,
  count: number,
  seed = partition + 1,
): KafkaEventRecord[] {
  const rng = seededRng(seed * 1000 + from);
  const tenants = ['team-a', 'team-native'];
  const out: KafkaEventRecord[] = [];
  for (let i = 0; i < count; i++) {
    const offset = from + i;
    const trace = traceBytes(rng);
    out.push({
      topic,
      partition,
      offset,
      timestamp: RECORD_TIME_MS,
      key: Buffer.from(tenants[offset % 2]).toString('base64'),
      value: Buffer.from(encodePushBytesRequest([trace])).toString('base64'),
      headers: [],
    });
  }
  return out;
}

export function eventOf(...records: KafkaEventRecord[][]): KafkaEvent {
  const grouped: Record<string, KafkaEventRecord[]> = {};
  for (const r of records.flat()) (grouped[`${r.topic}-${r.partition}`] ??= []).push(r);
  return { records: grouped };
}

export function testContext(ddb: Ddb, overrides: Partial<IngestDependencies> = {}): IngestContext {
  let n = 0;
  return ingestContext({
    config: CONFIG,
    ddb,
    table: TABLE,
    log: silentLogger,
    metrics: new MetricsRecorder(),
    nowMs: () => RECORD_TIME_MS,
    newAttemptId: () => `a${(n++).toString(36)}${Math.random().toString(36).slice(2, 8)}`,
    ...overrides,
  });
}

/** Every committed delta of a topic, in chain order per partition (large ones read from `objects`). */
export async function committedDeltas(ddb: Ddb, topic: string, objects?: ObjectStore): Promise<DeltaContent[]> {
  const out: DeltaContent[] = [];
  const cursors = (await readAllCursors(ddb, TABLE))
    .filter((c) => c.topic === topic)
    .sort((a, b) => a.partition - b.partition);
  for (const { partition, cursor } of cursors) {
    for (const d of await readCommittedDeltas(ddb, TABLE, topic, partition, NO_CURSOR, cursor, objects)) {
      out.push(decodeDelta(joinParts(d.parts)));
    }
  }
  return out;
}

/** A canonical text of the committed deltas summed per tenant and series: equal text = equal state. */
export async function committedState(ddb: Ddb, topic: string, objects?: ObjectStore): Promise<string> {
  const sums = sumIncrements(await committedDeltas(ddb, topic, objects));
  const lines: string[] = [];
  for (const [tenant, series] of sums) {
    // Exemplars are left out: a delta carries the latest one per series, so which one survives
    // depends on how batches were cut; exactly-once is about the counts.
    for (const [key, inc] of series)
      lines.push(
        `${tenant} ${key} ${JSON.stringify(inc, (k, v) => (k === 'exemplars' || k === 'exemplar' ? undefined : v instanceof Map ? [...v].sort((a, b) => a[0] - b[0]) : v))}`,
      );
  }
  return lines.sort().join('\n');
}
