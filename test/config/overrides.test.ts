// Which overrides entry a tenant gets, and the per-tenant overrides file.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile, parseConfig } from '../../lib/config/index.ts';
import { load } from './helpers.ts';

describe('entry resolution', () => {
  const text = `
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics]
      max_active_series: 100
      generate_native_histograms: both
  tenant-a:
    metrics_generator:
      processors: [service-graphs]
  tenant-b:
    ingestion: {rate_limit_bytes: 1}
`;
  const c = load(text);

  test('a tenant without an entry gets defaults', () => {
    const t = c.tenant('other');
    assert.deepEqual([...t.processors], ['span-metrics']);
    assert.equal(t.registry.maxActiveSeries, 100);
    assert.equal(t.histogramMode, 'both');
  });

  test("a tenant's entry replaces defaults as a whole: unset keys take the code defaults", () => {
    const t = c.tenant('tenant-a');
    assert.deepEqual([...t.processors], ['service-graphs']);
    assert.equal(t.spanMetrics, undefined);
    assert.ok(t.serviceGraphs);
    assert.equal(t.registry.maxActiveSeries, 0);
    assert.equal(t.histogramMode, 'classic');
  });

  test('an entry without metrics_generator means no processors', () => {
    const t = c.tenant('tenant-b');
    assert.deepEqual([...t.processors], []);
    assert.equal(t.spanMetrics, undefined);
  });

  test('`*` serves tenants without their own entry, ahead of defaults', () => {
    const w = load(`
overrides:
  defaults: {metrics_generator: {processors: [span-metrics]}}
  "*": {metrics_generator: {processors: [host-info]}}
  own: {metrics_generator: {processors: [service-graphs]}}
`);
    assert.deepEqual([...w.tenant('anyone').processors], ['host-info']);
    assert.deepEqual([...w.tenant('own').processors], ['service-graphs']);
  });

  test('a null entry is no entry', () => {
    const w = load('overrides:\n  defaults: {metrics_generator: {processors: [host-info]}}\n  tenant-a:\n');
    assert.deepEqual([...w.tenant('tenant-a').processors], ['host-info']);
  });

  test('native_histogram_* unset in an entry fall back to the defaults entry, as in Tempo', () => {
    const w = load(`
overrides:
  defaults: {metrics_generator: {native_histogram_bucket_factor: 1.2, native_histogram_max_bucket_number: 50, native_histogram_min_reset_duration: 1h}}
  a: {metrics_generator: {processors: [span-metrics]}}
  b: {metrics_generator: {native_histogram_bucket_factor: 2}}
`);
    assert.deepEqual(w.tenant('a').nativeHistogram, {
      bucketFactor: 1.2,
      maxBucketNumber: 50,
      minResetDurationMs: 3_600_000,
    });
    assert.deepEqual(w.tenant('b').nativeHistogram, {
      bucketFactor: 2,
      maxBucketNumber: 50,
      minResetDurationMs: 3_600_000,
    });
  });

  test('tenant() caches per tenant and stamps the ID', () => {
    assert.equal(c.tenant('x'), c.tenant('x'));
    assert.notEqual(c.tenant('x'), c.tenant('y'));
    assert.equal(c.tenant('y').tenant, 'y');
    const { tenant } = c;
    assert.equal(tenant('x'), c.tenant('x'));
  });

  test('every entry is validated at load, even one no tenant could reach', () => {
    assert.throws(
      () => load('overrides:\n  "*": {}\n  defaults: {metrics_generator: {collection_interval: 1s}}\n'),
      (e) => e instanceof ConfigError && e.path === 'overrides.defaults.metrics_generator.collection_interval',
    );
  });
});

