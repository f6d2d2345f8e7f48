// Local mode's real-Kafka input: every batch kafkajs fetches becomes ingest records (its bytes as
// kafkajs decoded them) and is queued in its partition's lane (kafka-partition-lane.ts), and kafkajs goes on
// fetching that partition while the lane hands the batch to the local batcher. Offsets are
// committed explicitly, only after the ingest call holding them succeeded (so only for records
// durably in the deltas table). A failed ingest is retried with the same records until it
// succeeds or local mode stops, and the partition's later batches wait behind it; nothing is
// committed meanwhile, so a crash re-reads from the last commit, and the ingest cursor makes
// re-reading harmless.
//
// The consumer restarts after any crash: kafkajs restarts itself after retriable errors, but a
// non-retriable one (an unknown codec, a protocol error) leaves it stopped for good; then this
// file builds a fresh consumer and joins again, with a growing pause between attempts.
//
// Written against the slice of kafkajs's Consumer it uses (kafka-consumer-slice.ts), so tests can
// drive it with a fake.

import { setTimeout as sleep } from 'node:timers/promises';
import { type KafkaRecord, recordsByteLength } from '../decode/kafka-record.ts';
import type { Logger } from '../log/logger.ts';
import type { ConsumerBatchPayload, ConsumerCrash, KafkaConsumerSlice } from './kafka-consumer-slice.ts';
import { recordCount } from './kafka-deferred-batch.ts';
import { PartitionLane } from './kafka-partition-lane.ts';
import { toKafkaRecords } from './kafka-records.ts';

export type {
  ConsumerBatch,
  ConsumerBatchPayload,
  ConsumerCrash,
  ConsumerRunOptions,
  KafkaConsumerSlice,
} from './kafka-consumer-slice.ts';

interface LaneBatch {
  readonly records: readonly KafkaRecord[];
  /** What the records hold in memory: keys, values (compressed batches as fetched), header values. */
  readonly bytes: number;
  readonly where: {
    readonly topic: string;
    readonly partition: number;
    readonly firstOffset: string;
    readonly lastOffset: string;
  };
  /** True once stopping, a seek, a rebalance or a restart made this batch's position obsolete. */
  abandoned(): boolean;
}

export interface KafkaSourceOptions {
  /** The consumer, or a factory for one (needed to restart after a crash that stops the client). */
  readonly consumer: KafkaConsumerSlice | (() => KafkaConsumerSlice);
  readonly topic: string;
  /** Resolves once the records were ingested; rejects when that ingest call failed. */
  readonly deliver: (records: readonly KafkaRecord[]) => Promise<void>;
  readonly log: Logger;
  readonly leaveGroupOnShutdown: boolean;
  /** Runs before the first join (not before restarts), e.g. to skip a stale backlog. */
  readonly beforeJoin?: () => Promise<void>;
  /** Partitions whose batches are handed over at the same time. */
  readonly partitionsConsumedConcurrently?: number;
  /**
   * Batches of one partition fetched but not yet committed; kafkajs waits to fetch the partition
   * again while this many are held.
   */
  readonly batchesInFlightPerPartition?: number;
  /**
   * Bytes of one partition's records (keys, values and compressed batches as fetched) fetched but
   * not yet committed; one batch larger than this is still taken, alone.
   */
  readonly bytesInFlightPerPartition?: number;
  /** Pause before retry `attempt` (1-based) of a batch whose ingest failed. */
  readonly retryDelayMs?: (attempt: number) => number;
  /** Pause before restart `attempt` (1-based) of a consumer that stopped after a crash. */
  readonly restartDelayMs?: (attempt: number) => number;
}

export interface KafkaSource {
  /** Records whose offsets were committed. */
  readonly committedRecords: number;
  /** Consumers started after a crash stopped the previous one. */
  readonly restarts: number;
  /** Starts no new batch; batches already handed to the batcher carry on to their commit. */
  pause(): void;
  /**
   * Pauses, waits for the batches in flight (their commits included), then disconnects; gives up
   * waiting after `timeoutMs` (a stalled fetch or commit must not hang shutdown): whatever was not
   * committed by then is read again on the next start.
   */
  close(timeoutMs?: number): Promise<void>;
}

