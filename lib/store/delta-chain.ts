// Reading a partition's committed delta chain forward, a bounded slice at a time, and stepping
// over what is gone.
//
// Every delta item names the cursor its attempt started from (prevOff, prevAtt), so the chain is
// defined backwards from the partition cursor. Reading forward needs a proof that a delta was
// committed, because a failed attempt started from the same cursor as the committed retry: a
// delta is committed if it is the cursor itself or if any later attempt (committed or not)
// started from it, since an attempt only ever starts from a cursor that was committed.
//
// A delta that is gone (expired by TTL after a long lag, a lost part) is a gap: the next
// committed delta still names where its predecessor ended, so the lost offsets are known exactly
// and reading goes on after them.
//
// A delta whose item names an object (the claim check, delta-objects.ts) is read from the object
// store once the chain proves it committed; an object that is gone or fails its size/CRC check is
// a gap like a missing item, and a GET that fails throws (the run is retried).

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Ddb } from './ddb.ts';
import type { Cursor } from './cursor.ts';
import { fetchDeltaObject, type DeltaObjectRef, type ObjectGapReason } from './delta-objects.ts';
import { deltaPk, padOffset } from './keys.ts';
import type { ObjectStore } from './object-store.ts';

export interface CommittedDelta {
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly attempt: string;
  /** When the ingest wrote it (ms; 0 for items written before this was recorded). */
  readonly writtenAtMs: number;
  /** The parts, in order (join them and decode with lib/delta). */
  readonly parts: Uint8Array[];
}

/** Committed offsets whose delta could not be read: afterOffset+1 .. lastOffset are lost. */
export interface DeltaGap {
  readonly afterOffset: number;
  readonly lastOffset: number;
  /**
   * `missing_delta`: no item is left; `missing_parts`: some parts of a committed delta are gone;
   * `missing_object`: the object a committed delta names is gone; `object_checksum`: it is there
   * but its size or CRC-32 is not what the item recorded.
   */
  readonly reason: 'missing_delta' | 'missing_parts' | ObjectGapReason;
  /** The attempt id of the damaged delta (all but missing_delta). */
  readonly attempt?: string;
  readonly missingParts?: readonly number[];
  readonly objectKey?: string;
}

export interface DeltaSlice {
  /** Committed deltas in chain order. */
  readonly deltas: readonly CommittedDelta[];
  readonly gaps: readonly DeltaGap[];
  /** The position after everything in the slice (deltas and gaps). */
  readonly position: Cursor;
  /** True when the position reached the cursor. */
  readonly done: boolean;
}

interface Group {
  readonly first: number;
  readonly last: number;
  readonly attempt: string;
  readonly prevOff: number;
  readonly prevAtt: string;
  readonly writtenAtMs: number;
  readonly parts: (Uint8Array | undefined)[];
  /** Set when the payload is an object (claim check) rather than the parts. */
  readonly object?: DeltaObjectRef;
}

const link = (offset: number, attempt: string) => `${offset}#${attempt}`;
/** What an object-pointer item holds in place of its payload. */
const EMPTY = new Uint8Array(0);

/** The delta items of one partition from an offset on, read page by page as the walk needs them. */
class DeltaWindow {
  readonly groups = new Map<string, Group>();
  /** Groups by the cursor they started from. */
  readonly startedFrom = new Map<string, Group[]>();
  /** Highest first offset read so far: groups there may still miss parts on the next page. */
  maxFirst = -1;
  complete = false;
  private start: Record<string, AttributeValue> | undefined;

  constructor(
    private readonly ddb: Ddb,
    private readonly table: string,
    private readonly topic: string,
    private readonly partition: number,
    private readonly fromOffset: number,
    private readonly toOffset: number,
    /** Items per page: a slice reads about as much as it folds, not the whole backlog. */
    private readonly pageItems: number,
  ) {}

