// The Kafka record as every entry point sees it (MSK event, local receiver, kafkajs, replay),
// already base64-decoded. Offsets are numbers: Kafka offsets stay far below 2^53 in practice.

export interface KafkaHeader {
  readonly key: string;
  readonly value: Uint8Array;
}

export interface KafkaRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** Record timestamp (ms since epoch), as the broker or producer set it. */
  readonly timestampMs: number;
  readonly key?: Uint8Array | null;
  readonly value?: Uint8Array | null;
  readonly headers?: readonly KafkaHeader[];
}

/** The bytes the records hold: keys, values and header values. */
export function recordsByteLength(records: readonly KafkaRecord[]): number {
  let n = 0;
  for (const r of records) {
    n += (r.key?.length ?? 0) + (r.value?.length ?? 0);
    for (const h of r.headers ?? []) n += h.value.length;
  }
  return n;
}

/** Where a record came from, for log lines about it. */
export function recordPosition(r: KafkaRecord): string {
  return `${r.topic}-${r.partition}@${r.offset}`;
}
