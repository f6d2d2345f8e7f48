// An in-memory stand-in for the slice of kafkajs's Consumer that lib/local/kafka-source.ts uses,
// with the kafkajs behaviours the source relies on: each partition's batches are handed out one
// at a time (partitions concurrently); the next batch starts after the last *resolved* offset, so
// a batch left unresolved is fetched again; a paused topic gets no new batches; commits need a
// running consumer. Every call is appended to `events` so tests can check the order of things.

import type { KafkaMessageLike } from '../../lib/local/kafka-records.ts';
import type { ConsumerCrash, ConsumerRunOptions, KafkaConsumerSlice } from '../../lib/local/kafka-source.ts';

export interface ProducedMessage {
  readonly value: Buffer | null;
  readonly key?: Buffer | null;
  readonly headers?: KafkaMessageLike['headers'];
  readonly timestampMs?: number;
}

export class FakeKafkaConsumer implements KafkaConsumerSlice {
  readonly events: string[] = [];
  readonly commits: { topic: string; partition: number; offset: string }[] = [];
  heartbeats = 0;
  /** Every batch handed to eachBatch, as partition and offsets. */
  readonly handedOut: { partition: number; offsets: string[] }[] = [];
  /**
   * Called right after eachBatch was entered, in the same tick: whatever eachBatch started
   * synchronously (an ingest call) is then still in flight, which a poll of `handedOut` cannot
   * guarantee.
   */
  afterHandOut?: (partition: number) => void;
  private readonly partitions = new Map<number, KafkaMessageLike[]>();
  private readonly nextOffset = new Map<number, number>();
  private readonly busy = new Map<number, Promise<void>>();
  private options?: ConsumerRunOptions;
  private running = false;
  private paused = false;
  private timer?: NodeJS.Timeout;
  private crashed = false;
  private readonly crashListeners: ((crash: ConsumerCrash) => void)[] = [];

  constructor(
    readonly topic: string,
    private readonly maxBatch = 100,
  ) {}

  produce(partition: number, messages: readonly ProducedMessage[]): string[] {
    let log = this.partitions.get(partition);
    if (log === undefined) this.partitions.set(partition, (log = []));
    const offsets: string[] = [];
    for (const m of messages) {
      const offset = String(log.length);
      log.push({
        offset,
        timestamp: String(m.timestampMs ?? Date.now()),
        key: m.key ?? null,
        value: m.value,
        headers: m.headers,
      });
      offsets.push(offset);
    }
    return offsets;
  }

  async connect(): Promise<void> {
    this.events.push('connect');
  }

  async subscribe(s: { topics: string[]; fromBeginning: boolean }): Promise<void> {
    this.events.push(`subscribe ${s.topics.join(',')} fromBeginning=${s.fromBeginning}`);
  }

  async run(options: ConsumerRunOptions): Promise<void> {
    this.events.push(`run autoCommit=${options.autoCommit} autoResolve=${options.eachBatchAutoResolve}`);
    this.options = options;
    this.running = true;
    // unref: a test that fails before disconnecting must not keep the process alive
    this.timer = setInterval(() => this.poll(), 5).unref();
  }

  async commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void> {
    if (!this.running) throw new Error('commitOffsets on a consumer that is not running');
    for (const o of offsets) {
      this.commits.push(o);
      this.events.push(`commit ${o.topic}-${o.partition}@${o.offset}`);
    }
  }

  onCrash(listener: (crash: ConsumerCrash) => void): void {
    this.crashListeners.push(listener);
  }

  /** What kafkajs does on a non-retriable error: the consumer stops for good and says so once. */
  crash(error: Error): void {
    clearInterval(this.timer);
    this.running = false;
    this.crashed = true;
    this.events.push(`crash ${error.message}`);
    for (const l of this.crashListeners) l({ error, restart: false });
  }

  pause(topics: { topic: string }[]): void {
    // kafkajs: a consumer whose run loop stopped has no group to pause
    if (this.crashed) throw new Error('Consumer group was not initialized, consumer#run must be called first');
    if (topics.some((t) => t.topic === this.topic)) this.paused = true;
    this.events.push('pause');
  }

  async disconnect(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.busy.values()); // kafkajs waits for the running eachBatch calls too
    this.running = false;
    this.events.push('disconnect');
  }

  private poll(): void {
    if (!this.running || this.paused || this.options === undefined) return;
    for (const [partition, log] of this.partitions) {
      const from = this.nextOffset.get(partition) ?? 0;
      if (this.busy.has(partition) || from >= log.length) continue;
      const messages = log.slice(from, from + this.maxBatch);
      this.handedOut.push({ partition, offsets: messages.map((m) => m.offset) });
      let resolved: number | undefined;
      const done = this.options
        .eachBatch({
          batch: { topic: this.topic, partition, messages, lastOffset: () => messages[messages.length - 1].offset },
          resolveOffset: (offset) => (resolved = Number(offset) + 1),
          heartbeat: async () => {
            this.heartbeats++;
          },
          isRunning: () => this.running,
          isStale: () => false,
        })
        .catch((e) => this.events.push(`eachBatch threw ${String(e)}`))
        .then(() => {
          if (resolved !== undefined) this.nextOffset.set(partition, resolved);
          this.busy.delete(partition);
        });
      this.busy.set(partition, done);
      this.afterHandOut?.(partition);
    }
  }
}
