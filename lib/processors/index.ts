// Which processors run for a tenant, from its resolved config.

import type { TenantConfig } from '../config/types.ts';
import type { Logger } from '../log/logger.ts';
import { HostInfoProcessor } from './hostinfo/processor.ts';
import type { DiscardCounter, Processor } from './processor.ts';
import { ServiceGraphsProcessor } from './servicegraphs/processor.ts';
import { SpanMetricsProcessor } from './spanmetrics/processor.ts';

export type { Processor, DiscardCounter } from './processor.ts';

/**
 * Processors in a fixed order: span-metrics, service-graphs, host-info. Tempo pushes each request
 * to its processors in Go map order, which changes from push to push, so no order is more
 * faithful; a fixed one keeps max_active_series admission reproducible.
 */
export function createProcessors(
  tenant: TenantConfig,
  discards: DiscardCounter,
  log: Logger,
  clock?: () => number,
): Processor[] {
  const processors: Processor[] = [];
  if (tenant.spanMetrics !== undefined) processors.push(new SpanMetricsProcessor(tenant, discards));
  if (tenant.serviceGraphs !== undefined) processors.push(new ServiceGraphsProcessor(tenant, discards, { log, clock }));
  if (tenant.hostInfo !== undefined) processors.push(new HostInfoProcessor(tenant, discards));
  return processors;
}
