// ConfigSource over files: the period comes from per_tenant_override_period, a change is parsed
// with the ordinary loader, a refused change keeps the last good config and is reported.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSource } from '../../lib/config/config-source.ts';
import { fileConfigFetcher } from '../../lib/config/file-config-fetcher.ts';
import { parseConfig } from '../../lib/config/index.ts';
import { Clock } from '../helpers/clock.ts';

test('per_tenant_override_period: Tempo default 10s, a set value, 0 refused with its path, no "ignored" warning', () => {
  assert.equal(parseConfig('').perTenantOverridePeriodMs, 10_000);
  const warnings: string[] = [];
  assert.equal(
    parseConfig('overrides:\n  per_tenant_override_period: 1m\n', { warn: (m) => warnings.push(m) })
      .perTenantOverridePeriodMs,
    60_000,
  );
  assert.deepEqual(warnings, []);
  assert.throws(
    () => parseConfig('overrides:\n  per_tenant_override_period: 0s\n'),
    /^ConfigError: overrides\.per_tenant_override_period: must be greater than 0/,
  );
});

test('file source: re-read after the period; a bad change is refused and reported until fixed; process-level changes ask for a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmg-src-'));
  const main = join(dir, 'main.yaml');
  const tenants = join(dir, 'tenants.yaml');
  writeFileSync(main, 'overrides:\n  per_tenant_override_config: tenants.yaml\n  per_tenant_override_period: 5s\n');
  writeFileSync(tenants, 'overrides:\n  a:\n    metrics_generator:\n      max_active_series: 7\n');
  const clock = new Clock(1_000);
  const refused: string[] = [];
  const source = await ConfigSource.start(fileConfigFetcher(main), {
    clock: clock.read,
    onRefused: (e) => refused.push(e.message),
  });
  const { tenant } = source.config;
  assert.equal(tenant('a').registry.maxActiveSeries, 7);

  writeFileSync(tenants, 'overrides:\n  a:\n    metrics_generator:\n      max_active_series: 8\n');
  clock.now += 4_999;
  assert.equal(await source.refresh(), 'unchanged', 'before the period');
  clock.now += 1;
  assert.equal(await source.refresh(), 'reloaded');
  assert.equal(tenant('a').registry.maxActiveSeries, 8, 'a destructured tenant() follows the reload');

  writeFileSync(tenants, 'overrides:\n  a:\n    metrics_generator:\n      max_active_series: many\n');
  for (let i = 0; i < 2; i++) {
    clock.now += 5_000;
    assert.equal(await source.refresh(), 'failed');
  }
  assert.equal(refused.length, 2, 'counted at every check while the file is bad');
  assert.match(refused[0], /overrides\.a\.metrics_generator\.max_active_series: .*tenants\.yaml/);
  assert.equal(tenant('a').registry.maxActiveSeries, 8);

  writeFileSync(
    main,
    'metrics_generator:\n  codec: otlp\noverrides:\n  per_tenant_override_config: tenants.yaml\n  per_tenant_override_period: 5s\n',
  );
  writeFileSync(tenants, 'overrides:\n  a:\n    metrics_generator:\n      max_active_series: 9\n');
  clock.now += 5_000;
  assert.equal(await source.refresh(), 'restart');
  assert.equal(source.config.codec, 'push-bytes', 'process-level values stay as started');
  assert.equal(source.latest.codec, 'otlp');
  assert.equal(tenant('a').registry.maxActiveSeries, 9);
});
