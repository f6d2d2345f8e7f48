// The conformance path (README, "The replay CLI"): OTLP-JSON traces through the same decoder and processors
// as the Lambda path, folded into one registry, printed as Prometheus text. No ingestion slack
// (the traces are historical).

import type { GeneratorConfig } from '../config/types.ts';
import { tenantIdProblem } from '../tenant/tenant-id.ts';
import { WireError } from '../decode/wire.ts';
import { silentLogger, type Logger } from '../log/logger.ts';
import { SpanBatch } from '../pipeline/span-batch.ts';
import { Registry } from '../series/registry.ts';
import { formatExposition } from '../series/exposition.ts';
import { parseOtlpJsonTraces } from './otlp-json.ts';

export class ReplayInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayInputError';
  }
}

export function replay(config: GeneratorConfig, tenant: string, input: string, log: Logger = silentLogger): string {
  const problem = tenantIdProblem(tenant);
  if (problem !== undefined) throw new ReplayInputError(`--tenant: ${problem}`);
  let messages: Uint8Array[];
  try {
    messages = parseOtlpJsonTraces(input);
  } catch (e) {
    throw new ReplayInputError((e as Error).message);
  }
  const tenantConfig = config.tenant(tenant);
  const batch = new SpanBatch(config, { applySlack: false, log });
  for (let i = 0; i < messages.length; i++) {
    try {
      batch.addTracesData(tenant, messages[i]);
    } catch (e) {
      if (e instanceof WireError) throw new ReplayInputError(`trace ${i + 1}: ${e.message}`);
      throw e;
    }
  }
  const registry = new Registry(tenantConfig);
  const now = Date.now();
  // End of input: pending service-graph edges expire as if `wait` had passed (README, "The replay CLI").
  registry.apply(batch.drain({ expireAll: true, nowMs: now }).get(tenant) ?? [], now);
  return formatExposition(registry);
}
