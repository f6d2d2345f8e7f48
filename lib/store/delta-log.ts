// Delta items: one committed delta per partition batch, split in parts of at most ~350 KB.
//
// Every attempt at a batch writes its parts under its own random attempt id, and records the
// cursor it started from (prev offset + prev attempt). Committing moves the partition cursor to
// (last offset, attempt id). Readers start at the cursor and follow the prev links back, so only
// committed deltas are ever folded: parts left by a failed attempt, or written late by a zombie
// invocation, sit under attempt ids no cursor points to and expire by TTL.

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Ddb } from './ddb.ts';
import type { Cursor } from './cursor.ts';
import { deltaPk, deltaSk, padOffset } from './keys.ts';

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
        },
      }),
    ),
  );
}

export interface CommittedDelta {
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly attempt: string;
  /** The parts, in order (join them and decode with lib/delta). */
  readonly parts: Uint8Array[];
}

export class DeltaChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeltaChainError';
  }
}

interface Group {
  first: number;
  last: number;
  prevOff: number;
  prevAtt: string;
  parts: (Uint8Array | undefined)[];
}

/**
 * The committed deltas after `after` up to `cursor`, oldest first. `after` is a position the
 * reader already folded (NO_CURSOR for everything still stored).
 */
export async function readCommittedDeltas(
  ddb: Ddb,
  table: string,
  topic: string,
  partition: number,
  after: Cursor,
  cursor: Cursor,
): Promise<CommittedDelta[]> {
  if (cursor.offset <= after.offset) return [];
  const groups = new Map<string, Group>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await ddb.query({
      TableName: table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':pk': { S: deltaPk(topic, partition) },
        ':lo': { S: padOffset(after.offset + 1) },
        ':hi': { S: padOffset(cursor.offset) + '~' },
      },
      ConsistentRead: true,
      ExclusiveStartKey: start,
    });
    for (const item of page.Items ?? []) {
      const [first, attempt, part] = item.sk.S!.split('#');
      let g = groups.get(attempt);
      if (g === undefined) {
        g = {
          first: Number(first),
          last: Number(item.last.N),
          prevOff: Number(item.prevOff.N),
          prevAtt: item.prevAtt.S ?? '',
          parts: new Array(Number(item.parts.N)),
        };
        groups.set(attempt, g);
      }
      g.parts[Number(part)] = item.d.B;
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);

  const chain: CommittedDelta[] = [];
  let at = cursor;
  while (at.offset > after.offset) {
    const g = groups.get(at.attempt);
    if (g === undefined || g.last !== at.offset) {
      throw new DeltaChainError(`${topic}-${partition}: committed delta ${at.attempt} ending at offset ${at.offset} is missing`);
    }
    if (g.parts.some((p) => p === undefined)) {
      throw new DeltaChainError(`${topic}-${partition}: committed delta ${at.attempt} has missing parts`);
    }
    chain.push({ firstOffset: g.first, lastOffset: g.last, attempt: at.attempt, parts: g.parts as Uint8Array[] });
    at = { offset: g.prevOff, attempt: g.prevAtt, committedAtMs: 0 };
  }
  if (at.offset !== after.offset || at.attempt !== after.attempt) {
    throw new DeltaChainError(
      `${topic}-${partition}: delta chain reaches offset ${at.offset} (${at.attempt || 'start'}), not the folded position ${after.offset} (${after.attempt || 'start'})`,
    );
  }
  return chain.reverse();
}
