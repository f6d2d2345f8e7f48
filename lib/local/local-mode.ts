// `npm start`: the whole pipeline on one machine with no AWS account. An embedded DynamoDB
// (dynalite), the OTLP/HTTP receiver, Kafka-format records partitioned by trace ID and fed to the
// real ingest code in event-source-shaped batches, the real flusher on its interval, /metrics, and
// remote write when REMOTE_WRITE_URL is set. Optionally a real Kafka topic too (kafka-source.ts),
// whose batches join the receiver's in the same ingest calls.

import { parseConfig } from '../config/index.ts';
import { applyTenantConfig, ConfigSource, reportRefusedConfig } from '../config/config-source.ts';
import { fileConfigFetcher } from '../config/file-config-fetcher.ts';
import type { GeneratorConfig } from '../config/types.ts';
import { Flusher } from '../flush/flusher.ts';
import { endpointsOf, RemoteWriteSender } from '../flush/remote-sender.ts';
import { ingestContext, ingestEvent } from '../ingest/ingest-handler.ts';
import type { Logger } from '../log/logger.ts';
import { MetricsRecorder } from '../metrics/recorder.ts';
import { formatExposition } from '../series/exposition.ts';
import { sdkDdb } from '../store/ddb.ts';
import { createTable, startLocalDynamo } from '../store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../store/tables.ts';
import { demoTraces } from './demo-traffic.ts';
import { IngestBatcher } from './ingest-batcher.ts';
import { startKafkaSource, type KafkaConsumerSlice, type KafkaSource } from './kafka-source.ts';
import { LocalTopic } from './local-topic.ts';
import { startReceiver } from './otlp-receiver.ts';

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
  readonly demo: boolean;
  readonly partitions: number;
  /** Like the event source's batching window. */
  readonly batchWindowMs: number;
  readonly topic: string;
  readonly log: Logger;
  /** Progress line printer (spans/s, series, last flush); default console.log. */
  readonly progress?: (line: string) => void;
  readonly progressEveryMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** A real topic to consume besides the receiver (KAFKA_* variables, see kafka-settings.ts). */
  readonly kafka?: {
    readonly consumer: KafkaConsumerSlice;
    readonly topic: string;
    readonly leaveGroupOnShutdown: boolean;
  };
}

export interface LocalMode {
  readonly port: number;
  metricsText(): string;
  /**
   * Ingests what is queued, folds, remote-writes every tenant one last time (the embedded
   * DynamoDB goes away with the process), saves, commits the Kafka offsets of what was ingested,
   * then disconnects from Kafka.
   */
  stop(): Promise<void>;
}

const SAVE_EVERY_MS = 10_000;
const DEMO_REQUESTS_PER_SECOND = 20;