// Enough to keep every partition of a large topic fetching while ingest runs (ingest takes all
// handed-over batches in one call, so more partitions in flight means bigger, not more, calls).
const DEFAULT_CONCURRENCY = 64;
// kcat and franz-go batches are up to ~1 MB: a few per partition keep fetching ahead of ingest
// without piling up memory when ingest is the slower side. An ingest call takes at most half of
// them (kafka-partition-lane.ts): 4 batches per call, 4 more fetched meanwhile.
const DEFAULT_BATCHES_IN_FLIGHT = 8;
// kafkajs hands a partition over as one batch of up to its 10 MB per-partition fetch: the byte
// bound keeps 64 partitions in flight to ~1 GB of records even then (the batch count alone would
// allow 8 x 10 MB per partition).
const DEFAULT_BYTES_IN_FLIGHT = 16 * 1024 * 1024;
const HEARTBEAT_WHILE_WAITING_MS = 1000;
const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
const defaultRetryDelay = (attempt: number) => Math.min(250 * 2 ** (attempt - 1), 5000);
const defaultRestartDelay = (attempt: number) => Math.min(500 * 2 ** (attempt - 1), 30_000);

export async function startKafkaSource(opts: KafkaSourceOptions): Promise<KafkaSource> {
  const { topic, log } = opts;
  const create = typeof opts.consumer === 'function' ? opts.consumer : once(opts.consumer);
  const retryDelay = opts.retryDelayMs ?? defaultRetryDelay;
  const restartDelay = opts.restartDelayMs ?? defaultRestartDelay;
  const stopping = new AbortController();
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let committedRecords = 0;
  let restarts = 0;
  let consumer: KafkaConsumerSlice;
  let restarting: Promise<void> | undefined;

  /** Every partition lane and the consumer it belongs to (close waits for them). */
  const lanes = new Map<PartitionLane<LaneBatch>, KafkaConsumerSlice>();

  // One lane per partition and consumer: ingest and commit in offset order, off kafkajs's fetch path.
  const laneFor = (owner: KafkaConsumerSlice, ownerLanes: Map<number, PartitionLane<LaneBatch>>, partition: number) => {
    let lane = ownerLanes.get(partition);
    if (lane === undefined) {
      const created: PartitionLane<LaneBatch> = new PartitionLane(
        (batches) => ingestAndCommit(owner, created, batches),
        {
          items: opts.batchesInFlightPerPartition ?? DEFAULT_BATCHES_IN_FLIGHT,
          bytes: opts.bytesInFlightPerPartition ?? DEFAULT_BYTES_IN_FLIGHT,
        },
        (b) => b.bytes,
      );
      ownerLanes.set(partition, (lane = created));
      lanes.set(created, owner);
    }
    return lane;
  };

  // Hands the batch to its partition's lane and returns: kafkajs fetches the partition again while
  // the batch is ingested. Resolving the offset only moves kafkajs's fetch position (auto-commit is
  // off); what is committed is decided by ingestAndCommit.
  const handleBatch = async (
    owner: KafkaConsumerSlice,
    ownerLanes: Map<number, PartitionLane<LaneBatch>>,
    { batch, resolveOffset, heartbeat, isRunning, isStale }: ConsumerBatchPayload,
  ): Promise<void> => {
    const abandoned = () => stopping.signal.aborted || !isRunning() || isStale() || owner !== consumer;
    if (abandoned() || batch.messages.length === 0) return;
    const lastOffset = batch.lastOffset();
    const records = toKafkaRecords(batch.topic, batch.partition, batch.messages, batch.fetchedOffset);
    const item: LaneBatch = {
      records,
      bytes: recordsByteLength(records),
      where: { topic: batch.topic, partition: batch.partition, firstOffset: batch.messages[0].offset, lastOffset },
      abandoned,
    };
    // kafkajs heartbeats between batches only: keep the membership alive while waiting for room
    const beat = setInterval(() => heartbeat().catch(() => {}), HEARTBEAT_WHILE_WAITING_MS).unref();
    try {
      if (!(await laneFor(owner, ownerLanes, batch.partition).push(item, stopping.signal))) return;
    } finally {
      clearInterval(beat);
    }
    // Resolving the last offset (not the last message's) steps over trailing control records.
    resolveOffset(lastOffset);
  };

  // Every batch queued in the lane while the previous ingest ran, as one delivery; retried until it
  // succeeds, so a later batch of the partition is never ingested before an earlier one (the ingest
  // cursor would then skip the earlier one for good). Its offsets are committed only afterwards.
  const ingestAndCommit = async (
    owner: KafkaConsumerSlice,
    lane: PartitionLane<LaneBatch>,
    batches: LaneBatch[],
  ): Promise<void> => {
    const dropped = () => {
      // kafkajs re-reads from the committed offset after a rebalance, a restart or the next start
      lane.clear();
      lanes.delete(lane);
    };
    if (batches.some((b) => b.abandoned())) return dropped();
    const records = batches.length === 1 ? batches[0].records : batches.flatMap((b) => b.records);
    const where = { ...batches[0].where, lastOffset: batches[batches.length - 1].where.lastOffset };
    for (let attempt = 1; ; attempt++) {
      try {
        await opts.deliver(records);
        break;
      } catch (e) {
        if (batches.some((b) => b.abandoned())) {
          log.warn('ingest failed while stopping; offsets not committed, the batch is read again on the next start', {
            ...where,
            attempt,
            error: String(e),
          });
          return dropped();
        }
        log.warn('ingest failed; retrying the batch, offsets not committed', { ...where, attempt, error: String(e) });
        try {
          await sleep(retryDelay(attempt), undefined, { signal: stopping.signal });
        } catch {
          return dropped(); // stopping: leave the batch uncommitted
        }
      }
    }
    try {
      await owner.commitOffsets([
        { topic: where.topic, partition: where.partition, offset: (BigInt(where.lastOffset) + 1n).toString() },
      ]);
      committedRecords += recordCount(records);
    } catch (e) {
      // The records are in the deltas table already: re-reading them after a restart or
      // rebalance costs a fetch, and the ingest cursor skips them.
      log.warn('offset commit failed; the batch will be read again and skipped by the ingest cursor', {
        ...where,
        error: String(e),
      });
    }
  };

  const join = async (c: KafkaConsumerSlice, first: boolean) => {
    // as in Tempo, at startup only: a restart resumes where the crashed consumer committed
    if (first) await opts.beforeJoin?.();
    await c.connect();
    const ownerLanes = new Map<number, PartitionLane<LaneBatch>>();
    try {
      // Tempo starts a partition with no committed offset at its earliest record.
      await c.subscribe({ topics: [topic], fromBeginning: true });
      await c.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: opts.partitionsConsumedConcurrently ?? DEFAULT_CONCURRENCY,
        async eachBatch(payload) {
          inFlight++;
          try {
            await handleBatch(c, ownerLanes, payload);
          } finally {
            if (--inFlight === 0) idle?.();
          }
        },
      });
    } catch (e) {
      // e.g. a topic the cluster does not have: open connections would keep the process alive
      await c.disconnect().catch(() => {});
      throw e;
    }
  };

  const restart = async () => {
    for (let attempt = 1; !stopping.signal.aborted; attempt++) {
      try {
        await sleep(restartDelay(attempt), undefined, { signal: stopping.signal });
      } catch {
        return;
      }
      const previous = consumer;
      await previous.disconnect().catch(() => {});
      // its lanes drop their batches on their next step (the owner changed); forget them
      for (const [lane, owner] of lanes) if (owner === previous) lanes.delete(lane);
      const next = create();
      next.onCrash((crash) => onCrash(next, crash));
      consumer = next;
      try {
        await join(next, false);
        restarts++;
        log.info('kafka consumer restarted after a crash', { topic, attempt });
        return;
      } catch (e) {
        log.error('kafka consumer restart failed; trying again', { topic, attempt, error: String(e) });
      }
    }
  };

  function onCrash(c: KafkaConsumerSlice, crash: ConsumerCrash) {
    log.error('kafka consumer crashed', { topic, error: String(crash.error), restartsItself: crash.restart });
    if (crash.restart || c !== consumer || stopping.signal.aborted || restarting !== undefined) return;
    restarting = restart().finally(() => (restarting = undefined));
  }

  consumer = create();
  const first = consumer;
  first.onCrash((crash) => onCrash(first, crash));
  await join(first, true);

  const pause = () => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    try {
      consumer.pause([{ topic }]);
    } catch (e) {
      // a consumer stopped by a crash has no group to pause; stopping still goes on
      log.warn('kafka consumer could not pause', { topic, error: String(e) });
    }
  };
  return {
    get committedRecords() {
      return committedRecords;
    },
    get restarts() {
      return restarts;
    },
    pause,
    async close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS) {
      pause();
      const closing = (async () => {
        await restarting;
        if (inFlight > 0) await new Promise<void>((r) => (idle = r));
        await Promise.all([...lanes.keys()].map((l) => l.whenIdle()));
        if (!opts.leaveGroupOnShutdown) {
          log.info(
            'leave_consumer_group_on_shutdown is false (as in Tempo by default), but kafkajs has no static membership and always leaves the group when it disconnects: the group rebalances now instead of after the session timeout',
            { topic },
          );
        }
        await consumer.disconnect();
      })();
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
      try {
        if ((await Promise.race([closing.then(() => 'closed' as const), timedOut])) === 'timeout') {
          log.warn(
            'kafka consumer did not close in time; going on without it (uncommitted batches are read again on the next start)',
            { topic, timeoutMs, batchesInFlight: inFlight },
          );
          closing.catch(() => {});
        }
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function once(consumer: KafkaConsumerSlice): () => KafkaConsumerSlice {
  let used = false;
  return () => {
    if (used) throw new Error('this kafka consumer cannot be restarted: pass a factory to restart after a crash');
    used = true;
    return consumer;
  };
}
