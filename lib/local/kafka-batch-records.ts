// The records of a compressed batch handed over still compressed (kafka-deferred-batch.ts),
// decompressed and decoded where ingest runs: Kafka's record format v2 (length, attributes,
// timestamp delta, offset delta, key, value, headers), read the way kafkajs reads it. Keys,
// values and header values are views into the decompressed bytes, as kafkajs gives them.

import type { KafkaHeader, KafkaRecord } from '../decode/kafka-record.ts';
import { decompressBatch } from './kafka-decompress.ts';
import type { PartitionRecords } from '../ingest/ingest-partition.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import { type DeferredBatchRecord, isDeferredBatchRecord } from './kafka-deferred-batch.ts';

/** A batch that could not be decompressed or decoded: its records are skipped as bad records. */
export type OnCorruptBatch = (
  where: { topic: string; partition: number; offset: number; records: number },
  error: Error,
) => void;

/** Logs a corrupt batch with its position and counts its records as bad (reason corrupt-batch). */
export function corruptBatchSkipped(log: Logger, metrics: MetricsRecorder): OnCorruptBatch {
  return (where, error) => {
    log.error('bad record batch: could not decompress or decode it; its records are skipped', {
      position: `${where.topic}-${where.partition}@${where.offset}`,
      ...where,
      error: error.message,
    });
    metrics.add('BadRecords', where.records, 'Count', { reason: 'corrupt-batch' });
  };
}

/** The partition's records with every deferred batch replaced by its records. */
export function expandDeferredBatches(p: PartitionRecords, onCorrupt: OnCorruptBatch): PartitionRecords {
  if (!p.records.some(isDeferredBatchRecord)) return p;
  const records: KafkaRecord[] = [];
  for (const r of p.records) {
    if (!isDeferredBatchRecord(r)) {
      records.push(r);
      continue;
    }
    try {
      for (const d of decodeDeferredBatch(p.topic, p.partition, r, r.value!)) records.push(d);
    } catch (e) {
      const where = { topic: p.topic, partition: p.partition, offset: r.offset, records: r.deferred.count };
      onCorrupt(where, e instanceof Error ? e : new Error(String(e)));
    }
  }
  return { ...p, records };
}

/** A deferred batch's records from `fromOffset` on; throws on bytes that are not a valid batch. */
export function decodeDeferredBatch(
  topic: string,
  partition: number,
  { deferred }: DeferredBatchRecord,
  compressed: Uint8Array,
): KafkaRecord[] {
  const bytes = decompressBatch(
    deferred.codec,
    Buffer.from(compressed.buffer, compressed.byteOffset, compressed.length),
  );
  const out: KafkaRecord[] = [];
  let at = 0;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let shift = 0; ; shift += 7) {
      if (at >= bytes.length) throw new Error('record batch: truncated varint');
      if (shift > 63) throw new Error('record batch: varint too long');
      const b = bytes[at++];
      result += (b & 0x7f) * scale;
      scale *= 128;
      if (b < 0x80) break;
    }
    // zigzag, in float arithmetic: timestamp deltas may pass 2^31
    return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
  };
  const take = (): Buffer | null => {
    const length = varint();
    if (length < 0) return null;
    if (at + length > bytes.length) throw new Error('record batch: field runs past the end of the batch');
    const view = bytes.subarray(at, at + length);
    at += length;
    return view;
  };
  for (let i = 0; i < deferred.count; i++) {
    const length = varint();
    const end = at + length;
    if (length < 0 || end > bytes.length) throw new Error('record batch: record runs past the end of the batch');
    at++; // attributes (unused, as in kafkajs)
    const timestampDelta = varint();
    const offset = deferred.firstOffset + varint();
    const key = take();
    const value = take();
    const headers: KafkaHeader[] = [];
    for (let h = varint(); h > 0; h--) {
      const name = take();
      // a null header value stays null, as kafkajs hands it over
      headers.push({ key: name === null ? '' : name.toString('utf8'), value: take() as Uint8Array });
    }
    at = end;
    if (offset < deferred.fromOffset) continue;
    const timestampMs = deferred.logAppendTime ? deferred.maxTimestampMs : deferred.firstTimestampMs + timestampDelta;
    out.push({ topic, partition, offset, timestampMs, key, value, headers });
  }
  return out;
}
