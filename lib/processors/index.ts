// Which processors run for a tenant, from its resolved config.

import type { TenantConfig } from '../config/types.ts';
import type { Logger } from '../log/logger.ts';
import type { DiscardCounter, Processor } from './processor.ts';
import { SpanMetricsProcessor } from './spanmetrics/processor.ts';

export type { Processor, DiscardCounter } from './processor.ts';

const warnedUnimplemented = new Set<string>();

export function createProcessors(tenant: TenantConfig, discards: DiscardCounter, log: Logger): Processor[] {
  const processors: Processor[] = [];
  if (tenant.spanMetrics !== undefined) processors.push(new SpanMetricsProcessor(tenant, discards));
  for (const [enabled, name] of [
    [tenant.serviceGraphs, 'service-graphs'],
    [tenant.hostInfo, 'host-info'],
  ] as const) {
    // Not built yet: say so once per tenant rather than silently producing nothing.
    if (enabled !== undefined && !warnedUnimplemented.has(tenant.tenant + name)) {
      warnedUnimplemented.add(tenant.tenant + name);
      log.warn(`processor ${name} is not implemented yet; its metrics are not produced`, { tenant: tenant.tenant });
    }
  }
  return processors;
}
