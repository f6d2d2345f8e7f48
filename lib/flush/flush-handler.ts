// Everything the flush Lambda does besides receiving its schedule event: build the flusher once
// per container (a warm container keeps its registries), run one invocation until shortly
// before the next trigger, publish the metrics.

import { loadConfigFromEnv } from '../config/from-env.ts';
import { consoleLogger } from '../log/logger.ts';
import { MetricsRecorder } from '../metrics/recorder.ts';
import { ddbMetricsObserver } from '../metrics/ddb-metrics.ts';
import { createDynamoClient, meteredDdb, sdkDdb, trackServerClock } from '../store/ddb.ts';
import { createSelfMonitor } from '../self-monitoring/create.ts';
import { Flusher } from './flusher.ts';
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

let cached: Promise<FlushContext> | undefined;

export function lambdaFlushContext(env: NodeJS.ProcessEnv = process.env): Promise<FlushContext> {
  cached ??= (async () => {
    const deltasTable = required(env, 'DELTAS_TABLE');
    const seriesTable = required(env, 'SERIES_TABLE');
    const config = await loadConfigFromEnv(env);
    const metrics = new MetricsRecorder();
    const log = consoleLogger;
    const client = createDynamoClient(env);
    // DynamoDB's clock, to notice a host clock far ahead before it stamps samples with it
    const serverClock = trackServerClock(client);
    const ddb = meteredDdb(sdkDdb(client), ddbMetricsObserver(metrics));
    const endpoints = endpointsOf(config, env);
    if (endpoints.length === 0) log.warn('no remote_write endpoint configured: series are kept but not sent');
    const sender = new RemoteWriteSender(config, endpoints, metrics, log, { readFile: secretAwareReadFile(env.REMOTE_WRITE_SECRET_ARN) });
    const selfMonitor = createSelfMonitor(config, endpoints, sender, { ddb, seriesTable, log, metrics, clientOptions: { readFile: secretAwareReadFile(env.REMOTE_WRITE_SECRET_ARN) } });
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
      referenceClock: serverClock.nowMs,
    });
    return { flusher, metrics };
  })();
  cached.catch(() => (cached = undefined));
  return cached;
}

/** When this invocation should stop folding and save. */
export function invocationDeadline(nowMs: number, remainingMs: number | undefined): number {
  return nowMs + Math.min(MAX_RUN_MS, (remainingMs ?? MAX_RUN_MS + SAVE_RESERVE_MS) - SAVE_RESERVE_MS);
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const v = env[name];
  if (v === undefined || v === '') throw new Error(`${name} is not set`);
  return v;
}
