import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfigFromEnv } from '../../lib/config/from-env.ts';

const YAML = 'overrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}';

test('CONFIG inline wins, then CONFIG_PARAMETER (SSM), then CONFIG_FILE, else defaults', async () => {
  assert.ok((await loadConfigFromEnv({ CONFIG: YAML })).tenant('x').spanMetrics);
  const ssm = {
    send: async (cmd: { input: { Name: string } }) => {
      assert.equal(cmd.input.Name, '/mmg/config');
      return { Parameter: { Value: YAML } };
    },
  };
  assert.ok((await loadConfigFromEnv({ CONFIG_PARAMETER: '/mmg/config' }, ssm as never)).tenant('x').spanMetrics);
  const dir = mkdtempSync(join(tmpdir(), 'mmg-env-'));
  writeFileSync(join(dir, 'c.yaml'), YAML);
  assert.ok((await loadConfigFromEnv({ CONFIG_FILE: join(dir, 'c.yaml') })).tenant('x').spanMetrics);
  assert.equal((await loadConfigFromEnv({})).tenant('x').spanMetrics, undefined);
});

test('a bad inline config names the key and where it came from', async () => {
  await assert.rejects(
    loadConfigFromEnv({ CONFIG: 'metrics_generator: {bogus: 1}' }),
    /metrics_generator\.bogus: unknown key.*CONFIG/,
  );
});