export async function startLocalMode(opts: LocalModeOptions): Promise<LocalMode> {
  const flushMetrics = new MetricsRecorder();
  // The config file and its per_tenant_override_config are re-read every per_tenant_override_period.
  const configSource = opts.configFile !== undefined
    ? await ConfigSource.start(fileConfigFetcher(opts.configFile), { onRefused: reportRefusedConfig(opts.log, (m) => flushMetrics.add(m, 1)) })
    : ConfigSource.fixed(parseConfig(LOCAL_DEFAULT_CONFIG, { source: 'local defaults' }));
  const config: GeneratorConfig = configSource.config;
  // Both feed the same deltas table, whose cursors are per topic-partition.
  if (opts.kafka !== undefined && opts.kafka.topic === opts.topic) throw new Error(`KAFKA_TOPIC "${opts.kafka.topic}" is the name of local mode's own receiver topic; pick another`);
  const dynamo = await startLocalDynamo();
  await createTable(dynamo.client, DELTAS_TABLE, 'deltas');
  await createTable(dynamo.client, SERIES_TABLE, 'series');
  const ddb = sdkDdb(dynamo.client);
  const ingestMetrics = new MetricsRecorder();
  const ingest = ingestContext({ config, ddb, table: 'deltas', log: opts.log, metrics: ingestMetrics });
  const endpoints = endpointsOf(config, opts.env ?? process.env);
  const sender = new RemoteWriteSender(config, endpoints, flushMetrics, opts.log);
  const flusher = new Flusher({
    ddb,
    deltasTable: 'deltas',
    seriesTable: 'series',
    config,
    sender,
    log: opts.log,
    metrics: flushMetrics,
    clock: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
  await flusher.load();

  const batcher = new IngestBatcher((event) => ingestEvent(ingest, event));
  const localTopic = new LocalTopic({ topic: opts.topic, partitions: opts.partitions, codec: config.codec, tenantHeader: config.tenantHeader });
  const enqueue = (tenant: string, traces: { traceId: string; trace: Uint8Array }[]) => batcher.enqueue(localTopic.append(tenant, traces));

  const metricsText = () => [...flusher.tenants()].map(([, r]) => formatExposition(r)).join('');
  const receiver = await startReceiver(opts.port, { onTraces: enqueue, metrics: metricsText }, config.tenantHeader, config.defaultTenant || 'single-tenant');

  let busy: Promise<void> = Promise.resolve();
  let lastSave = Date.now();
  let lastProgress = Date.now();
  let spansAtProgress = 0;
  let kafka: KafkaSource | undefined;
  const tick = async (final = false) => {
    const reload = await configSource.refresh();
    if (reload === 'reloaded' || reload === 'restart') applyTenantConfig(flusher, config);
    if (reload === 'restart') opts.log.warn('config: codec, tenant header or remote_write changed; they apply after a restart (tenant overrides were reloaded)');
    try {
      await batcher.ingestQueued();
    } catch (e) {
      // The flush below still runs: what earlier batches committed is unaffected.
      opts.log.error(
        final
          ? 'ingest failed at shutdown: the receiver records queued now are lost; Kafka offsets stay uncommitted'
          : 'ingest failed: the receiver records stay queued for the next batch; Kafka batches are retried',
        { queued: batcher.pending, error: String(e) },
      );
    }
    const now = Date.now();
    await flusher.fold(now);
    if (final) {
      // The state dies with the process: settle every waiting service-graph half (as replay does
      // at the end of input), then send everything once more.
      await flusher.save({ expireAllHalves: true });
      await collectAll(Date.now());
    } else {
      await flusher.collectDue(now, now + 10_000);
      // Pending service-graph halves are settled at each save, so save often (it is local).
      if (now - lastSave >= SAVE_EVERY_MS) {
        await flusher.save();
        lastSave = now;
      }
    }
    if (now - lastProgress >= (opts.progressEveryMs ?? 10_000)) {
      const spans = ingestMetrics.total('Spans');
      const rate = ((spans - spansAtProgress) / (now - lastProgress)) * 1000;
      const series = [...flusher.tenants()].map(([t, r]) => `${t}=${r.size}`).join(' ');
      const failures = flushMetrics.total('RemoteWriteFailures');
      const kafkaPart = kafka === undefined ? '' : ` | kafka ${opts.kafka!.topic}: ${kafka.committedRecords} records committed`;
      (opts.progress ?? console.log)(
        `${rate.toFixed(0)} spans/s | series ${series || 'none'} | bad records ${ingestMetrics.total('BadRecords')} | spans discarded ${ingestMetrics.total('SpansDiscarded')} | remote write ${endpoints.length === 0 ? 'off' : failures === 0 ? 'ok' : `${failures} failed requests`}${kafkaPart}`,
      );
      spansAtProgress = spans;
      lastProgress = now;
    }
  };
  // Shutdown sends every tenant now rather than when its collection interval is next due: after
  // the process exits, nothing of the embedded state remains to be sent later.
  const collectAll = async (now: number) => {
    for (const [tenant, registry] of flusher.tenants()) {
      const series = registry.collect(now);
      if (series.length > 0) await sender.send(tenant, series, now + 10_000);
    }
  };
  const run = () => {
    busy = busy.then(() => tick()).catch((e) => opts.log.error('local mode tick failed', { error: String(e) }));
  };
  const batchTimer = setInterval(run, opts.batchWindowMs);
  const demoCount = Math.ceil((DEMO_REQUESTS_PER_SECOND * opts.batchWindowMs) / 1000);
  const demoTimer = opts.demo ? setInterval(() => enqueue('single-tenant', demoTraces(demoCount, Date.now())), opts.batchWindowMs) : undefined;
  const stopTimers = () => {
    clearInterval(batchTimer);
    if (demoTimer !== undefined) clearInterval(demoTimer);
  };

  if (opts.kafka !== undefined) {
    try {
      kafka = await startKafkaSource({
        consumer: opts.kafka.consumer,
        topic: opts.kafka.topic,
        deliver: (records) => batcher.deliver(records),
        log: opts.log,
        leaveGroupOnShutdown: opts.kafka.leaveGroupOnShutdown,
      });
    } catch (e) {
      stopTimers();
      await new Promise<void>((r) => receiver.server.close(() => r()));
      await busy;
      await dynamo.close();
      throw e;
    }
  }

  return {
    port: receiver.port,
    metricsText,
    async stop() {
      stopTimers();
      kafka?.pause();
      await new Promise<void>((r) => receiver.server.close(() => r()));
      await busy;
      try {
        await tick(true);
      } finally {
        // after the final ingest, so the batches it took are committed before leaving
        await kafka?.close();
        await dynamo.close();
      }
    },
  };
}
