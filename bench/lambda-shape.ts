// Group: the Lambda functions as deployed: bundle sizes (esbuild, minified, as the CDK stack
// bundles them) and the cold init time of the ingest module (a fresh node process importing it).

import { build } from 'esbuild';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { printTable } from './harness.ts';

const COLD_RUNS = 5;

export async function benchLambdaShape(): Promise<void> {
  console.log('\n## Lambda shape: bundle size (esbuild, minified, ESM, node22) and cold init of the module\n');
  const dir = mkdtempSync(join(tmpdir(), 'mmg-bundle-'));
  const rows: string[][] = [];
  try {
    for (const fn of ['ingest', 'flush']) {
      const outfile = join(dir, `${fn}.mjs`);
      await build({
        entryPoints: [`functions/${fn}.ts`],
        bundle: true,
        minify: true,
        platform: 'node',
        target: 'node22',
        format: 'esm',
        outfile,
        logLevel: 'error',
        // CommonJS dependencies inside an ESM bundle need require()
        banner: { js: "import { createRequire as __cr } from 'module'; const require = __cr(import.meta.url);" },
      });
      const size = statSync(outfile).size;
      const probe = join(dir, `probe-${fn}.mjs`);
      writeFileSync(
        probe,
        `const t = performance.now(); await import(${JSON.stringify(outfile)}); console.log(performance.now() - t);`,
      );
      const times: number[] = [];
      for (let i = 0; i < COLD_RUNS; i++) {
        const out = spawnSync(process.execPath, [probe], {
          encoding: 'utf8',
          env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_REGION: 'us-east-1' },
        });
        times.push(Number(out.stdout.trim()));
      }
      times.sort((a, b) => a - b);
      rows.push([fn, `${(size / 1024).toFixed(0)} KB`, `${times[Math.floor(COLD_RUNS / 2)].toFixed(0)} ms`]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(['function', 'bundle (minified)', 'cold module init (median of 5)'], rows);
}
