// Kafka messages as the MSK / self-managed Kafka event source hands them to the ingest Lambda:
// base64 key and value, numeric offset and timestamp, headers as a list of one-entry objects of
// byte arrays, records grouped under `topic-partition`. Local mode shapes both its own records and
// kafkajs messages this way, so the ingest code it runs is exactly the deployed one.

import type { KafkaEvent, KafkaEventRecord } from '../ingest/msk-event.ts';

/** The fields of a kafkajs message that reach the ingest code. */
export interface KafkaMessageLike {
  readonly offset: string;
  /** Milliseconds since the epoch, as a decimal string (kafkajs keeps it as the broker sent it). */
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;
}

export function toEventRecords(topic: string, partition: number, messages: readonly KafkaMessageLike[]): KafkaEventRecord[] {
  return messages.map((m) => ({
    topic,
    partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    key: m.key === null ? null : m.key.toString('base64'),
    value: m.value === null ? null : m.value.toString('base64'),
    headers: eventHeaders(m.headers ?? {}),
  }));
}

/** One `{name: bytes}` object per header value; a repeated header keeps every value, in order. */
function eventHeaders(headers: NonNullable<KafkaMessageLike['headers']>): Record<string, number[]>[] {
  const out: Record<string, number[]>[] = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) out.push({ [name]: [...(typeof v === 'string' ? Buffer.from(v, 'utf8') : v)] });
  }
  return out;
}

/** The event for one ingest call: records under `topic-partition`, each list in arrival order. */
export function toKafkaEvent(records: readonly KafkaEventRecord[]): KafkaEvent {
  const grouped: Record<string, KafkaEventRecord[]> = {};
  for (const r of records) (grouped[`${r.topic}-${r.partition}`] ??= []).push(r);
  return { records: grouped };
}
