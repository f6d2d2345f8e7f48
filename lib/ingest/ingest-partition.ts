// The ingest algorithm for one partition's records (docs/architecture.md, "The commit rule"):
//  1. read the partition's commit cursor (consistent read);
//  2. keep only records after it, so a retried or overlapping batch skips what is committed;
//  3. decode, run the processors, pre-aggregate everything into one delta;
//  4. put the delta's parts under a fresh attempt id (a large delta: PUT it as an object first, and
//     the item holds its key, size and CRC-32: lib/store/delta-objects.ts);
//  5. commit: move the cursor to the batch's last offset, only if it still holds what step 1 read.
// A fault anywhere before step 5 leaves the cursor where it was: the retried batch redoes the
// work under a new attempt id and the orphaned parts are never read. A fault after step 5 took
// effect makes the retry find everything committed in step 2.

import type { GeneratorConfig } from '../config/types.ts';
import type { KafkaRecord } from '../decode/kafka-record.ts';
import { recordTenant } from '../decode/record.ts';
import type { DeltaContent, TenantDelta } from '../delta/types.ts';
import { encodeDelta } from '../delta/index.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import { SpanBatch } from '../pipeline/span-batch.ts';
import type { ServiceGraphsCounters } from '../servicegraph-model/counters.ts';
import type { Ddb } from '../store/ddb.ts';
import { commitCursor, readCursor, type Cursor } from '../store/cursor.ts';
import { putDelta } from '../store/delta-log.ts';
import { placeDeltaPayload } from '../store/delta-objects.ts';
import type { ObjectStore } from '../store/object-store.ts';

export interface IngestContext {
  readonly ddb: Ddb;
  readonly table: string;
  readonly config: GeneratorConfig;
  readonly log: Logger;
  readonly metrics: MetricsRecorder;
  readonly nowMs: () => number;
  readonly newAttemptId: () => string;
  /** How long delta items live (TTL); the flusher must fold them well before. */
  readonly deltaTtlSeconds: number;
  readonly maxPartBytes?: number;
  readonly maxRecordBytes?: number;
  /** Where deltas above `objectThresholdBytes` go (claim check); none: every delta stays inline. */
  readonly objects?: ObjectStore;
  readonly objectThresholdBytes?: number;
}

export interface PartitionRecords {
  readonly topic: string;
  readonly partition: number;
  /** In offset order. */
  readonly records: readonly KafkaRecord[];
}

export interface PartitionResult {
  readonly topic: string;
  readonly partition: number;
  /** Records skipped because an earlier attempt already committed them. */
  readonly alreadyCommitted: number;
  /** The committed delta, when this call committed one. */
  readonly committed?: {
    readonly firstOffset: number;
    readonly lastOffset: number;
    readonly bytes: number;
    /** Delta items written: the parts, or the one pointer item of a delta in the object store. */
    readonly parts: number;
    /** The object holding the delta, when it went to the object store. */
    readonly objectKey?: string;
  };
}

/** How often to start over when another invocation moved the cursor under us. */
const MAX_COMMIT_ROUNDS = 3;

export async function ingestPartition(ctx: IngestContext, batch: PartitionRecords): Promise<PartitionResult> {
  const { topic, partition } = batch;
  const dims = { topic };
  for (let round = 1; round <= MAX_COMMIT_ROUNDS; round++) {
    const cursor = await readCursor(ctx.ddb, ctx.table, topic, partition);
    const fresh = batch.records.filter((r) => r.offset > cursor.offset);
    const alreadyCommitted = batch.records.length - fresh.length;
    if (alreadyCommitted > 0) ctx.metrics.add('RecordsAlreadyCommitted', alreadyCommitted, 'Count', dims);
    if (fresh.length === 0) return { topic, partition, alreadyCommitted };

    const { content, recordBytes, serviceGraphs } = aggregate(ctx, topic, partition, fresh);
    const encoded = encodeDelta(content);
    const attempt = ctx.newAttemptId();
    const id = { topic, partition, firstOffset: content.firstOffset, lastOffset: content.lastOffset, attempt };
    const payload = await placeDeltaPayload(encoded, id, {
      objects: ctx.objects,
      thresholdBytes: ctx.objectThresholdBytes,
      maxPartBytes: ctx.maxPartBytes,
    });
    const nowMs = ctx.nowMs();
    await putDelta(ctx.ddb, ctx.table, {
      ...id,
      ...payload,
      prev: cursor,
      ttlSeconds: Math.floor(nowMs / 1000) + ctx.deltaTtlSeconds,
      writtenAtMs: nowMs,
    });
    const items = payload.parts?.length ?? 1;
    const next: Cursor = { offset: content.lastOffset, attempt, committedAtMs: nowMs };
    if (await commitCursor(ctx.ddb, ctx.table, topic, partition, cursor, next)) {
      recordCommitted(ctx.metrics, dims, content, encoded.length, items);
      ctx.metrics.add('RecordBytes', recordBytes, 'Bytes', dims);
      recordServiceGraphCounters(ctx.metrics, dims, serviceGraphs);
      const objectKey = payload.object?.key;
      return {
        topic,
        partition,
        alreadyCommitted,
        committed: {
          firstOffset: content.firstOffset,
          lastOffset: content.lastOffset,
          bytes: encoded.length,
          parts: items,
          ...(objectKey !== undefined && { objectKey }),
        },
      };
    }
    // Another invocation of this partition (a retry racing a slow original) committed first.
    ctx.metrics.add('CommitConflicts', 1, 'Count', dims);
    ctx.log.warn('commit cursor moved during the batch; starting over from the new cursor', {
      topic,
      partition,
      round,
    });
  }
  throw new Error(`${topic}-${partition}: commit cursor kept moving during ${MAX_COMMIT_ROUNDS} attempts`);
}

