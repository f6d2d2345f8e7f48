// Everything the flush Lambda does besides receiving its schedule event: build the flusher once
// per container (a warm container keeps its registries), run one invocation until shortly
// before the next trigger, publish the metrics.

import { type ConfigClients, configSourceFromEnv } from '../config/from-env.ts';
import { reportRefusedConfig } from '../config/config-source.ts';
import { containerContext } from '../config/container-context.ts';
import { readEnv } from '../env/contract.ts';
import { consoleLogger, type Logger } from '../log/logger.ts';
import { ddbMetricsObserver } from '../metrics/ddb-metrics.ts';
import { MetricsRecorder } from '../metrics/recorder.ts';
import { createDynamoClient, type Ddb, meteredDdb, type ServerClock, sdkDdb, trackServerClock } from '../store/ddb.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { objectStoreFromEnv } from '../store/s3-object-store.ts';
import type { Flusher } from './flusher.ts';
import { createFlusher, type WiredFlusher } from './flusher-factory.ts';
import { persistIntervalFromEnv } from './persist-policy.ts';
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
  const build = async (): Promise<FlushContext & { readonly wired: WiredFlusher }> => {
    const deltasTable = readEnv(env, 'DELTAS_TABLE');
    const seriesTable = readEnv(env, 'SERIES_TABLE');
    const persistIntervalMs = persistIntervalFromEnv(env);
    const metrics = new MetricsRecorder();
    const source = await configSourceFromEnv(env, clients, {
      onRefused: reportRefusedConfig(log, (m) => metrics.add(m, 1)),
    });
    // DynamoDB's clock, to notice a host clock far ahead before it stamps samples with it
    let serverClock: ServerClock | undefined;
    let base = clients.ddb;
    if (base === undefined) {
      const client = createDynamoClient(env);
      serverClock = trackServerClock(client);
      base = sdkDdb(client);
    }
    const wired = createFlusher({
      ddb: meteredDdb(base, ddbMetricsObserver(metrics)),
      deltasTable,
      seriesTable,
      source,
      env,
      log,
      metrics,
      readFile: secretAwareReadFile(readEnv(env, 'REMOTE_WRITE_SECRET_ARN')),
      referenceClock: serverClock?.nowMs,
      persistIntervalMs,
      // DATA_BUCKET: where the ingest put large deltas (claim check)
      objects: clients.objects ?? objectStoreFromEnv(env),
    });
    if (wired.endpoints.length === 0) log.warn('no remote_write endpoint configured: series are kept but not sent');
    return { flusher: wired.flusher, metrics, wired };
  };
  return containerContext(build, (ctx) => ctx.wired.refreshConfig());
}

/** When this invocation should stop folding and save. */
export function invocationDeadline(nowMs: number, remainingMs: number | undefined): number {
  return nowMs + Math.min(MAX_RUN_MS, (remainingMs ?? MAX_RUN_MS + SAVE_RESERVE_MS) - SAVE_RESERVE_MS);
}
