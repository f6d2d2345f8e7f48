// Collects records between two batch windows and hands them to the ingest code as one event, the
// way the event source batches a topic for the ingest Lambda. Two kinds of producers:
//  - owned records (the local receiver's): this queue is their only copy, so when the ingest call
//    fails they go back to the head of the queue for the next window;
//  - delivered records (a Kafka consumer's): the caller waits for the outcome and owns redelivery,
//    because the records are still in Kafka until it commits their offsets.
// Re-ingesting records that were partly committed is safe: the ingest cursor skips them.

import type { KafkaRecord } from '../decode/kafka-record.ts';
import type { PartitionRecords } from '../ingest/ingest-partition.ts';
import { groupByPartition } from '../ingest/msk-event.ts';

interface Delivery {
  readonly records: readonly KafkaRecord[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class IngestBatcher {
  private owned: KafkaRecord[] = [];
  private deliveries: Delivery[] = [];

  /** `ingest` gets every queued record, grouped per topic-partition in offset order. */
  constructor(private readonly ingest: (partitions: PartitionRecords[]) => Promise<unknown>) {}

  /** Records waiting for the next ingest call. */
  get pending(): number {
    return this.owned.length + this.deliveries.reduce((n, d) => n + d.records.length, 0);
  }

  enqueue(records: readonly KafkaRecord[]): void {
    // One push per record: spreading a large request's records into one call overflows the stack.
    for (const r of records) this.owned.push(r);
  }

  /** Resolves once an ingest call holding the records succeeded; rejects with its error otherwise. */
  deliver(records: readonly KafkaRecord[]): Promise<void> {
    return new Promise((resolve, reject) => this.deliveries.push({ records, resolve, reject }));
  }

  /** One ingest call with everything queued; rethrows its failure after settling every delivery. */
  async ingestQueued(): Promise<void> {
    const owned = this.owned;
    const deliveries = this.deliveries;
    if (owned.length === 0 && deliveries.length === 0) return;
    this.owned = [];
    this.deliveries = [];
    try {
      await this.ingest(groupByPartition(queuedRecords(owned, deliveries)));
    } catch (e) {
      this.owned = [...owned, ...this.owned];
      for (const d of deliveries) d.reject(e);
      throw e;
    }
    for (const d of deliveries) d.resolve();
  }
}

function* queuedRecords(owned: readonly KafkaRecord[], deliveries: readonly Delivery[]): Iterable<KafkaRecord> {
  yield* owned;
  for (const d of deliveries) yield* d.records;
}
