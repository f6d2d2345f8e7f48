// Layout of the uncompressed payload (format versions 1 to 3). Shared constants of the payload coders
// (payload-encode.ts, payload-decode.ts) and the record tables (records/); primitives (varint,
// number, string) are in wire-format.ts.
//
//   header (records/header.ts): topic: str; partition, firstOffset, lastOffset, minTimestampMs,
//     maxTimestampMs, records, spans: num; badRecords, spansDiscarded: counts
//   tenants: count, then per tenant: tenant: str, series count, then per series:
//     flags (byte, below), metric name: str, label set: lset, then by type
//   [version 2, per tenant after its series: edge halves: count, then per half its record
//     (records/edge-half.ts: key: bytes, trace id length: varint, flags (byte: HALF_SERVER,
//     HALF_FAILED), connection type, span kind: varint, arrival ms: num, client, server, peer
//     node: str, client and server latency: num, client end hi/lo, server start hi/lo: varint,
//     multiplier: num, dimensions: count then str); dropped sides: count, then per side its record
//     (records/dropped-side.ts: key: bytes, trace id length: varint, side: byte, arrival ms: num)]
//   [version 3, per tenant after its dropped sides (records/received.ts): spans received, bytes
//     received: num; spans discarded: counts; all zero = no counts]
//   counts: count, then (key: str, value: num) with keys strictly increasing.
//   The records/ tables are the authority for their records: the lines above describe them.
//   bytes: varint length, then the bytes.
//       counter / gauge: value: num
//       histogram: [classic] [native]
//   classic: bounds: bref; bitmap of buckets with a count other than +0, those counts: num;
//            sum, count: num; [if CLASSIC_EXEMPLARS: bitmap of buckets with an exemplar, then per
//            bucket: traceId: str, value: num]
//   native:  schema: zigzag varint; [zeroThreshold: num unless NATIVE_DEFAULT_ZERO]; zeroCount,
//            count, sum: num; positive, negative: count, then first index (zigzag) and count: num,
//            then (gap to the previous index - 1: varint, count: num)...; [if NATIVE_EXEMPLAR:
//            traceId: str, value: num]
//
// References (varint r): 0 introduces a new entry inline, otherwise r names an earlier one.
//   str:  a string dictionary for the whole delta; r = index + 1. New: a string (wire-format.ts).
//   lset: label sets per tenant, r = 1 for the latest one (calls, latency and size of one span
//         tuple share it). New: a name list (nref), then one str per label value.
//   nref: label-name lists for the whole delta, r = index + 1. New: count, then str per name.
//   bref: classic bounds lists for the whole delta, r = index + 1. New: count, then num per bound.
// Every entry is introduced where it is first used and never twice, so the encoding is canonical.

export const HALF_SERVER = 1;
export const HALF_FAILED = 2;

export const TYPE_MASK = 0b11;
export const TYPE_COUNTER = 0;
export const TYPE_GAUGE_SET = 1;
export const TYPE_GAUGE_SET_IF_ABSENT = 2;
export const TYPE_HISTOGRAM = 3;

export const HAS_CLASSIC = 1 << 2;
export const HAS_NATIVE = 1 << 3;
export const CLASSIC_EXEMPLARS = 1 << 4;
export const NATIVE_EXEMPLAR = 1 << 5;
export const NATIVE_DEFAULT_ZERO = 1 << 6;
/** Flag bits a histogram may carry (anything else set is corruption). */
export const HISTOGRAM_FLAGS =
  TYPE_MASK | HAS_CLASSIC | HAS_NATIVE | CLASSIC_EXEMPLARS | NATIVE_EXEMPLAR | NATIVE_DEFAULT_ZERO;

/**
 * Exact identity of a bounds list (String() of a double round-trips; -0 spelled apart), for
 * finding a list by content when it is not the same array object.
 */
export function boundsKey(bounds: readonly number[]): string {
  let key = '';
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i];
    key += (b === 0 && 1 / b < 0 ? '-0' : String(b)) + ',';
  }
  return key;
}