/**
 * Runs a batch through decoding, the processors and delta encoding and writes nothing; returns the
 * spans decoded. For warming up a fresh thread's code before real batches.
 */
export function rehearseIngest(ctx: IngestContext, batch: PartitionRecords): number {
  if (batch.records.length === 0) return 0;
  const { content } = aggregate(ctx, batch.topic, batch.partition, batch.records);
  encodeDelta(content);
  return content.spans;
}

function aggregate(
  ctx: IngestContext,
  topic: string,
  partition: number,
  records: readonly KafkaRecord[],
): { content: DeltaContent; recordBytes: number; serviceGraphs: ServiceGraphsCounters } {
  const batch = new SpanBatch(ctx.config, { applySlack: true, log: ctx.log, maxRecordBytes: ctx.maxRecordBytes });
  let minTs = Infinity;
  let maxTs = 0;
  const nowMs = ctx.nowMs();
  for (const r of records) {
    const badBefore = badRecordCount(batch.stats.badRecords);
    batch.addRecord(r);
    // The delta's record clock becomes the flusher's shared data clock (service-graph expiry for
    // every tenant): a rejected record must not move it, an accepted one at most to now + slack.
    if (r.timestampMs > 0 && badRecordCount(batch.stats.badRecords) === badBefore) {
      const ts = Math.min(r.timestampMs, nowMs + ctx.config.tenant(recordTenant(r, ctx.config)).ingestionSlackMs);
      if (ts < minTs) minTs = ts;
      if (ts > maxTs) maxTs = ts;
    }
  }
  // Edges still unpaired leave as halves (before drain: root server edges expire into this batch).
  const pending = batch.takePending();
  const drained = batch.drain();
  const tenants: TenantDelta[] = [];
  const s = batch.stats;
  for (const tenant of new Set([...drained.keys(), ...pending.keys(), ...s.tenants.keys()])) {
    const p = pending.get(tenant);
    const increments = drained.get(tenant) ?? [];
    const t = s.tenants.get(tenant);
    const received =
      t === undefined || (t.spansReceived === 0 && t.bytesReceived === 0 && t.spansDiscarded.size === 0)
        ? undefined
        : { spans: t.spansReceived, bytes: t.bytesReceived, spansDiscarded: Object.fromEntries(t.spansDiscarded) };
    tenants.push({
      tenant,
      increments,
      ...(p !== undefined && { edgeHalves: p.halves, droppedSides: p.droppedSides }),
      ...(received !== undefined && { received }),
    });
  }
  const content: DeltaContent = {
    topic,
    partition,
    firstOffset: records[0].offset,
    lastOffset: records[records.length - 1].offset,
    minTimestampMs: minTs === Infinity ? 0 : minTs,
    maxTimestampMs: maxTs,
    records: s.records,
    spans: s.spansReceived,
    badRecords: Object.fromEntries(s.badRecords),
    spansDiscarded: Object.fromEntries(s.spansDiscarded),
    tenants,
  };
  return { content, recordBytes: s.recordBytes, serviceGraphs: batch.serviceGraphCounters() };
}

function badRecordCount(byReason: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const v of byReason.values()) n += v;
  return n;
}

/** Tempo's service-graph self-monitoring counters of the ingest tier (the flusher adds its own). */
function recordServiceGraphCounters(m: MetricsRecorder, dims: { topic: string }, c: ServiceGraphsCounters): void {
  if (c.edges > 0) m.add('ServiceGraphEdges', c.edges, 'Count', dims);
  if (c.droppedSpans > 0) m.add('ServiceGraphDroppedSpans', c.droppedSpans, 'Count', dims);
  if (c.droppedEdges > 0) m.add('ServiceGraphDroppedEdges', c.droppedEdges, 'Count', dims);
  for (const [kind, n] of c.expiredEdges)
    m.add('ServiceGraphExpiredEdges', n, 'Count', { ...dims, unmatched_span_kind: kind });
}

function recordCommitted(
  m: MetricsRecorder,
  dims: { topic: string },
  c: DeltaContent,
  bytes: number,
  parts: number,
): void {
  m.add('Records', c.records, 'Count', dims);
  m.add('Spans', c.spans, 'Count', dims);
  m.add('DeltaBytes', bytes, 'Bytes', dims);
  m.add('DeltaItems', parts, 'Count', dims);
  let series = 0;
  for (const t of c.tenants) series += t.increments.length;
  m.add('DeltaSeries', series, 'Count', dims);
  for (const [reason, n] of Object.entries(c.badRecords)) m.add('BadRecords', n, 'Count', { ...dims, reason });
  for (const [key, n] of Object.entries(c.spansDiscarded)) {
    const [reason, processor] = key.split('|');
    m.add('SpansDiscarded', n, 'Count', { ...dims, reason, processor });
  }
}
