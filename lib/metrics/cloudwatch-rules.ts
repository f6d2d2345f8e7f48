// Which recorded metrics go to CloudWatch, and with which dimensions. CloudWatch bills every custom
// metric (name + dimension values) for each hour it is published in, so a published metric must
// carry information: a zero is left out (alarms treat missing data as not breaching, graphs show
// a gap), a number AWS already meters for free is not published again, and per-partition or
// per-tenant detail that the remote-written self-metrics (lib/self-monitoring) already carry is
// combined. The recorder keeps everything as recorded: tests, the bench and local mode read it.

import type { RecordedMetric } from './recorded-metric.ts';

interface Rule {
  /** Not published at all: the same number is free elsewhere, or it is for tests and the bench. */
  readonly unpublished?: true;
  /** Dimensions kept; the entries differing only in the others are combined into one. */
  readonly keep?: readonly string[];
  /** How combined entries are joined (default: summed). */
  readonly combine?: 'sum' | 'max';
  /** Published only when one of these metrics is non-zero with the same dimensions. */
  readonly onlyWith?: readonly string[];
}

const LIMITS = ['RegistryMaxActiveSeries', 'RegistryMaxActiveEntities'];

const RULES: Readonly<Record<string, Rule>> = {
  // AWS/DynamoDB ConsumedWrite/ReadCapacityUnits per table (free); the per-operation split is for the bench
  WriteUnits: { unpublished: true },
  ReadUnits: { unpublished: true },
  // the flush log names each epoch it saves; no alarm or graph needs it
  StateEpoch: { unpublished: true },
  // per partition in the remote-written tempo_ingest_group_partition_lag; CloudWatch needs the worst
  FoldLagOffsets: { keep: ['topic'], combine: 'max' },
  // per tenant in the remote-written tempo_metrics_generator_registry_active_series
  ActiveSeries: { keep: [] },
  // per tenant in the remote-written prometheus_remote_storage_samples_total
  SamplesSent: { keep: ['endpoint'] },
  ExemplarsSent: { keep: ['endpoint'] },
  // as if unlimited: without a limit it is the active count again
  RegistryActiveSeriesDemandEstimate: { onlyWith: LIMITS },
  RegistryEntityDemandEstimate: { onlyWith: LIMITS },
};

/** The metrics worth publishing, combined as the rules say; a metric name not listed goes as recorded. */
export function forCloudWatch(recorded: readonly RecordedMetric[]): RecordedMetric[] {
  const nonZero = new Set<string>();
  for (const e of recorded) if (e.value !== 0) nonZero.add(idOf(e.name, e.dims));
  const out = new Map<string, RecordedMetric>();
  for (const e of recorded) {
    const rule = RULES[e.name] ?? {};
    if (rule.unpublished || e.value === 0 || !Number.isFinite(e.value)) continue;
    if (rule.onlyWith !== undefined && !rule.onlyWith.some((n) => nonZero.has(idOf(n, e.dims)))) continue;
    const dims =
      rule.keep === undefined
        ? e.dims
        : Object.fromEntries(rule.keep.filter((k) => k in e.dims).map((k) => [k, e.dims[k]]));
    const id = idOf(e.name, dims);
    const prev = out.get(id);
    if (prev === undefined) out.set(id, { name: e.name, unit: e.unit, dims, value: e.value });
    else prev.value = rule.combine === 'max' ? Math.max(prev.value, e.value) : prev.value + e.value;
  }
  return [...out.values()];
}

function idOf(name: string, dims: Readonly<Record<string, string>>): string {
  return name + JSON.stringify(Object.entries(dims).sort());
}
