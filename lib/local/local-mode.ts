// `npm start`: the whole pipeline on one machine with no AWS account. An embedded DynamoDB
// (dynalite, in memory or in a data directory), the OTLP/HTTP receiver, Kafka-format records
// partitioned by trace ID and fed to the real ingest code (on a worker thread) in batches, the real
// flusher on its interval, /metrics, and remote write when REMOTE_WRITE_URL is set. Optionally a
// real Kafka topic too (kafka-source.ts), whose batches join the receiver's in the same ingest calls.
//
// Three independent loops: ingest (ingest-loop.ts), fold + collect + save every batch window, and
// remote write per tenant (queued-sender.ts); none waits for another, so a hanging endpoint
// delays neither the deltas table nor /metrics.

import { parseConfig } from '../config/index.ts';
import { ConfigSource, reportRefusedConfig } from '../config/config-source.ts';
import { fileConfigFetcher } from '../config/file-config-fetcher.ts';
import { createFlusher } from '../flush/flusher-factory.ts';
import type { Logger } from '../log/logger.ts';
import { MetricsRecorder } from '../metrics/recorder.ts';
import { readAllCursors } from '../store/cursor.ts';
import { sdkDdb } from '../store/ddb.ts';
import { createTable, startLocalDynamo, type LocalDynamo } from '../store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../store/tables.ts';
import { demoTraces } from './demo-traffic.ts';
import { startDynamoThread } from './dynamo-thread.ts';
import { IngestBatcher } from './ingest-batcher.ts';
import { IngestLoop } from './ingest-loop.ts';
import { startLocalIngest } from './local-ingest.ts';
import { startKafkaSource, type KafkaConsumerSlice, type KafkaSource } from './kafka-source.ts';
import { LocalTopic } from './local-topic.ts';
import { startReceiver } from './otlp-receiver.ts';
import { QueuedSender } from './queued-sender.ts';

/** Tempo's defaults with span metrics, service graphs and host info switched on. */
export const LOCAL_DEFAULT_CONFIG = `
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics, service-graphs, host-info]
`;

export interface LocalModeOptions {
  readonly port: number;
  readonly configFile?: string;
  /** Config text used instead of a file (tests, tools); the default is LOCAL_DEFAULT_CONFIG. */
  readonly inlineConfig?: string;
  readonly demo: boolean;
  readonly partitions: number;
  /** Like the event source's batching window; also how often the flusher folds. */
  readonly batchWindowMs: number;
  readonly topic: string;
  readonly log: Logger;
  /** Keep the embedded DynamoDB in this directory, so counters and pending state survive restarts. */
  readonly dataDir?: string;
  /** Progress line printer (spans/s, series, last flush); default console.log. */
  readonly progress?: (line: string) => void;
  readonly progressEveryMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Run ingest calls and the embedded DynamoDB on worker threads (default true), beside the Kafka
   * client and the flusher on the main thread; false runs everything on the main thread.
   */
  readonly workerThreads?: boolean;
  /** Ingest threads with workerThreads (default: by the cores, see ingest-thread-pool.ts). */
  readonly ingestThreads?: number;
  /** How long stop() waits for Kafka and for remote write before going on without them. */
  readonly shutdownTimeoutMs?: number;
  /** A real topic to consume besides the receiver (KAFKA_* variables, see kafka-settings.ts). */
  readonly kafka?: {
    /** The consumer, or a factory (lets the source restart after a crash that stops kafkajs). */
    readonly consumer: KafkaConsumerSlice | (() => KafkaConsumerSlice);
    readonly topic: string;
    readonly leaveGroupOnShutdown: boolean;
    /** Runs before each join with the ingestion slack, e.g. to skip a stale backlog. */
    readonly beforeJoin?: (ingestionSlackMs: number) => Promise<void>;
  };
}

export interface LocalMode {
  readonly port: number;
  metricsText(): string;
  /** Spans ingested and Kafka records committed so far (progress, benchmarks). */
  stats(): { spans: number; badRecords: number; kafkaCommitted: number; kafkaRestarts: number };
  /**
   * Stops taking input, ingests what is queued, commits the Kafka offsets of what was ingested,
   * folds, remote-writes every tenant one last time and saves, then disconnects and closes the
   * store. Without a data directory the state dies with the process, so pending service-graph
   * halves are settled first; with one they stay pending for the next start.
   */
  stop(): Promise<void>;
}

