// Delta items: one committed delta per partition batch, split in parts of at most ~350 KB.
//
// Every attempt at a batch writes its parts under its own random attempt id, and records the
// cursor it started from (prev offset + prev attempt). Committing moves the partition cursor to
// (last offset, attempt id). Readers follow the prev links (lib/store/delta-chain.ts), so only
// committed deltas are ever folded: parts left by a failed attempt, or written late by a zombie
// invocation, sit under attempt ids no cursor points to and expire by TTL.

import type { Ddb } from './ddb.ts';
import type { Cursor } from './cursor.ts';
import { readDeltaSlice, type CommittedDelta } from './delta-chain.ts';
import { deltaPk, deltaSk } from './keys.ts';

export type { CommittedDelta } from './delta-chain.ts';

export interface DeltaWrite {
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly attempt: string;
  /** The cursor this attempt started from. */
  readonly prev: Cursor;
  /** The encoded delta split in parts. */
  readonly parts: readonly Uint8Array[];
  /** Expiry, epoch seconds. */
  readonly ttlSeconds: number;
  /** When the attempt wrote it (ms): the flusher's fold-lag estimate for positions inside a backlog. */
  readonly writtenAtMs?: number;
}

export async function putDelta(ddb: Ddb, table: string, w: DeltaWrite): Promise<void> {
  const pk = deltaPk(w.topic, w.partition);
  // Parts go out in parallel: they are independent items, and the commit waits for all of them.
  await Promise.all(
    w.parts.map((data, part) =>
      ddb.putItem({
        TableName: table,
        Item: {
          pk: { S: pk },
          sk: { S: deltaSk(w.firstOffset, w.attempt, part) },
          d: { B: data },
          parts: { N: String(w.parts.length) },
          last: { N: String(w.lastOffset) },
          prevOff: { N: String(w.prev.offset) },
          prevAtt: { S: w.prev.attempt },
          ttl: { N: String(w.ttlSeconds) },
          ...(w.writtenAtMs === undefined ? {} : { at: { N: String(w.writtenAtMs) } }),
        },
      }),
    ),
  );
}

export class DeltaChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeltaChainError';
  }
}

/**
 * Every committed delta after `after` up to `cursor`, oldest first; throws DeltaChainError at
 * the first gap. For readers that need the exact chain (tests, tools); the flusher reads slices
 * with readDeltaSlice and steps over gaps.
 */
export async function readCommittedDeltas(
  ddb: Ddb,
  table: string,
  topic: string,
  partition: number,
  after: Cursor,
  cursor: Cursor,
): Promise<CommittedDelta[]> {
  const out: CommittedDelta[] = [];
  for (let at = after; ; ) {
    const slice = await readDeltaSlice(ddb, table, topic, partition, at, cursor, 1000);
    if (slice.gaps.length > 0) {
      const g = slice.gaps[0];
      throw new DeltaChainError(`${topic}-${partition}: committed offsets ${g.afterOffset + 1}..${g.lastOffset} are gone (${g.reason})`);
    }
    for (const d of slice.deltas) out.push(d);
    if (slice.done) return out;
    at = slice.position;
  }
}