describe('per_tenant_override_config', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'config-test-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const main = (path: string) => `
overrides:
  per_tenant_override_config: ${path}
  per_tenant_override_period: 10s
  defaults: {metrics_generator: {processors: [span-metrics]}}
  tenant-a: {metrics_generator: {processors: [service-graphs]}}
  tenant-c: {metrics_generator: {processors: [service-graphs]}}
`;
  const runtime = `
overrides:
  tenant-a:
    metrics_generator:
      processors: [host-info]
      max_active_series: 7
  tenant-b:
    metrics_generator: {processors: [span-metrics-count]}
`;

  test('entries from the file win over the main file; others fall through', () => {
    writeFileSync(join(dir, 'runtime.yaml'), runtime);
    writeFileSync(join(dir, 'main.yaml'), main('runtime.yaml'));
    const c = loadConfigFile(join(dir, 'main.yaml'));
    assert.deepEqual([...c.tenant('tenant-a').processors], ['host-info']);
    assert.equal(c.tenant('tenant-a').registry.maxActiveSeries, 7);
    assert.deepEqual(c.tenant('tenant-b').spanMetrics?.subprocessors, { count: true, latency: false, size: false });
    assert.deepEqual([...c.tenant('tenant-c').processors], ['service-graphs']);
    assert.deepEqual([...c.tenant('other').processors], ['span-metrics']);
  });

  test('a relative path is taken from baseDir with parseConfig, an absolute one as is', () => {
    writeFileSync(join(dir, 'runtime.yaml'), runtime);
    assert.equal(parseConfig(main('runtime.yaml'), { baseDir: dir }).tenant('tenant-a').registry.maxActiveSeries, 7);
    assert.equal(parseConfig(main(join(dir, 'runtime.yaml'))).tenant('tenant-a').registry.maxActiveSeries, 7);
  });

  test('a `*` in the file serves tenants without an entry in either file', () => {
    writeFileSync(join(dir, 'star.yaml'), 'overrides:\n  "*": {metrics_generator: {processors: [host-info]}}\n');
    const c = parseConfig(main('star.yaml'), { baseDir: dir });
    assert.deepEqual([...c.tenant('other').processors], ['host-info']);
    assert.deepEqual([...c.tenant('tenant-c').processors], ['service-graphs']);
  });

  test('an empty file has no entries', () => {
    writeFileSync(join(dir, 'empty.yaml'), '');
    const c = parseConfig(main('empty.yaml'), { baseDir: dir });
    assert.deepEqual([...c.tenant('tenant-a').processors], ['service-graphs']);
  });

  test('errors in the file name the key and the file', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'overrides:\n  tenant-a:\n    metrics_generator:\n      foo: 1\n');
    assert.throws(
      () => parseConfig(main('bad.yaml'), { baseDir: dir, source: 'main.yaml' }),
      (e) =>
        e instanceof ConfigError && e.message === `overrides.tenant-a.metrics_generator.foo: unknown key (in ${file})`,
    );
  });

  test('the file holds only overrides:', () => {
    writeFileSync(join(dir, 'extra.yaml'), 'overrides: {}\ndefaults: {}\n');
    assert.throws(
      () => parseConfig(main('extra.yaml'), { baseDir: dir }),
      (e) => e instanceof ConfigError && e.path === 'defaults',
    );
  });

  test('a missing file is an error on per_tenant_override_config', () => {
    assert.throws(
      () => parseConfig(main('nope.yaml'), { baseDir: dir }),
      (e) =>
        e instanceof ConfigError &&
        e.path === 'overrides.per_tenant_override_config' &&
        e.message.includes('nope.yaml'),
    );
  });

  test('unknown processors in the file warn with the file name', () => {
    const file = join(dir, 'warn.yaml');
    writeFileSync(file, 'overrides:\n  t: {metrics_generator: {processors: [span-metrics, spanmetrics]}}\n');
    const warnings: string[] = [];
    parseConfig(main('warn.yaml'), { baseDir: dir, warn: (m) => warnings.push(m) });
    assert.deepEqual(warnings, [
      `overrides.t.metrics_generator.processors: unknown processor "spanmetrics" ignored (valid: service-graphs, service-graphs-request, service-graphs-latency, service-graphs-connection-info, span-metrics, span-metrics-count, span-metrics-latency, span-metrics-size, host-info) (in ${file})`,
    ]);
  });
});

describe('loadConfigFile', () => {
  test('a missing file is a ConfigError naming it', () => {
    assert.throws(
      () => loadConfigFile('/nonexistent/cfg.yaml'),
      (e) => e instanceof ConfigError && e.message.includes('/nonexistent/cfg.yaml'),
    );
  });

  test('errors carry the file as source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'config-test-'));
    try {
      const file = join(dir, 'cfg.json');
      writeFileSync(file, JSON.stringify({ metrics_generator: { codec: 'zip' } }));
      assert.throws(
        () => loadConfigFile(file),
        (e) => e instanceof ConfigError && e.source === file && e.path === 'metrics_generator.codec',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
