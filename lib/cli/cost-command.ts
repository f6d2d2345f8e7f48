// `cost`: the monthly estimate of a deployment, item by item, from the measured unit model
// (lib/cost), so a deployment can be sized before it is deployed.

import { parseArgs } from 'node:util';
import { estimateMonthlyCost, totalOf, type Workload } from '../cost/model.ts';
import { US_EAST_1 } from '../cost/prices.ts';
import { MEASURED_UNITS } from '../cost/units.ts';

/** The stack's defaults (infra/metrics-generator.ts). */
const DEFAULT_INGEST_MB = 1024;
export const DEFAULT_FLUSH_MB = 512;

export function runCost(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): number {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'spans-per-second': { type: 'string' },
        'label-sets': { type: 'string' },
        partitions: { type: 'string' },
        'batching-window': { type: 'string', default: '5' },
        tenants: { type: 'string', default: '1' },
        uniform: { type: 'boolean', default: false },
        // price a deployment without the data bucket: every delta inline in DynamoDB
        'inline-deltas': { type: 'boolean', default: false },
        'delta-ttl-days': { type: 'string', default: '7' },
        'ingest-memory': { type: 'string', default: String(DEFAULT_INGEST_MB) },
        'flush-memory': { type: 'string', default: String(DEFAULT_FLUSH_MB) },
      },
    }));
  } catch (e) {
    process.stderr.write(`cost: ${(e as Error).message}\n`);
    return 2;
  }
  const num = (name: keyof typeof values, min: number): number | undefined => {
    const raw = values[name];
    const n = typeof raw === 'string' ? Number(raw) : NaN;
    if (!Number.isFinite(n) || n < min) {
      process.stderr.write(
        `cost: --${name} must be a number >= ${min}${raw === undefined ? ' (required)' : `, got "${String(raw)}"`}\n`,
      );
      return undefined;
    }
    return n;
  };
  const spans = num('spans-per-second', 0);
  const labelSets = num('label-sets', 1);
  const partitions = num('partitions', 1);
  const window = num('batching-window', 0.001);
  const tenants = num('tenants', 1);
  const ingestMb = num('ingest-memory', 128);
  const flushMb = num('flush-memory', 128);
  const ttlDays = num('delta-ttl-days', 1);
  if ([spans, labelSets, partitions, window, tenants, ingestMb, flushMb, ttlDays].some((v) => v === undefined))
    return 2;
  const workload: Workload = {
    spansPerSecond: spans!,
    labelSets: labelSets!,
    partitions: Math.round(partitions!),
    batchingWindowS: window!,
    tenants: Math.round(tenants!),
    distribution: values.uniform === true ? 'uniform' : 'zipf',
    ingestMemoryMb: ingestMb!,
    flushMemoryMb: flushMb!,
    claimCheck: values['inline-deltas'] !== true,
    deltaTtlDays: ttlDays!,
  };
  out(formatEstimate(workload));
  return 0;
}

export function formatEstimate(workload: Workload): string {
  const items = estimateMonthlyCost(workload, MEASURED_UNITS, US_EAST_1);
  const w = Math.max(...items.map((i) => i.item.length));
  const q = Math.max(...items.map((i) => i.quantity.length));
  const lines = [
    `monthly estimate, us-east-1 on-demand: ${workload.spansPerSecond} spans/s, ${workload.labelSets} label sets (${workload.distribution}), ` +
      `${workload.partitions} partitions, ${workload.batchingWindowS} s batching window, ${workload.tenants} tenant(s)`,
    '',
    ...items.map((i) => `${i.item.padEnd(w)}  ${i.quantity.padEnd(q)}  $${i.dollarsPerMonth.toFixed(2).padStart(9)}`),
    `${'total'.padEnd(w)}  ${''.padEnd(q)}  $${totalOf(items).toFixed(2).padStart(9)}`,
    '',
    'Units measured by `npm run bench` (cost group); the ingest Lambda duration partly assumed (see README).',
    '',
  ];
  return lines.join('\n');
}
