// Partition batches packed for a postMessage to the ingest thread: every key, value and header
// value copied once into one byte buffer, numbers into one Float64Array, both transferred (moved,
// not cloned). Cloning the records as they are would copy each value's whole backing buffer
// (kafkajs slices values out of the decompressed record batch) and pay per-object overhead for
// tens of thousands of small arrays. The receiving side gets views into the one buffer.

import type { KafkaHeader, KafkaRecord } from '../decode/kafka-record.ts';
import type { PartitionRecords } from '../ingest/ingest-partition.ts';

export interface PackedPartitions {
  readonly partitions: readonly { readonly topic: string; readonly partition: number; readonly records: number }[];
  /** Per record: offset, timestamp, key length, value length (-1 for none), header count. */
  readonly numbers: Float64Array;
  /** Per header, in record order. */
  readonly headerKeys: readonly string[];
  /** Per header: value length. */
  readonly headerLengths: Uint32Array;
  readonly bytes: Uint8Array;
}

const FIELDS = 5;

export function packPartitions(partitions: readonly PartitionRecords[]): { packed: PackedPartitions; transfer: ArrayBuffer[] } {
  let records = 0;
  let byteCount = 0;
  let headers = 0;
  for (const p of partitions) {
    records += p.records.length;
    for (const r of p.records) {
      byteCount += (r.key?.length ?? 0) + (r.value?.length ?? 0);
      for (const h of r.headers ?? []) {
        byteCount += h.value.length;
        headers++;
      }
    }
  }
  const numbers = new Float64Array(records * FIELDS);
  const bytes = new Uint8Array(byteCount);
  const headerKeys: string[] = [];
  const headerLengths = new Uint32Array(headers);
  let n = 0;
  let at = 0;
  let h = 0;
  const put = (b: Uint8Array | null | undefined): number => {
    if (b == null) return -1;
    bytes.set(b, at);
    at += b.length;
    return b.length;
  };
  for (const p of partitions) {
    for (const r of p.records) {
      numbers[n] = r.offset;
      numbers[n + 1] = r.timestampMs;
      numbers[n + 2] = put(r.key);
      numbers[n + 3] = put(r.value);
      numbers[n + 4] = r.headers?.length ?? 0;
      n += FIELDS;
      for (const header of r.headers ?? []) {
        headerKeys.push(header.key);
        headerLengths[h++] = put(header.value);
      }
    }
  }
  const packed = { partitions: partitions.map((p) => ({ topic: p.topic, partition: p.partition, records: p.records.length })), numbers, headerKeys, headerLengths, bytes };
  return { packed, transfer: [numbers.buffer as ArrayBuffer, headerLengths.buffer as ArrayBuffer, bytes.buffer as ArrayBuffer] };
}

export function unpackPartitions(packed: PackedPartitions): PartitionRecords[] {
  const { numbers, bytes, headerKeys, headerLengths } = packed;
  let n = 0;
  let at = 0;
  let h = 0;
  const take = (length: number): Uint8Array | null => {
    if (length < 0) return null;
    const view = bytes.subarray(at, at + length);
    at += length;
    return view;
  };
  return packed.partitions.map(({ topic, partition, records: count }) => {
    const records = new Array<KafkaRecord>(count);
    for (let i = 0; i < count; i++, n += FIELDS) {
      const key = take(numbers[n + 2]);
      const value = take(numbers[n + 3]);
      const headers: KafkaHeader[] = [];
      for (let j = numbers[n + 4]; j > 0; j--, h++) headers.push({ key: headerKeys[h], value: take(headerLengths[h])! });
      records[i] = { topic, partition, offset: numbers[n], timestampMs: numbers[n + 1], key, value, headers };
    }
    return { topic, partition, records };
  });
}
