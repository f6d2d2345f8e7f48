// Which committed deltas the flusher folds next, and when it stops: every partition behind its
// cursor gets a bounded slice in turn (so one partition's backlog never starves the others and
// partitions stay close in record time), until the invocation's deadline. Progress is kept per
// partition, so a backlog larger than one invocation can fold is caught up over several.
//
// A delta that is gone (a gap in the chain: its item, a part, or the object a large delta lives
// in) or does not decode is skipped on its partition only, counted and logged with its offsets;
// every other partition and tenant keeps flowing. A read that fails (DynamoDB or the object
// store) throws: the run is retried and nothing is skipped.

import { DeltaFormatError, decodeDelta, joinParts, type DeltaContent } from '../delta/index.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import { NO_CURSOR, readAllCursors, type Cursor } from '../store/cursor.ts';
import type { Ddb } from '../store/ddb.ts';
import { readDeltaSlice, type CommittedDelta, type DeltaGap } from '../store/delta-chain.ts';
import type { ObjectStore } from '../store/object-store.ts';

export interface FoldPosition {
  readonly topic: string;
  readonly partition: number;
  readonly cursor: Cursor;
}

export interface BacklogDeps {
  readonly ddb: Ddb;
  readonly deltasTable: string;
  readonly log: Logger;
  readonly metrics: MetricsRecorder;
  readonly clock: () => number;
  /** Where claim-checked (large) deltas live. */
  readonly objects?: ObjectStore;
}

export interface FoldOutcome {
  readonly folded: number;
  /**
   * Partitions still behind their cursor when the deadline came, with the latest record time
   * folded from each in this call (0 if none): pending halves must wait for those partitions.
   */
  readonly behind: ReadonlyMap<string, number>;
}

/** Deltas per partition per turn: small enough to keep partitions in step, large enough to amortize a Query. */
export const DEFAULT_SLICE_DELTAS = 16;

interface Lane {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly cursor: Cursor;
  at: Cursor;
  recordClockMs: number;
}

export function positionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/**
 * Folds committed deltas after `positions` (updated in place) until every partition reached its
 * cursor or `deadlineMs` passed; `apply` receives each decoded delta in chain order per partition.
 * `turn` rotates which partition goes first, so a deadline does not always cut the same ones.
 */
export async function foldBacklog(
  deps: BacklogDeps,
  positions: Map<string, FoldPosition>,
  opts: {
    readonly nowMs: number;
    readonly deadlineMs: number;
    readonly sliceDeltas?: number;
    readonly turn?: number;
    /** Sees every partition's committed and folded cursors before folding (partition lag). */
    readonly onPartition?: (topic: string, partition: number, committed: Cursor, folded: Cursor) => void;
  },
  apply: (delta: DeltaContent, committed: CommittedDelta) => void,
): Promise<FoldOutcome> {
  const { ddb, deltasTable, metrics, clock } = deps;
  const sliceDeltas = opts.sliceDeltas ?? DEFAULT_SLICE_DELTAS;
  let maxLagSeconds = 0;
  let lanes: Lane[] = [];
  for (const { topic, partition, cursor } of await readAllCursors(ddb, deltasTable)) {
    const key = positionKey(topic, partition);
    const after = positions.get(key)?.cursor ?? NO_CURSOR;
    opts.onPartition?.(topic, partition, cursor, after);
    if (cursor.offset <= after.offset) continue;
    // Unfolded deltas were committed after the folded position: they waited at most this long.
    const since = after.committedAtMs > 0 ? after.committedAtMs : cursor.committedAtMs;
    if (since > 0) maxLagSeconds = Math.max(maxLagSeconds, (opts.nowMs - since) / 1000);
    metrics.set('FoldLagOffsets', cursor.offset - after.offset, 'Count', { topic, partition: String(partition) });
    lanes.push({ key, topic, partition, cursor, at: after, recordClockMs: 0 });
  }
  metrics.set('FoldLagSeconds', maxLagSeconds, 'Seconds');
  if (lanes.length > 0) {
    const first = (opts.turn ?? 0) % lanes.length;
    lanes = [...lanes.slice(first), ...lanes.slice(0, first)];
  }

  let folded = 0;
  let active = lanes;
  while (active.length > 0 && clock() < opts.deadlineMs) {
    const next: Lane[] = [];
    for (const lane of active) {
      if (clock() >= opts.deadlineMs) {
        next.push(lane);
        continue;
      }
      const slice = await readDeltaSlice(
        ddb,
        deltasTable,
        lane.topic,
        lane.partition,
        lane.at,
        lane.cursor,
        sliceDeltas,
        deps.objects,
      );
      for (const gap of slice.gaps) reportGap(deps, lane, gap);
      for (const committed of slice.deltas) {
        const delta = decodeCommitted(deps, lane, committed);
        if (delta === undefined) continue;
        apply(delta, committed);
        if (delta.maxTimestampMs > lane.recordClockMs) lane.recordClockMs = delta.maxTimestampMs;
        folded++;
      }
      lane.at = slice.position;
      positions.set(lane.key, { topic: lane.topic, partition: lane.partition, cursor: slice.position });
      if (!slice.done) next.push(lane);
    }
    active = next;
  }
  metrics.add('DeltasFolded', folded);
  const behind = new Map<string, number>();
  for (const lane of active) behind.set(lane.key, lane.recordClockMs);
  metrics.set('PartitionsBehind', behind.size, 'Count');
  return { folded, behind };
}

function decodeCommitted(deps: BacklogDeps, lane: Lane, committed: CommittedDelta): DeltaContent | undefined {
  try {
    return decodeDelta(joinParts(committed.parts));
  } catch (e) {
    if (!(e instanceof DeltaFormatError)) throw e;
    // A committed delta that does not decode would stop every later fold: skip it, loudly.
    deps.metrics.add('CorruptDeltas', 1, 'Count', { topic: lane.topic });
    deps.log.error('skipping a committed delta that does not decode', {
      topic: lane.topic,
      partition: lane.partition,
      firstOffset: committed.firstOffset,
      lastOffset: committed.lastOffset,
      error: e.message,
    });
    return undefined;
  }
}

function reportGap(deps: BacklogDeps, lane: Lane, gap: DeltaGap): void {
  const offsets = gap.lastOffset - gap.afterOffset;
  deps.metrics.add('DeltasLost', 1, 'Count', { topic: lane.topic });
  deps.metrics.add('OffsetsLost', offsets, 'Count', { topic: lane.topic });
  deps.log.error('skipping committed offsets whose delta is gone; their counts are lost', {
    topic: lane.topic,
    partition: lane.partition,
    firstOffset: gap.afterOffset + 1,
    lastOffset: gap.lastOffset,
    reason: gap.reason,
    ...(gap.attempt === undefined ? {} : { attempt: gap.attempt }),
    ...(gap.missingParts === undefined ? {} : { missingParts: gap.missingParts }),
    ...(gap.objectKey === undefined ? {} : { objectKey: gap.objectKey }),
  });
}
