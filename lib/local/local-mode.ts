// `npm start`: the whole pipeline on one machine with no AWS account and no Kafka. An embedded
// DynamoDB (dynalite), the OTLP/HTTP receiver, Kafka-format records partitioned by trace ID and
// fed to the real ingest code in event-source-shaped batches, the real flusher on its interval,
// /metrics, and remote write when REMOTE_WRITE_URL is set.

import { parseConfig, loadConfigFile } from '../config/index.ts';
import type { GeneratorConfig } from '../config/types.ts';
import { Flusher } from '../flush/flusher.ts';
import { endpointsOf, RemoteWriteSender } from '../flush/remote-sender.ts';
import { ingestContext, ingestEvent } from '../ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../ingest/msk-event.ts';
import type { Logger } from '../log/logger.ts';
import { MetricsRecorder } from '../metrics/recorder.ts';
import { PushBytesRequest } from '../proto/index.ts';
import { formatExposition } from '../series/exposition.ts';
import { fnv1a64Hex } from '../series/fnv.ts';
import { sdkDdb } from '../store/ddb.ts';
import { createTable, startLocalDynamo } from '../store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../store/tables.ts';
import { demoTraces } from './demo-traffic.ts';
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
}

export interface LocalMode {
  readonly port: number;
  metricsText(): string;
  /** Delivers what is queued, folds, sends, saves: nothing received is lost. */
  stop(): Promise<void>;
}

const SAVE_EVERY_MS = 60_000;
const DEMO_REQUESTS_PER_SECOND = 20;

export async function startLocalMode(opts: LocalModeOptions): Promise<LocalMode> {
  const config: GeneratorConfig = opts.configFile !== undefined ? loadConfigFile(opts.configFile) : parseConfig(LOCAL_DEFAULT_CONFIG, { source: 'local defaults' });
  const dynamo = await startLocalDynamo();
  await createTable(dynamo.client, DELTAS_TABLE, 'deltas');
  await createTable(dynamo.client, SERIES_TABLE, 'series');
  const ddb = sdkDdb(dynamo.client);
  const ingestMetrics = new MetricsRecorder();
  const ingest = ingestContext({ config, ddb, table: 'deltas', log: opts.log, metrics: ingestMetrics });
  const flushMetrics = new MetricsRecorder();
  const endpoints = endpointsOf(config, opts.env ?? process.env);
  const flusher = new Flusher({
    ddb,
    deltasTable: 'deltas',
    seriesTable: 'series',
    config,
    sender: new RemoteWriteSender(config, endpoints, flushMetrics, opts.log),
    log: opts.log,
    metrics: flushMetrics,
    clock: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
  await flusher.load();

  // Kafka-format records waiting for the next batch, per partition
  const queues: KafkaEventRecord[][] = Array.from({ length: opts.partitions }, () => []);
  const nextOffset = new Array<number>(opts.partitions).fill(0);
  const enqueue = (tenant: string, traces: { traceId: string; trace: Uint8Array }[]) => {
    for (const { traceId, trace } of traces) {
      const partition = parseInt(fnv1a64Hex(traceId).slice(-8), 16) % opts.partitions;
      const value = PushBytesRequest.encode({ traces: [trace], ids: [Buffer.from(traceId, 'hex')] }).finish();
      queues[partition].push({
        topic: opts.topic,
        partition,
        offset: nextOffset[partition]++,
        timestamp: Date.now(),
        key: Buffer.from(tenant).toString('base64'),
        value: Buffer.from(value).toString('base64'),
        headers: [],
      });
    }
  };

  const metricsText = () => [...flusher.tenants()].map(([, r]) => formatExposition(r)).join('');
  const receiver = await startReceiver(opts.port, { onTraces: enqueue, metrics: metricsText }, config.tenantHeader, config.defaultTenant || 'single-tenant');

  let busy: Promise<void> = Promise.resolve();
  let lastSave = Date.now();
  let lastProgress = Date.now();
  let spansAtProgress = 0;
  const tick = async (final = false) => {
    const records: Record<string, KafkaEventRecord[]> = {};
    for (let p = 0; p < queues.length; p++) {
      if (queues[p].length > 0) records[`${opts.topic}-${p}`] = queues[p].splice(0);
    }
    if (Object.keys(records).length > 0) await ingestEvent(ingest, { records });
    const now = Date.now();
    await flusher.fold(now);
    await flusher.collectDue(now, now + 10_000);
    if (final || now - lastSave >= SAVE_EVERY_MS) {
      await flusher.save();
      lastSave = now;
    }
    if (now - lastProgress >= (opts.progressEveryMs ?? 10_000)) {
      const spans = ingestMetrics.total('Spans');
      const rate = ((spans - spansAtProgress) / (now - lastProgress)) * 1000;
      const series = [...flusher.tenants()].map(([t, r]) => `${t}=${r.size}`).join(' ');
      const failures = flushMetrics.total('RemoteWriteFailures');
      (opts.progress ?? console.log)(
        `${rate.toFixed(0)} spans/s | series ${series || 'none'} | bad records ${ingestMetrics.total('BadRecords')} | spans discarded ${ingestMetrics.total('SpansDiscarded')} | remote write ${endpoints.length === 0 ? 'off' : failures === 0 ? 'ok' : `${failures} failed requests`}`,
      );
      spansAtProgress = spans;
      lastProgress = now;
    }
  };
  const run = () => {
    busy = busy.then(() => tick()).catch((e) => opts.log.error('local mode tick failed', { error: String(e) }));
  };
  const batchTimer = setInterval(run, opts.batchWindowMs);
  const demoCount = Math.ceil((DEMO_REQUESTS_PER_SECOND * opts.batchWindowMs) / 1000);
  const demoTimer = opts.demo ? setInterval(() => enqueue('single-tenant', demoTraces(demoCount, Date.now())), opts.batchWindowMs) : undefined;

  return {
    port: receiver.port,
    metricsText,
    async stop() {
      clearInterval(batchTimer);
      if (demoTimer !== undefined) clearInterval(demoTimer);
      await new Promise<void>((r) => receiver.server.close(() => r()));
      await busy;
      await tick(true);
      await dynamo.close();
    },
  };
}
