// Delta items: one committed delta per partition batch, split in parts of at most ~350 KB.
//
// Every attempt at a batch writes its parts under its own random attempt id, and records the
// cursor it started from (prev offset + prev attempt). Committing moves the partition cursor to
// (last offset, attempt id). Readers follow the prev links (lib/store/delta-chain.ts), so only
// committed deltas are ever folded: parts left by a failed attempt, or written late by a zombie
// invocation, sit under attempt ids no cursor points to and expire by TTL.
//
// A large delta is not in its item at all: the item names an object (key, size, CRC-32) that the
// attempt PUT before writing the item (delta-objects.ts, the claim check).

import type { Ddb } from './ddb.ts';
import type { Cursor } from './cursor.ts';
import { readDeltaSlice, type CommittedDelta } from './delta-chain.ts';
import type { DeltaPayload } from './delta-objects.ts';
import { deltaPk, deltaSk } from './keys.ts';
import type { ObjectStore } from './object-store.ts';

export type { CommittedDelta } from './delta-chain.ts';

interface DeltaWriteBase {
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly attempt: string;
  /** The cursor this attempt started from. */
  readonly prev: Cursor;
  /** Expiry, epoch seconds. */
  readonly ttlSeconds: number;
  /** When the attempt wrote it (ms): the flusher's fold-lag estimate for positions inside a backlog. */
  readonly writtenAtMs?: number;
}

/** One attempt's delta: the encoded delta split in parts, or (claim check) the object holding it. */
export type DeltaWrite = DeltaWriteBase & DeltaPayload;

export async function putDelta(ddb: Ddb, table: string, w: DeltaWrite): Promise<void> {
  const pk = deltaPk(w.topic, w.partition);
  const object = w.object;
  const payloads =
    object === undefined
      ? w.parts.map((data) => ({ d: { B: data } }))
      : [{ o: { S: object.key }, sz: { N: String(object.bytes) }, crc: { N: String(object.crc32) } }];
  // Parts go out in parallel: they are independent items, and the commit waits for all of them.
  await Promise.all(
    payloads.map((payload, part) =>
      ddb.putItem({
        TableName: table,
        Item: {
          pk: { S: pk },
          sk: { S: deltaSk(w.firstOffset, w.attempt, part) },
          ...payload,
          parts: { N: String(payloads.length) },
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
  objects?: ObjectStore,
): Promise<CommittedDelta[]> {
  const out: CommittedDelta[] = [];
  for (let at = after; ; ) {
    const slice = await readDeltaSlice(ddb, table, topic, partition, at, cursor, 1000, objects);
    if (slice.gaps.length > 0) {
      const g = slice.gaps[0];
      throw new DeltaChainError(
        `${topic}-${partition}: committed offsets ${g.afterOffset + 1}..${g.lastOffset} are gone (${g.reason})`,
      );
    }
    for (const d of slice.deltas) out.push(d);
    if (slice.done) return out;
    at = slice.position;
  }
}
