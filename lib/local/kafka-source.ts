// Local mode's real-Kafka input: every batch kafkajs fetches is shaped like the event source's
// records and handed to the local batcher, and its offsets are committed only after the ingest
// call holding it succeeded. A failed ingest is retried with the same records until it succeeds
// or local mode stops; nothing is committed meanwhile, so a crash re-reads the batch from Kafka,
// and the ingest cursor makes re-reading harmless.
//
// Written against the slice of kafkajs's Consumer it uses, so tests can drive it with a fake.

import { setTimeout as sleep } from 'node:timers/promises';
import type { KafkaEventRecord } from '../ingest/msk-event.ts';
import type { Logger } from '../log/logger.ts';
import { toEventRecords, type KafkaMessageLike } from './kafka-records.ts';

export interface ConsumerBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessageLike[];
  /** Offset of the batch's last record, control records and aborted transactions included. */
  lastOffset(): string;
}

export interface ConsumerBatchPayload {
  readonly batch: ConsumerBatch;
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  /** True once a seek or rebalance made this batch's position obsolete. */
  isStale(): boolean;
}

export interface ConsumerRunOptions {
  autoCommit: boolean;
  eachBatchAutoResolve: boolean;
  partitionsConsumedConcurrently: number;
  eachBatch(payload: ConsumerBatchPayload): Promise<void>;
}

/** The part of kafkajs's Consumer this file uses. */
export interface KafkaConsumerSlice {
  connect(): Promise<void>;
  subscribe(subscription: { topics: string[]; fromBeginning: boolean }): Promise<void>;
  run(options: ConsumerRunOptions): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  pause(topics: { topic: string }[]): void;
  disconnect(): Promise<void>;
}

export interface KafkaSourceOptions {
  readonly consumer: KafkaConsumerSlice;
  readonly topic: string;
  /** Resolves once the records were ingested; rejects when that ingest call failed. */
  readonly deliver: (records: readonly KafkaEventRecord[]) => Promise<void>;
  readonly log: Logger;
  readonly leaveGroupOnShutdown: boolean;
  /** Partitions whose batches wait for the same batch window together (Tempo: ingest_concurrency 16). */
  readonly partitionsConsumedConcurrently?: number;
  /** Pause before retry `attempt` (1-based) of a batch whose ingest failed. */
  readonly retryDelayMs?: (attempt: number) => number;
}

export interface KafkaSource {
  /** Records whose offsets were committed. */
  readonly committedRecords: number;
  /** Starts no new batch; batches already handed to the batcher carry on to their commit. */
  pause(): void;
  /** Pauses, waits for the batches in flight (their commits included), then disconnects. */
  close(): Promise<void>;
}

const DEFAULT_CONCURRENCY = 16;
const defaultRetryDelay = (attempt: number) => Math.min(250 * 2 ** (attempt - 1), 5000);

export async function startKafkaSource(opts: KafkaSourceOptions): Promise<KafkaSource> {
  const { consumer, topic, log } = opts;
  const retryDelay = opts.retryDelayMs ?? defaultRetryDelay;
  const stopping = new AbortController();
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let committedRecords = 0;

  const handleBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: ConsumerBatchPayload): Promise<void> => {
    // Left unresolved, a batch is fetched again by whoever next owns the partition.
    const abandoned = () => stopping.signal.aborted || !isRunning() || isStale();
    if (abandoned()) return;
    const records = toEventRecords(batch.topic, batch.partition, batch.messages);
    const lastOffset = batch.lastOffset();
    for (let attempt = 1; records.length > 0; attempt++) {
      try {
        await opts.deliver(records);
        break;
      } catch (e) {
        const where = { topic: batch.topic, partition: batch.partition, firstOffset: batch.messages[0].offset, lastOffset, attempt };
        if (abandoned()) {
          log.warn('ingest failed while stopping; offsets not committed, the batch is read again on the next start', { ...where, error: String(e) });
          return;
        }
        log.warn('ingest failed; retrying the batch, offsets not committed', { ...where, error: String(e) });
        await heartbeat();
        try {
          await sleep(retryDelay(attempt), undefined, { signal: stopping.signal });
        } catch {
          return; // stopping: leave the batch uncommitted
        }
        await heartbeat();
      }
    }
    // Resolving the last offset (not the last message's) steps over trailing control records.
    resolveOffset(lastOffset);
    await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(lastOffset) + 1n).toString() }]);
    committedRecords += records.length;
    await heartbeat();
  };

  await consumer.connect();
  try {
    // Tempo starts a partition with no committed offset at its earliest record.
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? DEFAULT_CONCURRENCY,
      async eachBatch(payload) {
        inFlight++;
        try {
          await handleBatch(payload);
        } finally {
          if (--inFlight === 0) idle?.();
        }
      },
    });
  } catch (e) {
    // e.g. a topic the cluster does not have: open connections would keep the process alive
    await consumer.disconnect().catch(() => {});
    throw e;
  }

  const pause = () => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    consumer.pause([{ topic }]);
  };
  return {
    get committedRecords() {
      return committedRecords;
    },
    pause,
    async close() {
      pause();
      if (inFlight > 0) await new Promise<void>((r) => (idle = r));
      if (!opts.leaveGroupOnShutdown) {
        log.info(
          'KAFKA_LEAVE_GROUP_ON_SHUTDOWN=false, but kafkajs has no static membership and always leaves the group when it disconnects: the group rebalances now instead of after the session timeout',
          { topic },
        );
      }
      await consumer.disconnect();
    },
  };
}
