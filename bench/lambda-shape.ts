// Group: the Lambda functions as deployed: bundle sizes (esbuild with the stack's settings) and a
// cold-start proxy: a fresh node process importing the bundled handler module (what Lambda's init
// phase does), the wall and CPU time of that import and the heap it holds afterwards.
// Alone: `npx tsx bench/lambda-shape.ts`; BENCH_COLD_RUNS=N fresh processes per bundle (default 15);
// BENCH_LAMBDA_BASELINE=<git revision> also bundles that revision's handlers and imports the two
// in alternation, so machine noise hits both alike (before/after tables).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUNDLING, REPO_ROOT } from '../infra/functions.ts';
import { printTable } from './harness.ts';

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 15);
const FUNCTIONS = ['ingest', 'flush'] as const;

export interface LambdaShape {
  readonly fn: string;
  /** Which source tree: "this tree" or the baseline revision. */
  readonly variant: string;
  readonly bundleBytes: number;
  /** Medians over fresh processes of `await import(bundle)`: wall time and the process's CPU time. */
  readonly importMs: number;
  readonly importCpuMs: number;
  /** Median heap in use after the import and a full GC. */
  readonly heapBytes: number;
}

interface Variant {
  readonly name: string;
  readonly root: string;
}

/** Bundles each handler of each variant as the stack does; imports them in alternating fresh processes. */
export async function measureLambdaShape(variants: readonly Variant[], runs = COLD_RUNS): Promise<LambdaShape[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mmg-bundle-'));
  try {
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      [
        'const t = performance.now();',
        'const c = process.cpuUsage();',
        'await import(process.argv[2]);',
        'const ms = performance.now() - t;',
        'const cpu = process.cpuUsage(c);',
        'globalThis.gc();',
        // on stderr: a handler module may print on stdout while it loads
        'console.error(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, heap: process.memoryUsage().heapUsed }));',
      ].join('\n'),
    );
    const shapes: LambdaShape[] = [];
    for (const fn of FUNCTIONS) {
      const bundles: string[] = [];
      for (const [i, v] of variants.entries())
        bundles.push(await bundle(v.root, fn, join(dir, `${fn}-${i}`, 'index.mjs')));
      const samples = variants.map(() => ({ ms: [] as number[], cpuMs: [] as number[], heap: [] as number[] }));
      for (let r = 0; r < runs; r++) {
        for (let i = 0; i < variants.length; i++) {
          const s = importOnce(probe, bundles[i], fn);
          samples[i].ms.push(s.ms);
          samples[i].cpuMs.push(s.cpuMs);
          samples[i].heap.push(s.heap);
        }
      }
      for (const [i, v] of variants.entries()) {
        shapes.push({
          fn,
          variant: v.name,
          bundleBytes: statSync(bundles[i]).size,
          importMs: median(samples[i].ms),
          importCpuMs: median(samples[i].cpuMs),
          heapBytes: median(samples[i].heap),
        });
      }
    }
    return shapes;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchLambdaShape(): Promise<void> {
  console.log('\n## Lambda shape: bundle size (the stack esbuild settings) and cold import of the handler\n');
  const baseline = process.env.BENCH_LAMBDA_BASELINE;
  const variants: Variant[] = [{ name: 'this tree', root: REPO_ROOT }];
  let baselineDir: string | undefined;
  if (baseline !== undefined && baseline !== '') {
    baselineDir = exportRevision(baseline);
    variants.unshift({ name: baseline, root: baselineDir });
  }
  try {
    const shapes = await measureLambdaShape(variants);
    printTable(
      [
        'function',
        ...(variants.length > 1 ? ['source'] : []),
        'bundle (minified)',
        `cold import, median of ${COLD_RUNS}`,
        'its CPU time',
        'heap after import',
      ],
      shapes.map((s) => [
        s.fn,
        ...(variants.length > 1 ? [s.variant] : []),
        `${(s.bundleBytes / 1024).toFixed(0)} KB`,
        `${s.importMs.toFixed(0)} ms`,
        `${s.importCpuMs.toFixed(0)} ms`,
        `${(s.heapBytes / 2 ** 20).toFixed(1)} MB`,
      ]),
    );
  } finally {
    if (baselineDir !== undefined) rmSync(baselineDir, { recursive: true, force: true });
  }
}

async function bundle(root: string, fn: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [join(root, 'functions', `${fn}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    mainFields: BUNDLING.mainFields,
    banner: { js: BUNDLING.banner ?? '' },
    minify: BUNDLING.minify,
    logLevel: 'error',
  });
  return outfile;
}

function importOnce(probe: string, bundleFile: string, fn: string): { ms: number; cpuMs: number; heap: number } {
  const out = spawnSync(process.execPath, ['--expose-gc', probe, pathToFileURL(bundleFile).href], {
    encoding: 'utf8',
    env: lambdaLikeEnv(fn),
  });
  const line = out.stderr.trim().split('\n').at(-1) ?? '';
  if (out.status !== 0 || !line.startsWith('{')) throw new Error(`${bundleFile} failed to load:\n${out.stderr}`);
  return JSON.parse(line);
}

/** The revision's files in a temporary directory, with this tree's node_modules (the one installed). */
function exportRevision(revision: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmg-baseline-'));
  const archive = execFileSync('git', ['-C', REPO_ROOT, 'archive', revision, 'functions', 'lib', 'package.json'], {
    maxBuffer: 256 * 2 ** 20,
  });
  execFileSync('tar', ['-x', '-C', dir], { input: archive });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

/** What the Lambda runtime sets that a module may read while it loads. */
function lambdaLikeEnv(fn: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: `msk-metrics-generator-${fn}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchLambdaShape();
