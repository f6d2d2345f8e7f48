// `overrides validate` and `overrides push` as an operator runs them: the real CLI process, the
// functions' loader, and an upload through the S3 protocol (s3rver via --endpoint).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { main } from '../../lib/cli/main.ts';
import { runOverrides } from '../../lib/cli/overrides-command.ts';
import { configLocationParameter, findConfigLocation } from '../../lib/cli/overrides-push.ts';
import { startLocalS3, type LocalS3 } from '../helpers/s3rver.ts';

const S3_ENV = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };

/** The command as the CLI runs it, in this process (a spawned tsx start costs seconds). */
async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ status: number; stdout: string; stderr: string }> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let stdout = '';
  let stderr = '';
  try {
    const status = await runOverrides(args.slice(1), { out: (t) => (stdout += t), err: (t) => (stderr += t) });
    return { status, stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function thousandTenants(): string {
  const lines = ['overrides:'];
  for (let i = 0; i < 1000; i++)
    lines.push(
      `  tenant-${i}:`,
      '    metrics_generator:',
      '      processors: [span-metrics]',
      `      max_active_series: ${i + 1}`,
    );
  return lines.join('\n') + '\n';
}
const BAD =
  'overrides:\n  team-a:\n    metrics_generator:\n      processor:\n        span_metrics:\n          dimensions: 5\n';

describe('overrides CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmg-ovr-'));
  const good = join(dir, 'good.yaml');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(good, thousandTenants());
  writeFileSync(bad, BAD);
  let s3: LocalS3;
  before(async () => {
    s3 = await startLocalS3('cfg-bucket');
    await s3.put('cfg-bucket', 'prod/config.yaml', 'overrides:\n  per_tenant_override_config: overrides.yaml\n');
  });
  after(() => s3.close());

  test('validate: a 1,000-tenant file is valid; a bad one exits 1 naming the key path and the file', async () => {
    const ok = await cli(['overrides', 'validate', good]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /good\.yaml: valid/);
    const ko = await cli(['overrides', 'validate', bad]);
    assert.equal(ko.status, 1);
    assert.equal(await main(['overrides', 'validate', bad]), 1, 'the exit code of the CLI entry');
    assert.match(
      ko.stderr,
      /overrides\.team-a\.metrics_generator\.processor\.span_metrics\.dimensions: .*\(in .*bad\.yaml\)/,
    );
  });

  test('validate --config: entries are checked against the main config', async () => {
    const main = join(dir, 'main.yaml');
    writeFileSync(main, 'overrides:\n  defaults:\n    metrics_generator:\n      processors: [span-metrics]\n');
    const r = await cli(['overrides', 'validate', good, '--config', main]);
    assert.equal(r.status, 1, 'a main config whose overrides block names no file would never read it');
    assert.match(r.stderr, /overrides\.per_tenant_override_config: not set/);
  });

  test('push uploads a valid file to the key the deployed main config names, and refuses a bad one', async () => {
    const args = ['--bucket', 'cfg-bucket', '--key', 'prod/config.yaml', '--endpoint', s3.endpoint];
    const pushed = await cli(['overrides', 'push', good, ...args], S3_ENV);
    assert.equal(pushed.status, 0, pushed.stderr);
    assert.match(pushed.stdout, /uploaded to s3:\/\/cfg-bucket\/prod\/overrides\.yaml/);
    const body = async () =>
      await (
        await s3.client.send(new GetObjectCommand({ Bucket: 'cfg-bucket', Key: 'prod/overrides.yaml' }))
      ).Body!.transformToString();
    assert.equal(await body(), thousandTenants());

    const refused = await cli(['overrides', 'push', bad, ...args], S3_ENV);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /span_metrics\.dimensions/);
    assert.equal(await body(), thousandTenants(), 'nothing uploaded');
  });

  test('--stack finds the bucket in the parameter the stack writes', async () => {
    const asked: string[] = [];
    const ssm = {
      send: async (cmd: { input: { Name: string } }) => {
        asked.push(cmd.input.Name);
        return { Parameter: { Value: JSON.stringify({ bucket: 'b', configKey: 'config.yaml' }) } };
      },
    };
    assert.deepEqual(await findConfigLocation('prod-mmg', { ssm: ssm as never }), {
      bucket: 'b',
      configKey: 'config.yaml',
    });
    assert.deepEqual(asked, [configLocationParameter('prod-mmg')]);
  });
});
