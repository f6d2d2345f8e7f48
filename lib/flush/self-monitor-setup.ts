// Builds the self-monitor from the config: its own sender to the one chosen endpoint, and an
// observer for the tenants' sender so remote-write outcomes are counted.

import { selfMonitoringEndpoint } from '../config/self-monitoring-config.ts';
import type { GeneratorConfig } from '../config/types.ts';
import type { RemoteWriteEndpoint } from '../remote-write/endpoint.ts';
import { RemoteWriteSender } from './remote-sender.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import type { RemoteWriteClientOptions } from '../remote-write/index.ts';
import { SINGLE_TENANT } from '../remote-write/headers.ts';
import type { Ddb } from '../store/ddb.ts';
import { SelfMonitor } from '../self-monitoring/monitor.ts';

export interface SelfMonitorSetup {
  readonly ddb: Ddb;
  readonly seriesTable: string;
  readonly log: Logger;
  readonly metrics: MetricsRecorder;
  readonly clientOptions?: Partial<RemoteWriteClientOptions>;
}

/**
 * The monitor, attached to `tenantsSender`, or undefined when self-monitoring is off or no
 * endpoint is in use.
 */
export function createSelfMonitor(
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