  /** Reads one more page; false when everything up to the cursor was read. */
  async more(): Promise<boolean> {
    if (this.complete) return false;
    const page = await this.ddb.query({
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':pk': { S: deltaPk(this.topic, this.partition) },
        ':lo': { S: padOffset(this.fromOffset) },
        ':hi': { S: padOffset(this.toOffset) + '~' },
      },
      ConsistentRead: true,
      ExclusiveStartKey: this.start,
      Limit: this.pageItems,
    });
    for (const item of page.Items ?? []) this.add(item);
    this.start = page.LastEvaluatedKey;
    if (this.start === undefined) this.complete = true;
    return true;
  }

  /** Groups read in full: every group before the last first offset, or all once complete. */
  settled(g: Group): boolean {
    return this.complete || g.first < this.maxFirst;
  }

  /** Settled groups, for the read-ahead bound. */
  settledCount(): number {
    let n = 0;
    for (const g of this.groups.values()) if (this.settled(g)) n++;
    return n;
  }

  private add(item: Record<string, AttributeValue>): void {
    const [first, attempt, part] = item.sk.S!.split('#');
    let g = this.groups.get(attempt);
    if (g === undefined) {
      g = {
        first: Number(first),
        last: Number(item.last.N),
        attempt,
        prevOff: Number(item.prevOff.N),
        prevAtt: item.prevAtt.S ?? '',
        writtenAtMs: Number(item.at?.N ?? 0),
        parts: Array.from({ length: Number(item.parts.N) }, () => undefined),
        ...(item.o?.S !== undefined && {
          object: { key: item.o.S, bytes: Number(item.sz?.N), crc32: Number(item.crc?.N) },
        }),
      };
      this.groups.set(attempt, g);
      const from = link(g.prevOff, g.prevAtt);
      const list = this.startedFrom.get(from);
      if (list === undefined) this.startedFrom.set(from, [g]);
      else list.push(g);
      if (g.first > this.maxFirst) this.maxFirst = g.first;
    }
    const i = Number(part);
    // a pointer item has no payload of its own; an inline item without one is a missing part
    if (i >= 0 && i < g.parts.length) g.parts[i] = item.d?.B ?? (g.object !== undefined ? EMPTY : undefined);
  }
}

/**
 * The next committed deltas of one partition after `after`, at most `maxDeltas` of them, up to
 * `cursor`, with the gaps met on the way. Reads only as far as the slice needs (plus the next
 * delta, which proves the last one committed).
 */
export async function readDeltaSlice(
  ddb: Ddb,
  table: string,
  topic: string,
  partition: number,
  after: Cursor,
  cursor: Cursor,
  maxDeltas: number,
  /** Where claim-checked payloads live; a pointer item met without one throws. */
  objects?: ObjectStore,
): Promise<DeltaSlice> {
  /** Committed groups taken in chain order, with the position before each. */
  const taken: { readonly g: Group; readonly afterOffset: number }[] = [];
  const gaps: DeltaGap[] = [];
  let at = after;
  if (cursor.offset <= after.offset) return { deltas: [], gaps, position: after, done: true };
  const w = new DeltaWindow(ddb, table, topic, partition, after.offset + 1, cursor.offset, maxDeltas + 2);
  const committed = (g: Group) =>
    (g.last === cursor.offset && g.attempt === cursor.attempt) || w.startedFrom.has(link(g.last, g.attempt));
  while (w.settledCount() <= maxDeltas && (await w.more()));

  const take = (g: Group): void => {
    const missing: number[] = [];
    for (let i = 0; i < g.parts.length; i++) if (g.parts[i] === undefined) missing.push(i);
    if (missing.length > 0) {
      gaps.push({
        afterOffset: at.offset,
        lastOffset: g.last,
        reason: 'missing_parts',
        attempt: g.attempt,
        missingParts: missing,
      });
    } else {
      taken.push({ g, afterOffset: at.offset });
    }
    at = { offset: g.last, attempt: g.attempt, committedAtMs: g.writtenAtMs };
  };

  while (at.offset < cursor.offset && taken.length < maxDeltas) {
    const candidates = w.startedFrom.get(link(at.offset, at.attempt)) ?? [];
    const next = candidates.find((g) => w.settled(g) && committed(g));
    if (next !== undefined) {
      take(next);
      continue;
    }
    // No proven successor: it may lie beyond what was read, or be gone.
    const resume = nextCommitted(w, at, committed);
    if (!w.complete && resume === undefined) {
      if (taken.length + gaps.length > 0) break; // enough for this slice; the next one reads on
      await w.more();
      continue;
    }
    // The chain breaks between here and `resume` (or the cursor). A single attempt that started
    // here and ends inside the break is the committed successor whose own successor is gone: only
    // a failed attempt whose committed retry is gone as well could look the same.
    const limit = resume === undefined ? cursor.offset : resume.prevOff;
    if (
      candidates.length === 1 &&
      w.settled(candidates[0]) &&
      (candidates[0].last <= limit || candidates[0] === resume)
    ) {
      take(candidates[0]);
      continue;
    }
    if (resume === undefined) {
      // Nothing committed is left up to the cursor: the cursor's own delta is gone.
      gaps.push({ afterOffset: at.offset, lastOffset: cursor.offset, reason: 'missing_delta' });
      at = cursor;
    } else {
      if (resume.prevOff <= at.offset)
        throw new Error(
          `${topic}-${partition}: delta ${resume.attempt} at offset ${resume.first} starts before the folded position ${at.offset}`,
        );
      gaps.push({ afterOffset: at.offset, lastOffset: resume.prevOff, reason: 'missing_delta' });
      at = { offset: resume.prevOff, attempt: resume.prevAtt, committedAtMs: 0 };
    }
  }
  const position = at.offset >= cursor.offset ? { ...at, committedAtMs: cursor.committedAtMs } : at;
  const deltas = await payloadsOf(taken, gaps, objects, `${topic}-${partition}`);
  return { deltas, gaps, position, done: at.offset >= cursor.offset };
}