const SAVE_EVERY_MS = 10_000;
/** How long a collection may take to be sent (the per-tenant queues hand it to remote write with this deadline). */
const SEND_DEADLINE_MS = 10_000;
const DEMO_REQUESTS_PER_SECOND = 20;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export async function startLocalMode(opts: LocalModeOptions): Promise<LocalMode> {
  const flushMetrics = new MetricsRecorder();
  // The config file and its per_tenant_override_config are re-read every per_tenant_override_period.
  const configSource =
    opts.configFile !== undefined
      ? await ConfigSource.start(fileConfigFetcher(opts.configFile), {
          onRefused: reportRefusedConfig(opts.log, (m) => flushMetrics.add(m, 1)),
        })
      : ConfigSource.fixed(
          parseConfig(opts.inlineConfig ?? LOCAL_DEFAULT_CONFIG, {
            source: opts.inlineConfig === undefined ? 'local defaults' : 'inline config',
          }),
        );
  // Both feed the same deltas table, whose cursors are per topic-partition.
  if (opts.kafka !== undefined && opts.kafka.topic === opts.topic)
    throw new Error(`KAFKA_TOPIC "${opts.kafka.topic}" is the name of local mode's own receiver topic; pick another`);
  const dynamo =
    (opts.workerThreads ?? true)
      ? await startDynamoThread({
          path: opts.dataDir,
          onExit: (e) =>
            opts.log.error('the embedded DynamoDB stopped; ingest and flush fail until local mode is restarted', {
              error: e.message,
            }),
        })
      : await startLocalDynamo({ path: opts.dataDir });
  // Everything started from here on is closed again when a later step fails (a port in use, a
  // broker that refuses us): an open store or socket would keep the process alive.
  const cleanups: (() => Promise<void>)[] = [() => dynamo.close()];
  try {
    return await startOn(dynamo, configSource, flushMetrics, opts, cleanups);
  } catch (e) {
    for (const c of cleanups.reverse()) await c().catch(() => {});
    throw e;
  }
}

