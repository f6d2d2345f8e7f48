// The CDK app as `cdk synth` runs it (context arrives in CDK_CONTEXT_JSON), minus bundling: the two
// documented examples synthesize, and a bad config fails with the key path and a non-zero exit.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../infra/functions.ts';
import { CLUSTER_ARN, configFileWith } from './fixtures.ts';

function synth(context: Record<string, unknown>): Promise<{ status: number | null; stderr: string; outdir: string }> {
  const outdir = mkdtempSync(join(tmpdir(), 'mmg-app-'));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], ...context }),
        CDK_VALIDATION: 'false',
      },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr, outdir }));
  });
}

describe('cdk app', { concurrency: true }, () => {
  test('the MSK example from -c keys synthesizes', async () => {
    const run = await synth({
      configFile: 'config/metrics-generator.yaml',
      kafka: 'msk',
      mskClusterArn: CLUSTER_ARN,
      topic: 'tempo-ingest',
    });
    assert.equal(run.status, 0, run.stderr);
    const template = JSON.parse(readFileSync(join(run.outdir, 'MskMetricsGenerator.template.json'), 'utf8'));
    assert.ok(
      Object.values(template.Resources).some((r) => (r as { Type: string }).Type === 'AWS::Lambda::EventSourceMapping'),
    );
  });

  test('the self-managed example from its JSON file synthesizes', async () => {
    const run = await synth({ stackConfig: 'infra/examples/self-managed-kafka.json' });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(join(run.outdir, 'MetricsGeneratorSelfManaged.template.json')));
  });

  test('a bad config file fails synth with the key path and exit code 1', async () => {
    const file = configFileWith('metrics_generator:\n  processor:\n    span_metrics:\n      dimensionz: [a]\n');
    const run = await synth({ configFile: file, kafka: 'msk', mskClusterArn: CLUSTER_ARN, topic: 'tempo-ingest' });
    assert.equal(run.status, 1);
    assert.match(
      run.stderr,
      /^msk-metrics-generator: metrics_generator\.processor\.span_metrics\.dimensionz: unknown key.*\(in \/.*config\.yaml\)$/m,
    );
  });
});