/**
 * The taken groups as committed deltas, their objects fetched (in parallel: a slice is bounded);
 * an object that is gone or damaged becomes a gap, in offset order with the others.
 */
async function payloadsOf(
  taken: readonly { g: Group; afterOffset: number }[],
  gaps: DeltaGap[],
  objects: ObjectStore | undefined,
  where: string,
): Promise<CommittedDelta[]> {
  const fetched = await Promise.all(
    taken.map(async ({ g }) => {
      if (g.object === undefined) return { bytes: undefined };
      if (objects === undefined)
        throw new Error(
          `${where}: committed delta at offsets ${g.first}..${g.last} is in the object store (${g.object.key}), but none is configured (DATA_BUCKET)`,
        );
      return fetchDeltaObject(objects, g.object);
    }),
  );
  const deltas: CommittedDelta[] = [];
  let objectGaps = false;
  taken.forEach(({ g, afterOffset }, i) => {
    const got = fetched[i];
    if ('reason' in got) {
      gaps.push({ afterOffset, lastOffset: g.last, reason: got.reason, attempt: g.attempt, objectKey: g.object?.key });
      objectGaps = true;
      return;
    }
    const parts = got.bytes === undefined ? (g.parts as Uint8Array[]) : [got.bytes];
    deltas.push({ firstOffset: g.first, lastOffset: g.last, attempt: g.attempt, writtenAtMs: g.writtenAtMs, parts });
  });
  if (objectGaps) gaps.sort((a, b) => a.afterOffset - b.afterOffset);
  return deltas;
}

/**
 * Where the chain resumes after a break at `at`: the earliest settled delta after it that is
 * proven committed, else the earliest that is the only attempt from its starting cursor (a
 * committed delta whose successors are gone; only a failed attempt whose committed twin is gone
 * as well looks the same, and a twin still present makes the pair ambiguous, so neither is taken).
 */
function nextCommitted(w: DeltaWindow, at: Cursor, committed: (g: Group) => boolean): Group | undefined {
  let proven: Group | undefined;
  let lone: Group | undefined;
  for (const g of w.groups.values()) {
    if (g.first <= at.offset || g.prevOff < at.offset || !w.settled(g)) continue;
    if (committed(g)) {
      if (proven === undefined || g.first < proven.first) proven = g;
    } else if (
      (w.startedFrom.get(link(g.prevOff, g.prevAtt))?.length ?? 0) === 1 &&
      (lone === undefined || g.first < lone.first)
    ) {
      lone = g;
    }
  }
  if (proven !== undefined && (lone === undefined || proven.first < lone.first)) return proven;
  return lone ?? proven;
}
