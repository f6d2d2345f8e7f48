// Everything the flush Lambda does besides receiving its schedule event: build the flusher once
// per container (a warm container keeps its registries), run one invocation until shortly
// before the next trigger, publish the metrics.

import { configSourceFromEnv, type ConfigClients } from '../config/from-env.ts';
import { readEnv } from '../env/contract.ts';
import { applyTenantConfig, reportRefusedConfig, type ConfigSource } from '../config/config-source.ts';
import { consoleLogger, type Logger } from '../log/logger.ts';
import { MetricsRecorder } from '../metrics/recorder.ts';
import { ddbMetricsObserver } from '../metrics/ddb-metrics.ts';
import { createDynamoClient, meteredDdb, sdkDdb, trackServerClock, type Ddb, type ServerClock } from '../store/ddb.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { objectStoreFromEnv } from '../store/s3-object-store.ts';
import { createSelfMonitor } from './self-monitor-setup.ts';
import { Flusher } from './flusher.ts';
import { persistIntervalFromEnv } from './persist-policy.ts';
import { endpointsOf, RemoteWriteSender } from './remote-sender.ts';
import { secretAwareReadFile } from './secret-reader.ts';

/** Time kept free at the end of an invocation for the save and the metrics. */
export const SAVE_RESERVE_MS = 8_000;
/** One invocation runs at most this long, so it ends before the next minute's trigger. */
export const MAX_RUN_MS = 55_000;

export interface FlushContext {
  readonly flusher: Flusher;
  readonly metrics: MetricsRecorder;
}

let cached: (() => Promise<FlushContext>) | undefined;

export function lambdaFlushContext(
  env: NodeJS.ProcessEnv = process.env,
  log: Logger = consoleLogger,
): Promise<FlushContext> {
  cached ??= lambdaFlushContainer(env, {}, log);
  return cached();
}

/**
 * Gives the context for each invocation: built once (a warm container keeps its registries), its
 * config re-read from the config source when due, before the run. Reloaded overrides reach the
 * registries through setConfig; a change of process-level settings (remote_write endpoints,
 * codec) rebuilds the context as a cold start would, from the state the last run saved.
 */
export function lambdaFlushContainer(
  env: NodeJS.ProcessEnv,
  clients: ConfigClients & { readonly ddb?: Ddb; readonly objects?: ObjectStore } = {},
  log: Logger = consoleLogger,
): () => Promise<FlushContext> {
  let built: Promise<FlushContext & { source: ConfigSource }> | undefined;
  const build = async () => {
    const deltasTable = readEnv(env, 'DELTAS_TABLE');
    const seriesTable = readEnv(env, 'SERIES_TABLE');
    const persistIntervalMs = persistIntervalFromEnv(env);
    const metrics = new MetricsRecorder();
    const source = await configSourceFromEnv(env, clients, {
      onRefused: reportRefusedConfig(log, (m) => metrics.add(m, 1)),
    });
    const config = source.config;
    // DynamoDB's clock, to notice a host clock far ahead before it stamps samples with it
    let serverClock: ServerClock | undefined;
    let base = clients.ddb;
    if (base === undefined) {
      const client = createDynamoClient(env);
      serverClock = trackServerClock(client);
      base = sdkDdb(client);
    }
    const ddb = meteredDdb(base, ddbMetricsObserver(metrics));
    const endpoints = endpointsOf(config, env);
    if (endpoints.length === 0) log.warn('no remote_write endpoint configured: series are kept but not sent');
    const sender = new RemoteWriteSender(config, endpoints, metrics, log, {
      readFile: secretAwareReadFile(readEnv(env, 'REMOTE_WRITE_SECRET_ARN')),
    });
    const selfMonitor = createSelfMonitor(config, endpoints, sender, {
      ddb,
      seriesTable,
      log,
      metrics,
      clientOptions: { readFile: secretAwareReadFile(readEnv(env, 'REMOTE_WRITE_SECRET_ARN')) },
    });
    const flusher = new Flusher({
      selfMonitor,
      ddb,
      deltasTable,
      seriesTable,
      config,
      sender,
      log,
      metrics,
      clock: Date.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
      referenceClock: serverClock?.nowMs,
      persistIntervalMs,
      // DATA_BUCKET: where the ingest put large deltas (claim check)
      objects: clients.objects ?? objectStoreFromEnv(env),
    });
    return { flusher, metrics, source };
  };
  return async () => {
    built ??= build();
    built.catch(() => (built = undefined));
    const ctx = await built;
    const outcome = await ctx.source.refresh();
    if (outcome === 'reloaded') applyTenantConfig(ctx.flusher, ctx.source.config);
    if (outcome !== 'restart') return ctx;
    built = undefined;
    return (built = build());
  };
}

/** When this invocation should stop folding and save. */
export function invocationDeadline(nowMs: number, remainingMs: number | undefined): number {
  return nowMs + Math.min(MAX_RUN_MS, (remainingMs ?? MAX_RUN_MS + SAVE_RESERVE_MS) - SAVE_RESERVE_MS);
}
