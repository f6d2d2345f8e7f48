// The exemplars a classic histogram holds until the next collection sends them: per bucket the
// latest observation with a trace id (Tempo: modules/generator/registry/histogram.go keeps one per
// bucket and clears it once collected). They are held compactly because a flusher with a million
// series holds one per bucket that saw a traced span since the last collection: one flat number
// array of records [bucket, value, id0, id1, id2] for the buckets that have one, allocated with the
// first and dropped by the collection. A trace id of 32 lowercase hex digits (what the decoders
// produce) is packed as three integers of 48, 48 and 32 bits; any other text is kept as a string
// beside the records (id0 = -1, id1 = its index there) and comes back unchanged.

import type { Exemplar } from './types.ts';

const RECORD = 5;
const EMPTY: readonly number[] = [];
const HEX_DIGITS = 32;

export interface PendingExemplarHolder {
  /** Records of the buckets with a pending exemplar (undefined: none). */
  exemplars: number[] | undefined;
  /** Trace ids that are not 32 lowercase hex digits, indexed by their records. */
  exemplarTexts: string[] | undefined;
}

/** Holds (traceId, value) as bucket's pending exemplar, replacing the one held before. */
export function holdExemplar(h: PendingExemplarHolder, bucket: number, traceId: string, value: number): void {
  let records = h.exemplars;
  let at = -1;
  if (records !== undefined) for (let i = 0; i < records.length; i += RECORD) if (records[i] === bucket) at = i;
  if (records === undefined || at < 0) {
    // A copy of exact size rather than a push, which would leave room for 16 more numbers.
    const held = records ?? EMPTY;
    at = held.length;
    records = [bucket, 0.5, 0.5, 0.5, 0.5]; // a double array from the start: numbers unboxed
    records.length = at + RECORD;
    for (let i = 0; i < at; i++) records[i] = held[i];
    records[at] = bucket;
    h.exemplars = records;
  }
  records[at + 1] = value;
  if (traceId.length === HEX_DIGITS) {
    const a = hexValue(traceId, 0, 12);
    const b = hexValue(traceId, 12, 24);
    const c = hexValue(traceId, 24, 32);
    if (a >= 0 && b >= 0 && c >= 0) {
      records[at + 2] = a;
      records[at + 3] = b;
      records[at + 4] = c;
      return;
    }
  }
  const texts = (h.exemplarTexts ??= []);
  if (records[at + 2] === -1) {
    texts[records[at + 3]] = traceId; // this bucket's text slot is reused
    return;
  }
  records[at + 2] = -1;
  records[at + 3] = texts.length;
  records[at + 4] = 0;
  texts.push(traceId);
}

/**
 * The pending exemplars by bucket (an array of `buckets` entries, undefined where a bucket has
 * none), or undefined when none is pending. One pass over the records, for a collection that
 * walks every bucket.
 */
export function pendingExemplars(h: PendingExemplarHolder, buckets: number): (Exemplar | undefined)[] | undefined {
  const records = h.exemplars;
  if (records === undefined) return undefined;
  const out = new Array<Exemplar | undefined>(buckets).fill(undefined);
  for (let i = 0; i < records.length; i += RECORD) {
    const bucket = records[i];
    if (bucket >= buckets || out[bucket] !== undefined) continue; // the first record of a bucket holds it
    const traceId =
      records[i + 2] === -1
        ? h.exemplarTexts![records[i + 3]]
        : traceIdText(records[i + 2], records[i + 3], records[i + 4]);
    out[bucket] = { traceId, value: records[i + 1] };
  }
  return out;
}

/** Forgets every pending exemplar (after they were collected). */
export function clearExemplars(h: PendingExemplarHolder): void {
  h.exemplars = undefined;
  h.exemplarTexts = undefined;
}

/** The integer of hex digits [from, to) of s, or -1 if one is not 0-9 or a-f. */
function hexValue(s: string, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c >= 48 && c <= 57) d = c - 48;
    else if (c >= 97 && c <= 102) d = c - 87;
    else return -1;
    v = v * 16 + d;
  }
  return v;
}

const HEX_CODES = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
const traceIdCodes = new Array<number>(HEX_DIGITS).fill(0);

/** The 32 lowercase hex digits of a trace id packed as (48, 48, 32 bits). */
function traceIdText(a: number, b: number, c: number): string {
  // One string from char codes: a collection turns every pending exemplar back into text, and
  // toString(16) + padStart per part allocates six strings for each.
  putHex(a, 0, 12);
  putHex(b, 12, 12);
  putHex(c, 24, 8);
  return String.fromCharCode.apply(null, traceIdCodes);
}

function putHex(v: number, at: number, digits: number): void {
  for (let i = at + digits - 1; i >= at; i--) {
    traceIdCodes[i] = HEX_CODES[v % 16];
    v = Math.floor(v / 16);
  }
}
