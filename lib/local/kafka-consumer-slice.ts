// The part of kafkajs's Consumer that local mode's Kafka source (kafka-source.ts) uses: kafkajs
// provides it (kafkajs-consumer.ts), and tests drive the source with a fake of it.

import type { KafkaMessageLike } from './kafka-records.ts';

export interface ConsumerBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly KafkaMessageLike[];
  /** The offset kafkajs fetched from (records before it are dropped from `messages`). */
  readonly fetchedOffset?: string;
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

export interface ConsumerCrash {
  readonly error: unknown;
  /** True when the client restarts by itself (kafkajs: a retriable error). */
  readonly restart: boolean;
}

/** The part of kafkajs's Consumer this file uses. */
export interface KafkaConsumerSlice {
  connect(): Promise<void>;
  subscribe(subscription: { topics: string[]; fromBeginning: boolean }): Promise<void>;
  run(options: ConsumerRunOptions): Promise<void>;
  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void>;
  pause(topics: { topic: string }[]): void;
  disconnect(): Promise<void>;
  onCrash(listener: (crash: ConsumerCrash) => void): void;
}
