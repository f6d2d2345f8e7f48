// kafkajs messages as the ingest code reads records: the bytes kafkajs decoded, handed over as they
// are (no base64 round trip through the event source's record shape, which only the Lambda's event
// needs), numeric offset and timestamp, headers as a list of name and bytes.

import type { KafkaHeader, KafkaRecord } from '../decode/kafka-record.ts';
import { type DeferredBatchRecord, deferredBatchOf } from './kafka-deferred-batch.ts';

/** The fields of a kafkajs message that reach the ingest code. */
export interface KafkaMessageLike {
  readonly offset: string;
  /** Milliseconds since the epoch, as a decimal string (kafkajs keeps it as the broker sent it). */
  readonly timestamp: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers?: Readonly<Record<string, Buffer | string | (Buffer | string)[] | undefined>>;
}

/**
 * The stand-in records of a batch kept compressed (kafka-deferred-batch.ts) become one record
 * carrying the compressed batch; `fetchedOffset` (where kafkajs fetched from) says which of its
 * records kafkajs would have dropped as before the fetch position.
 */
export function toKafkaRecords(
  topic: string,
  partition: number,
  messages: readonly KafkaMessageLike[],
  fetchedOffset?: string,
): KafkaRecord[] {
  const out: KafkaRecord[] = [];
  let previous: unknown;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const standIn = deferredBatchOf(m.value);
    if (standIn !== undefined) {
      if (standIn === previous) continue;
      previous = standIn;
      const { batch, compressed } = standIn;
      const fromOffset = Math.max(batch.firstOffset, fetchedOffset === undefined ? 0 : Number(fetchedOffset));
      const record: KafkaRecord & DeferredBatchRecord = {
        topic,
        partition,
        offset: Number(m.offset),
        timestampMs: batch.firstTimestampMs,
        key: null,
        value: compressed,
        headers: [],
        deferred: { ...batch, fromOffset },
      };
      out.push(record);
      continue;
    }
    out.push({
      topic,
      partition,
      offset: Number(m.offset),
      timestampMs: Number(m.timestamp),
      key: m.key,
      value: m.value,
      headers: recordHeaders(m.headers),
    });
  }
  return out;
}

/** One entry per header value; a repeated header keeps every value, in order. */
function recordHeaders(headers: KafkaMessageLike['headers']): KafkaHeader[] {
  const out: KafkaHeader[] = [];
  if (headers === undefined) return out;
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value])
      out.push({ key, value: typeof v === 'string' ? Buffer.from(v, 'utf8') : v });
  }
  return out;
}
