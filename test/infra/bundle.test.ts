// The Lambda bundles, built with the stack's esbuild settings: they leave out the local-only
// modules (dynalite), load as ES modules with bundled CommonJS dependencies, and the bundled
// handlers ingest a Kafka event and flush it against a DynamoDB-compatible store.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { BUNDLING, REPO_ROOT } from '../../infra/functions.ts';
import { createTable } from '../../lib/store/local-dynamo.ts';
import { SERIES_TABLE } from '../../lib/store/tables.ts';
import { eventOf, makeRecords, startStore, TABLE } from '../helpers/ingest-harness.ts';

const outdir = mkdtempSync(join(tmpdir(), 'mmg-bundle-'));
const metafiles: Record<string, Metafile> = {};

async function bundle(name: 'ingest' | 'flush'): Promise<string> {
  const outfile = join(outdir, name, 'index.mjs');
  const result = await build({
    entryPoints: [join(REPO_ROOT, 'functions', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLING.target,
    mainFields: BUNDLING.mainFields,
    banner: { js: BUNDLING.banner! },
    minify: BUNDLING.minify,
    sourcemap: BUNDLING.sourceMap,
    metafile: true,
    logLevel: 'silent',
  });
  metafiles[name] = result.metafile;
  return outfile;
}

describe('Lambda bundles (stack esbuild settings)', () => {
  const files: Record<string, string> = {};
  before(async () => {
    files.ingest = await bundle('ingest');
    files.flush = await bundle('flush');
  });

  test('the stack bundles ES modules for Node.js 22 with the AWS SDK inside, without Docker', () => {
    assert.equal(BUNDLING.format, 'esm');
    assert.equal(BUNDLING.target, 'node22');
    assert.equal(BUNDLING.forceDockerBundling, false);
    assert.equal(BUNDLING.bundleAwsSDK, true);
    assert.equal(BUNDLING.minify, true);
    assert.equal(BUNDLING.sourceMap, true);
  });

  test('neither bundle pulls in dynalite or the local store', () => {
    for (const [name, meta] of Object.entries(metafiles)) {
      const inputs = Object.keys(meta.inputs);
      assert.ok(
        inputs.some((i) => i.includes('@aws-sdk/client-dynamodb')),
        `${name} bundles the SDK`,
      );
      assert.deepEqual(
        inputs.filter((i) => /node_modules\/(dynalite|[a-z-]*level)\/|lib\/store\/local-dynamo\.ts/.test(i)),
        [],
        name,
      );
    }
  });

  describe('the bundled handlers run', () => {
    let store: Awaited<ReturnType<typeof startStore>>;
    before(async () => {
      store = await startStore(); // with the deltas table, named TABLE
      await createTable(store.client, SERIES_TABLE, 'series');
    });
    after(() => store.close());

    test('ingest commits a delta and flush folds and saves it, printing EMF metrics', async () => {
      const event = eventOf(makeRecords('tempo-ingest', 0, 0, 20));
      const script = `
        const ingest = await import(process.env.INGEST_BUNDLE);
        const flush = await import(process.env.FLUSH_BUNDLE);
        await ingest.handler(JSON.parse(process.env.EVENT));
        await flush.handler({}, { getRemainingTimeInMillis: () => 9500 });
      `;
      // Asynchronously: dynalite serves from this process's event loop.
      const run = await runNode(script, {
        PATH: process.env.PATH,
        INGEST_BUNDLE: files.ingest,
        FLUSH_BUNDLE: files.flush,
        EVENT: JSON.stringify(event),
        DYNAMODB_ENDPOINT: store.endpoint,
        AWS_REGION: 'eu-west-1',
        DELTAS_TABLE: TABLE,
        SERIES_TABLE: 'series',
        CONFIG: 'overrides:\n  defaults:\n    metrics_generator:\n      processors: [span-metrics]\n',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      });
      assert.equal(run.status, 0, `bundled handlers failed:\n${run.stderr}\n${run.stdout}`);
      const emf = run.stdout
        .split('\n')
        .filter((l) => l.startsWith('{"_aws"'))
        .map((l) => JSON.parse(l));
      const value = (metric: string) => emf.map((d) => d[metric]).find((v) => v !== undefined);
      assert.equal(value('Records'), 20, 'ingest metrics');
      assert.ok(value('DeltasFolded') >= 1, 'the flusher folded the delta');
      assert.ok(value('ActiveSeries') > 0, 'the flusher holds the series');
      assert.ok(value('StateBytes') > 0, 'the flusher saved its state');
    });
  });
});

function runNode(
  script: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
