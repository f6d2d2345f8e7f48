// The in-process stand-in for a Kafka topic that the OTLP receiver and the demo traffic write to:
// one record per trace, partitioned by trace ID (as Tempo's distributor does, so a trace's spans
// meet in one partition), offsets counting up per partition, and the value encoded in the
// configured codec so the ingest code decodes it exactly as it would a real topic's records.

import type { Codec } from '../config/types.ts';
import type { KafkaRecord } from '../decode/kafka-record.ts';
import { PushBytesRequest } from '../proto/index.ts';
import { fnv1a64Hex } from '../series/fnv.ts';

export interface LocalTopicOptions {
  readonly topic: string;
  readonly partitions: number;
  readonly codec: Codec;
  /** Header that carries the tenant for the otlp codec. */
  readonly tenantHeader: string;
  readonly clock?: () => number;
  /**
   * Next offset per partition, for a durable store that already holds this topic's records: the
   * ingest cursor skips every offset it has committed, so numbering must go on from there.
   */
  readonly startOffsets?: ReadonlyMap<number, number>;
}

export class LocalTopic {
  private readonly nextOffset: number[];

  constructor(private readonly opts: LocalTopicOptions) {
    if (!Number.isInteger(opts.partitions) || opts.partitions < 1)
      throw new Error(`partitions must be a positive integer, got ${opts.partitions}`);
    this.nextOffset = new Array<number>(opts.partitions).fill(0);
    for (const [partition, next] of opts.startOffsets ?? [])
      if (partition < opts.partitions) this.nextOffset[partition] = next;
  }

  get topic(): string {
    return this.opts.topic;
  }

  partitionOf(traceIdHex: string): number {
    return parseInt(fnv1a64Hex(traceIdHex).slice(-8), 16) % this.opts.partitions;
  }

  /** Appends one record per trace (each an encoded tempopb.Trace) and returns them. */
  append(tenant: string, traces: readonly { traceId: string; trace: Uint8Array }[]): KafkaRecord[] {
    const now = (this.opts.clock ?? Date.now)();
    return traces.map(({ traceId, trace }) => {
      const partition = this.partitionOf(traceId);
      const base = { topic: this.opts.topic, partition, offset: this.nextOffset[partition]++, timestampMs: now };
      if (this.opts.codec === 'push-bytes') {
        const value = PushBytesRequest.encode({ traces: [trace], ids: [Buffer.from(traceId, 'hex')] }).finish();
        return { ...base, key: Buffer.from(tenant), value, headers: [] };
      }
      // A tempopb.Trace and an OTLP TracesData share their only field (1: resource spans), so the
      // trace's bytes are already a valid otlp record value.
      return {
        ...base,
        key: null,
        value: trace,
        headers: [{ key: this.opts.tenantHeader, value: Buffer.from(tenant) }],
      };
    });
  }
}