async function startOn(
  dynamo: LocalDynamo,
  configSource: ConfigSource,
  flushMetrics: MetricsRecorder,
  opts: LocalModeOptions,
  cleanups: (() => Promise<void>)[],
): Promise<LocalMode> {
  const config = configSource.config;
  const durable = opts.dataDir !== undefined;
  const shutdownTimeoutMs = opts.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const ddb = sdkDdb(dynamo.client);
  const ingestMetrics = new MetricsRecorder();
  // the worker loads its modules while the tables and the flusher's state are set up
  const ingestStarting = startLocalIngest({
    onThread: opts.workerThreads ?? true,
    threads: opts.ingestThreads,
    configSource:
      opts.configFile !== undefined
        ? { file: opts.configFile }
        : {
            text: opts.inlineConfig ?? LOCAL_DEFAULT_CONFIG,
            source: opts.inlineConfig === undefined ? 'local defaults' : 'inline config',
          },
    dynamoEndpoint: dynamo.endpoint,
    warmUp: opts.kafka !== undefined,
    config,
    ddb,
    table: 'deltas',
    log: opts.log,
    metrics: ingestMetrics,
  });
  ingestStarting.catch(() => {}); // awaited below; a failure before then must not go unhandled
  cleanups.push(() => ingestStarting.then((i) => i.close()));
  await createTable(dynamo.client, DELTAS_TABLE, 'deltas');
  await createTable(dynamo.client, SERIES_TABLE, 'series');
  let sendQueue!: QueuedSender;
  const { flusher, endpoints, refreshConfig } = createFlusher({
    ddb,
    deltasTable: 'deltas',
    seriesTable: 'series',
    source: configSource,
    env: opts.env ?? process.env,
    log: opts.log,
    metrics: flushMetrics,
    tenantSender: (remoteWrite) => (sendQueue = new QueuedSender(remoteWrite, opts.log)),
  });
  await flusher.load();

  const ingest = await ingestStarting;
  const batcher = new IngestBatcher((partitions) => ingest.ingest(partitions));
  const ingestLoop = new IngestLoop(batcher, opts.batchWindowMs, opts.log);
  // A durable store remembers the receiver topic's committed offsets: go on numbering after them.
  const startOffsets = new Map<number, number>();
  for (const c of await readAllCursors(ddb, 'deltas'))
    if (c.topic === opts.topic) startOffsets.set(c.partition, c.cursor.offset + 1);
  const localTopic = new LocalTopic({
    topic: opts.topic,
    partitions: opts.partitions,
    codec: config.codec,
    tenantHeader: config.tenantHeader,
    startOffsets,
  });
  const enqueue = (tenant: string, traces: { traceId: string; trace: Uint8Array }[]) => {
    batcher.enqueue(localTopic.append(tenant, traces));
    ingestLoop.soon();
  };

  const metricsText = () => flusher.metricsText();
  const receiver = await startReceiver(
    opts.port,
    { onTraces: enqueue, metrics: metricsText },
    config.tenantHeader,
    config.defaultTenant || 'single-tenant',
  );
  const closeReceiver = () => new Promise<void>((r) => receiver.server.close(() => r()));
  cleanups.push(closeReceiver);

  let busy: Promise<void> = Promise.resolve();
  let lastSave = Date.now();
  let lastProgress = Date.now();
  let spansAtProgress = 0;
  let kafka: KafkaSource | undefined;
  const tick = async () => {
    if ((await refreshConfig()) === 'restart')
      opts.log.warn(
        'config: codec, tenant header or remote_write changed; they apply after a restart (tenant overrides were reloaded)',
      );
    const now = Date.now();
    // the flusher's own loop turn; it hands the collections to the per-tenant send queues and returns
    await flusher.tick(now, now + SEND_DEADLINE_MS, { recordReach: false });
    if (now - lastSave >= SAVE_EVERY_MS) {
      await flusher.save();
      lastSave = now;
    }
    if (now - lastProgress >= (opts.progressEveryMs ?? 10_000)) {
      const spans = ingestMetrics.total('Spans');
      const rate = ((spans - spansAtProgress) / (now - lastProgress)) * 1000;
      const series = flusher
        .seriesPerTenant()
        .map(([t, n]) => `${t}=${n}`)
        .join(' ');
      const failures = flushMetrics.total('RemoteWriteFailures');
      const kafkaPart =
        kafka === undefined
          ? ''
          : ` | kafka ${opts.kafka!.topic}: ${kafka.committedRecords} records committed${kafka.restarts > 0 ? `, ${kafka.restarts} consumer restarts` : ''}`;
      (opts.progress ?? console.log)(
        `${rate.toFixed(0)} spans/s | series ${series || 'none'} | bad records ${ingestMetrics.total('BadRecords')} | spans discarded ${ingestMetrics.total('SpansDiscarded')} | remote write ${endpoints.length === 0 ? 'off' : failures === 0 ? 'ok' : `${failures} failed requests`}${kafkaPart}`,
      );
      spansAtProgress = spans;
      lastProgress = now;
    }
  };
  const run = () => {
    busy = busy.then(() => tick()).catch((e) => opts.log.error('local mode flush tick failed', { error: String(e) }));
  };
  const flushTimer = setInterval(run, opts.batchWindowMs);
  const demoCount = Math.ceil((DEMO_REQUESTS_PER_SECOND * opts.batchWindowMs) / 1000);
  const demoTimer = opts.demo
    ? setInterval(() => enqueue('single-tenant', demoTraces(demoCount, Date.now())), opts.batchWindowMs)
    : undefined;
  const stopTimers = () => {
    clearInterval(flushTimer);
    if (demoTimer !== undefined) clearInterval(demoTimer);
  };
  cleanups.push(async () => {
    stopTimers();
    await ingestLoop.stop();
    await busy;
  });

  if (opts.kafka !== undefined) {
    kafka = await startKafkaSource({
      consumer: opts.kafka.consumer,
      topic: opts.kafka.topic,
      deliver: (records) => {
        const delivered = batcher.deliver(records);
        ingestLoop.now();
        return delivered;
      },
      log: opts.log,
      leaveGroupOnShutdown: opts.kafka.leaveGroupOnShutdown,
      beforeJoin:
        opts.kafka.beforeJoin &&
        (
          (join) => () =>
            join(config.tenant(config.defaultTenant || 'single-tenant').ingestionSlackMs)
        )(opts.kafka.beforeJoin),
    });
  }

  const final = async () => {
    // Ingest what is queued; the Kafka batches it holds resolve and commit. A batch kafkajs was
    // already handing over when the source paused arrives a moment later: keep ingesting until
    // the source has closed (or given up at its timeout).
    await ingestLoop.stop();
    let closed = false;
    const closing = (kafka?.close(shutdownTimeoutMs) ?? Promise.resolve()).finally(() => (closed = true));
    for (let first = true; first || !closed; first = false) {
      if (batcher.pending > 0) {
        try {
          await batcher.ingestQueued();
        } catch (e) {
          opts.log.error(
            'ingest failed at shutdown: the receiver records queued now are lost; Kafka offsets stay uncommitted',
            { queued: batcher.pending, error: String(e) },
          );
          break;
        }
      } else if (!closed) await new Promise((r) => setTimeout(r, 10));
    }
    await closing;
    await busy;
    // Every tenant is sent now rather than when its collection interval is next due: the process
    // may not come back. With a data directory pending service-graph halves stay pending (the
    // next start pairs them with what comes); without one the state dies with the process, so
    // every waiting half is settled first (as replay does at the end of input).
    await flusher.finish(shutdownTimeoutMs, { settleHalves: !durable });
    const waiting = await sendQueue.drain(shutdownTimeoutMs);
    if (waiting > 0)
      opts.log.warn('remote write did not finish before the shutdown timeout; the last collections were not sent', {
        waiting,
        timeoutMs: shutdownTimeoutMs,
      });
  };

  return {
    port: receiver.port,
    metricsText,
    stats: () => ({
      spans: ingestMetrics.total('Spans'),
      badRecords: ingestMetrics.total('BadRecords'),
      kafkaCommitted: kafka?.committedRecords ?? 0,
      kafkaRestarts: kafka?.restarts ?? 0,
    }),
    async stop() {
      stopTimers();
      kafka?.pause();
      await closeReceiver();
      try {
        await final();
      } finally {
        await ingest.close();
        await dynamo.close();
      }
    },
  };
}
