// MSK / self-managed Kafka event records -> KafkaRecord, grouped per topic-partition. Keys and
// values arrive base64-encoded, headers as arrays of byte values. No AWS handler types leak
// past this file: the event is described structurally.

import type { KafkaRecord } from '../decode/kafka-record.ts';
import type { PartitionRecords } from './ingest-partition.ts';

export interface KafkaEventRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly key?: string | null;
  readonly value?: string | null;
  readonly headers?: readonly Readonly<Record<string, readonly number[]>>[];
}

export interface KafkaEvent {
  readonly records: Readonly<Record<string, readonly KafkaEventRecord[]>>;
}

export function partitionsOf(event: KafkaEvent): PartitionRecords[] {
  const records: KafkaRecord[] = [];
  for (const list of Object.values(event.records ?? {})) for (const r of list) records.push(toKafkaRecord(r));
  return groupByPartition(records);
}

/**
 * Records (already decoded, e.g. straight from a Kafka client) grouped per topic-partition, each
 * group in offset order without repeated offsets: what ingestPartition expects.
 */
export function groupByPartition(records: Iterable<KafkaRecord>): PartitionRecords[] {
  const byPartition = new Map<string, { topic: string; partition: number; records: KafkaRecord[] }>();
  for (const r of records) {
    const id = `${r.topic}\u0000${r.partition}`;
    let p = byPartition.get(id);
    if (p === undefined) byPartition.set(id, (p = { topic: r.topic, partition: r.partition, records: [] }));
    p.records.push(r);
  }
  for (const p of byPartition.values()) {
    // the event source delivers offsets in order; sort anyway so the cursor logic never depends on it
    p.records.sort((a, b) => a.offset - b.offset);
    p.records = p.records.filter((r, i) => i === 0 || r.offset !== p.records[i - 1].offset);
  }
  return [...byPartition.values()];
}

function toKafkaRecord(r: KafkaEventRecord): KafkaRecord {
  const headers: { key: string; value: Uint8Array }[] = [];
  for (const h of r.headers ?? []) {
    for (const [key, bytes] of Object.entries(h)) headers.push({ key, value: Uint8Array.from(bytes) });
  }
  return {
    topic: r.topic,
    partition: r.partition,
    offset: Number(r.offset),
    timestampMs: Number(r.timestamp),
    key: r.key == null ? null : base64(r.key),
    value: r.value == null ? null : base64(r.value),
    headers,
  };
}

function base64(s: string): Uint8Array {
  const b = Buffer.from(s, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}
