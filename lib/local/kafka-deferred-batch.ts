// Compressed record batches handed to the ingest thread still compressed. Decompressing in
// kafkajs's codec (on the main thread) took over a quarter of the main thread's time, and every
// decompressed value was then copied once more to reach the ingest thread. Instead, local mode's
// codec (kafka-codecs.ts) answers kafkajs with a stand-in: as many tiny empty records as the batch
// holds, with the batch's first and last offsets, so kafkajs still sees the batch's extent (its
// fetch position, `lastOffset()` and the offsets committed stay exactly as before). The
// compressed bytes and the batch header are remembered under the stand-in's memory; the records
// then carry them (toKafkaRecords) to the ingest thread, which decompresses and decodes the real
// records there (kafka-batch-records.ts).
//
// kafkajs 2.2.4 passes the codec a view into the fetch response, right behind the batch header
// (Kafka's RecordBatch v2: 61 bytes from FirstOffset to the record count). The header is read
// from there and checked against the compressed bytes; anything unexpected, and transactional or
// control batches (kafkajs filters those by their records), are decompressed as before.

import type { KafkaRecord } from '../decode/kafka-record.ts';

/** What the ingest thread needs to decode a batch's records (Kafka's RecordBatch v2 header). */
export interface DeferredBatch {
  /** The codec's id in the batch attributes: 1 gzip, 2 snappy, 3 lz4, 4 zstd. */
  readonly codec: number;
  /** True when the broker stamped the batch (LogAppendTime): every record has maxTimestamp. */
  readonly logAppendTime: boolean;
  readonly firstOffset: number;
  readonly firstTimestampMs: number;
  readonly maxTimestampMs: number;
  readonly count: number;
}

/** A deferred batch as a record: `value` holds the compressed records, `offset` its first offset kept. */
export interface DeferredBatchRecord {
  readonly deferred: DeferredBatch & {
    /** Records before this offset were before the fetch position (kafkajs drops those too). */
    readonly fromOffset: number;
  };
}

export function isDeferredBatchRecord(r: KafkaRecord): r is KafkaRecord & DeferredBatchRecord {
  return (r as Partial<DeferredBatchRecord>).deferred !== undefined;
}

/** Records to count for commits and progress: a deferred batch counts its records. */
export function recordCount(records: readonly KafkaRecord[]): number {
  let n = 0;
  for (const r of records) n += isDeferredBatchRecord(r) ? r.deferred.count : 1;
  return n;
}

const HEADER_BYTES = 61;
const ATTRIBUTES_AT = 21;
const TRANSACTIONAL_OR_CONTROL = 0x30;
const LOG_APPEND_TIME = 0x08;

/** The stand-in's memory → the batch it stands for. */
const deferred = new WeakMap<ArrayBufferLike, { batch: DeferredBatch; compressed: Uint8Array }>();

/**
 * The stand-in records for a compressed batch, or undefined when this batch is to be decompressed
 * here after all (its header is not where kafkajs 2.2.4 leaves it, or it is transactional).
 */
export function deferCompressedBatch(compressed: Buffer, codec: number): Buffer | undefined {
  const start = compressed.byteOffset - HEADER_BYTES;
  if (start < 0) return undefined;
  const header = new DataView(compressed.buffer, start, HEADER_BYTES);
  const attributes = header.getInt16(ATTRIBUTES_AT);
  const count = header.getInt32(57);
  const lastOffsetDelta = header.getInt32(23);
  const fits =
    header.getInt8(16) === 2 &&
    header.getInt32(8) === HEADER_BYTES - 12 + compressed.length &&
    (attributes & 0x07) === codec &&
    (attributes & TRANSACTIONAL_OR_CONTROL) === 0 &&
    count > 0 &&
    lastOffsetDelta >= count - 1;
  if (!fits) return undefined;
  const batch: DeferredBatch = {
    codec,
    logAppendTime: (attributes & LOG_APPEND_TIME) !== 0,
    firstOffset: Number(header.getBigInt64(0)),
    firstTimestampMs: Number(header.getBigInt64(27)),
    maxTimestampMs: Number(header.getBigInt64(35)),
    count,
  };
  const standIn = standInRecords(count, lastOffsetDelta);
  deferred.set(standIn.buffer, { batch, compressed });
  return standIn;
}

/** The batch a stand-in record's value belongs to (undefined for a real record's value). */
export function deferredBatchOf(
  value: Uint8Array | null,
): { batch: DeferredBatch; compressed: Uint8Array } | undefined {
  return value === null ? undefined : deferred.get(value.buffer);
}

/**
 * `count` records in Kafka's record format, each: length, attributes 0, timestamp delta 0, offset
 * delta (0, 1, ..., and the batch's last delta for the last one), no key, an empty value (a view
 * into this buffer, which is how its batch is found again), no headers.
 */
function standInRecords(count: number, lastOffsetDelta: number): Buffer {
  const deltas = (i: number) => (i === count - 1 ? lastOffsetDelta : i);
  let size = 0;
  for (let i = 0; i < count; i++) {
    const body = 5 + varintBytes(zigzag(deltas(i)));
    size += varintBytes(zigzag(body)) + body;
  }
  // its own memory (not the shared pool): the memory identifies the batch
  const out = Buffer.from(new ArrayBuffer(size));
  let at = 0;
  const put = (n: number) => {
    let v = n;
    while (v >= 0x80) {
      out[at++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    out[at++] = v;
  };
  for (let i = 0; i < count; i++) {
    const delta = zigzag(deltas(i));
    put(zigzag(5 + varintBytes(delta)));
    out[at++] = 0; // attributes
    out[at++] = 0; // timestamp delta
    put(delta);
    out[at++] = 1; // key: length -1 (null)
    out[at++] = 0; // value: length 0
    out[at++] = 0; // no headers
  }
  return out;
}

const zigzag = (n: number) => (n >= 0 ? n * 2 : -n * 2 - 1);

function varintBytes(n: number): number {
  let bytes = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 128)) bytes++;
  return bytes;
}
