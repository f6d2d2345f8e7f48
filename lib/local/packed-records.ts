// Partition batches packed for a postMessage to the ingest thread: per partition, every key, value
// and header value copied once into one byte buffer and the numbers into one Float64Array, all
// transferred (moved, not cloned). Cloning the records as they are would copy each value's whole
// backing buffer (kafkajs slices values out of the decompressed record batch) and pay per-object
// overhead for tens of thousands of small arrays. One buffer per partition rather than one per
// call keeps each allocation around a few megabytes, which malloc recycles; fresh memory for a
// call's hundred megabytes cost more in page faults than the copy itself. The receiving side gets
// views into the buffers.

import { type KafkaHeader, type KafkaRecord, recordsByteLength } from '../decode/kafka-record.ts';
import type { PartitionRecords } from '../ingest/ingest-partition.ts';
import { type DeferredBatchRecord, isDeferredBatchRecord } from './kafka-deferred-batch.ts';

export interface PackedPartition {
  readonly topic: string;
  readonly partition: number;
  /** Per record: offset, timestamp, key length, value length (-1 for none), header count. */
  readonly numbers: Float64Array;
  /** Per header, in record order. */
  readonly headerKeys: readonly string[];
  /** Per header: value length. */
  readonly headerLengths: Uint32Array;
  readonly bytes: Uint8Array;
  /** Records that are batches kept compressed (their value holds the compressed bytes), by index. */
  readonly deferred: readonly { readonly index: number; readonly batch: DeferredBatchRecord['deferred'] }[];
}

const FIELDS = 5;

export function packPartitions(partitions: readonly PartitionRecords[]): {
  packed: PackedPartition[];
  transfer: ArrayBuffer[];
} {
  const packed = partitions.map(packPartition);
  const transfer: ArrayBuffer[] = [];
  for (const p of packed)
    transfer.push(
      p.numbers.buffer as ArrayBuffer,
      p.headerLengths.buffer as ArrayBuffer,
      p.bytes.buffer as ArrayBuffer,
    );
  return { packed, transfer };
}

function packPartition({ topic, partition, records }: PartitionRecords): PackedPartition {
  const byteCount = recordsByteLength(records);
  let headers = 0;
  for (const r of records) headers += r.headers?.length ?? 0;
  const numbers = new Float64Array(records.length * FIELDS);
  // every byte is written below: skip zero-filling (allocUnsafeSlow: its own, transferable memory)
  const bytes = Buffer.allocUnsafeSlow(byteCount);
  const headerKeys: string[] = [];
  const headerLengths = new Uint32Array(headers);
  const deferred: PackedPartition['deferred'][number][] = [];
  let n = 0;
  let at = 0;
  let h = 0;
  const put = (b: Uint8Array | null | undefined): number => {
    if (b == null) return -1;
    bytes.set(b, at);
    at += b.length;
    return b.length;
  };
  for (const [index, r] of records.entries()) {
    if (isDeferredBatchRecord(r)) deferred.push({ index, batch: r.deferred });
    numbers[n] = r.offset;
    numbers[n + 1] = r.timestampMs;
    numbers[n + 2] = put(r.key);
    numbers[n + 3] = put(r.value);
    numbers[n + 4] = r.headers?.length ?? 0;
    n += FIELDS;
    if (r.headers === undefined) continue;
    for (const header of r.headers) {
      headerKeys.push(header.key);
      headerLengths[h++] = put(header.value);
    }
  }
  return { topic, partition, numbers, headerKeys, headerLengths, bytes, deferred };
}

export function unpackPartitions(packed: readonly PackedPartition[]): PartitionRecords[] {
  return packed.map(unpackPartition);
}

function unpackPartition({
  topic,
  partition,
  numbers,
  bytes,
  headerKeys,
  headerLengths,
  deferred,
}: PackedPartition): PartitionRecords {
  let at = 0;
  let h = 0;
  const take = (length: number): Uint8Array | null => {
    if (length < 0) return null;
    const view = bytes.subarray(at, at + length);
    at += length;
    return view;
  };
  const records = new Array<KafkaRecord>(numbers.length / FIELDS);
  for (let i = 0, n = 0; i < records.length; i++, n += FIELDS) {
    const key = take(numbers[n + 2]);
    const value = take(numbers[n + 3]);
    const headers: KafkaHeader[] = [];
    for (let j = numbers[n + 4]; j > 0; j--, h++) headers.push({ key: headerKeys[h], value: take(headerLengths[h])! });
    records[i] = { topic, partition, offset: numbers[n], timestampMs: numbers[n + 1], key, value, headers };
  }
  for (const { index, batch } of deferred) records[index] = { ...records[index], deferred: batch } as KafkaRecord;
  return { topic, partition, records };
}
