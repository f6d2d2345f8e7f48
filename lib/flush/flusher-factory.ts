// Builds a Flusher from what it runs on, the same way for the flush Lambda and for local mode: the
// remote-write sender over the configured endpoints (plus REMOTE_WRITE_URL), the self-monitor with
// its own sender, the wall clock, and a config source whose reloaded overrides reach the flusher's
// tenants. Each caller adds only what differs: the Lambda its DynamoDB clock, persist interval,
// object store and secret reader; local mode a queue per tenant in front of remote write.

import { applyTenantConfig, type ConfigSource, type RefreshOutcome } from '../config/config-source.ts';
import { selfMonitoringEndpoint } from '../config/self-monitoring-config.ts';
import type { GeneratorConfig } from '../config/types.ts';
import type { RemoteWriteEndpoint } from '../remote-write/endpoint.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import type { RemoteWriteClientOptions } from '../remote-write/index.ts';
import { SINGLE_TENANT } from '../remote-write/headers.ts';
import { SelfMonitor } from '../self-monitoring/monitor.ts';
import type { Ddb } from '../store/ddb.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { Flusher } from './flusher.ts';
import type { SeriesSender } from './flusher-deps.ts';
import { endpointsOf, RemoteWriteSender } from './remote-sender.ts';

export interface FlusherSetup {
  readonly ddb: Ddb;
  readonly deltasTable: string;
  readonly seriesTable: string;
  /** The config and its reloads; the flusher reads tenants from `source.config`. */
  readonly source: ConfigSource;
  /** Where REMOTE_WRITE_URL is read. */
  readonly env: NodeJS.ProcessEnv;
  readonly log: Logger;
  readonly metrics: MetricsRecorder;
  /** Reads the files remote-write settings name (the Lambda: Secrets Manager too); default: the file system. */
  readonly readFile?: RemoteWriteClientOptions['readFile'];
  /** Puts something in front of remote write for the tenants' series (local mode: a queue per tenant). */
  readonly tenantSender?: (remoteWrite: SeriesSender) => SeriesSender;
  readonly referenceClock?: () => number | undefined;
  readonly persistIntervalMs?: number;
  readonly objects?: ObjectStore;
}

export interface WiredFlusher {
  readonly flusher: Flusher;
  /** The remote-write endpoints in use (empty: series are kept but not sent). */
  readonly endpoints: readonly RemoteWriteEndpoint[];
  /**
   * Re-reads the config when due; reloaded tenant overrides reach the flusher's registries and
   * pairings at once. 'restart': process-level settings changed too, which only a new flusher takes.
   */
  refreshConfig(): Promise<RefreshOutcome>;
}

export function createFlusher(setup: FlusherSetup): WiredFlusher {
  const { ddb, seriesTable, source, log, metrics } = setup;
  const config = source.config;
  const endpoints = endpointsOf(config, setup.env);
  const clientOptions: Partial<RemoteWriteClientOptions> =
    setup.readFile === undefined ? {} : { readFile: setup.readFile };
  const remoteWrite = new RemoteWriteSender(config, endpoints, metrics, log, clientOptions);
  const selfMonitor = createSelfMonitor(config, endpoints, remoteWrite, {
    ddb,
    seriesTable,
    log,
    metrics,
    clientOptions,
  });
  const flusher = new Flusher({
    ddb,
    deltasTable: setup.deltasTable,
    seriesTable,
    config,
    sender: setup.tenantSender?.(remoteWrite) ?? remoteWrite,
    log,
    metrics,
    clock: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    selfMonitor,
    referenceClock: setup.referenceClock,
    persistIntervalMs: setup.persistIntervalMs,
    objects: setup.objects,
  });
  return {
    flusher,
    endpoints,
    async refreshConfig() {
      const outcome = await source.refresh();
      if (outcome === 'reloaded' || outcome === 'restart') applyTenantConfig(flusher, config);
      return outcome;
    },
  };
}

interface SelfMonitorSetup {
  readonly ddb: Ddb;
  readonly seriesTable: string;
  readonly log: Logger;
  readonly metrics: MetricsRecorder;
  readonly clientOptions: Partial<RemoteWriteClientOptions>;
}

/**
 * The self-monitor, attached to `tenantsSender` so the tenants' remote-write outcomes are counted,
 * with its own sender to the one chosen endpoint; undefined when self-monitoring is off or no
 * endpoint is in use.
 */
function createSelfMonitor(
  config: GeneratorConfig,
  endpoints: readonly RemoteWriteEndpoint[],
  tenantsSender: RemoteWriteSender,
  setup: SelfMonitorSetup,
): SelfMonitor | undefined {
  const cfg = config.selfMonitoring;
  if (cfg === undefined) return undefined;
  const endpoint = selfMonitoringEndpoint(cfg, endpoints);
  if (endpoint === undefined) return undefined;
  const sender = new RemoteWriteSender(config, [endpoint], setup.metrics, setup.log, setup.clientOptions);
  const monitor = new SelfMonitor({
    ddb: setup.ddb,
    seriesTable: setup.seriesTable,
    sender,
    tenant: cfg.tenant === '' ? SINGLE_TENANT : cfg.tenant,
    externalLabels: cfg.externalLabels,
    log: setup.log,
    intervalMs: config.tenant(SINGLE_TENANT).registry.collectionIntervalMs,
    hasServiceGraphs: (tenant) => config.tenant(tenant).serviceGraphs !== undefined,
  });
  const observe = (r: Parameters<SelfMonitor['sent']>[0]): void => monitor.sent(r);
  tenantsSender.onResult = observe;
  sender.onResult = observe;
  return monitor;
}
