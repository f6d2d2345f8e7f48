// Group: how many active series one flusher holds. Each row runs bench/registry-memory-child.ts in
// a fresh process with --expose-gc: one tenant's registry of span-metrics label sets (calls,
// 14-bucket latency, size: 19 time series each), built through the flusher's fold path with the
// exemplars of the last folds still pending, then one collection streamed as the flusher sends it
// (pieces into a remote-write send session: validate, split, encode, compress), one state save encode, and the next invocation's load (decode + restore). Heap per
// label set is measured after GC with the exemplars pending, again after the collection sent them,
// and for the restored registry; peak RSS is the child's whole life (fold, collect, save, load). Goal: at most 1.5 KB of heap per label set and 1M time
// series within one flusher's minute. The 1M row takes about a minute on a quiet machine and runs
// only with BENCH_REGISTRY_1M=1.

import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { printTable } from './harness.ts';

interface Row {
  labelSets: number;
  timeSeries: number;
  heapHeldBytes: number;
  heapAfterCollectBytes: number;
  heapRestoredBytes: number;
  restoreMs: number;
  restoreCpuMs: number;
  peakRssBytes: number;
  foldMs: number;
  collectMs: number;
  saveMs: number;
  foldCpuMs: number;
  collectCpuMs: number;
  saveCpuMs: number;
  wireBytes: number;
  stateBytes: number;
}

const SERIES_PER_LABEL_SET = 19;
const CHILD = fileURLToPath(new URL('./registry-memory-child.ts', import.meta.url));

function runChild(labelSets: number): Row {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', CHILD, String(labelSets)],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Row;
}

const seconds = (ms: number, cpuMs: number): string =>
  `${(ms / 1000).toFixed(1)} s (${(cpuMs / 1000).toFixed(1)} s CPU)`;

export function benchRegistryMemory(): void {
  const sizes = [100_000, ...(process.env.BENCH_REGISTRY_1M === '1' ? [1_000_000] : [])];
  console.log(
    `\n## flusher registry memory: span-metrics label sets (${SERIES_PER_LABEL_SET} time series each), exemplars pending, one process per row\n`,
  );
  const rows: string[][] = [];
  const measured: Row[] = [];
  for (const series of sizes) {
    const r = runChild(Math.ceil(series / SERIES_PER_LABEL_SET));
    measured.push(r);
    rows.push([
      r.timeSeries.toLocaleString('en-US'),
      r.labelSets.toLocaleString('en-US'),
      `${(r.heapHeldBytes / r.labelSets / 1024).toFixed(2)} KB`,
      `${(r.heapAfterCollectBytes / r.labelSets / 1024).toFixed(2)} KB / ${(r.heapRestoredBytes / r.labelSets / 1024).toFixed(2)} KB`,
      `${(r.peakRssBytes / 2 ** 20).toFixed(0)} MB`,
      seconds(r.foldMs, r.foldCpuMs),
      seconds(r.collectMs, r.collectCpuMs),
      seconds(r.saveMs, r.saveCpuMs),
      seconds(r.restoreMs, r.restoreCpuMs),
      `${(r.stateBytes / 2 ** 20).toFixed(1)} MB`,
    ]);
  }
  printTable(
    [
      'time series',
      'label sets',
      'heap per label set',
      'after collect / restored',
      'peak RSS',
      'fold (decode + apply)',
      'collect + send (streamed)',
      'save encode',
      'load (decode + restore)',
      'saved state',
    ],
    rows,
  );
  if (measured.length === 2) {
    // The slope between the rows: what one more label set costs, without the fixed part.
    const [small, large] = measured;
    const perLabelSet = (large.heapHeldBytes - small.heapHeldBytes) / (large.labelSets - small.labelSets);
    const rssPerLabelSet = (large.peakRssBytes - small.peakRssBytes) / (large.labelSets - small.labelSets);
    console.log(
      `\n(between the rows: ${(perLabelSet / 1024).toFixed(2)} KB heap and ${(rssPerLabelSet / 1024).toFixed(1)} KB peak RSS per additional label set)`,
    );
  }
  console.log(
    `\n(goal: at most 1.5 KB heap per label set; 1M time series folded, collected, sent and saved inside one minute${sizes.length === 1 ? '; set BENCH_REGISTRY_1M=1 for the 1M row' : ''})`,
  );
}
