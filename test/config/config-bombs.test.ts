// Hostile configs stop the start quickly with an error naming the key, instead of hanging or
// eating memory: alias expansion, file size, nesting depth, key count and list lengths are bounded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile } from '../../lib/config/index.ts';
import { parseYaml } from '../../lib/config/yaml.ts';
import { assertConfigError } from './helpers.ts';

const BIN = new URL('../../bin/msk-metrics-generator.js', import.meta.url).pathname;
const tmp = () => mkdtempSync(join(tmpdir(), 'config-bombs-'));

/** `replay --config <file>` in a child, killed after 30 s: returns its exit code and stderr. */
function replayWithConfig(configPath: string): { status: number | null; signal: string | null; stderr: string } {
  const traces = join(tmp(), 'traces.json');
  writeFileSync(traces, '{"resourceSpans": []}');
  const r = spawnSync(process.execPath, [BIN, 'replay', '--config', configPath, traces], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, signal: r.signal, stderr: r.stderr };
}

/** Nine levels of ten aliases each: 10^9 nodes when expanded. */
const BILLION_LAUGHS = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...Array.from({ length: 8 }, (_, i) => {
    const prev = String.fromCharCode(97 + i);
    const name = String.fromCharCode(98 + i);
    return `${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`;
  }),
  'metrics_generator: {registry: {external_labels: {x: y}}}',
].join('\n');

describe('config bombs', () => {
  test('billion laughs: replay --config fails fast naming the aliases (child, 30 s bound)', () => {
    const file = join(tmp(), 'bomb.yaml');
    writeFileSync(file, BILLION_LAUGHS);
    const r = replayWithConfig(file);
    assert.equal(r.signal, null, 'replay was killed by the timeout: alias expansion is unbounded');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /invalid YAML: aliases expand to more than \d+ nodes/);
  });

  test('modest anchor reuse still works', () => {
    const m = parseYaml('base: &b {x: 1, y: [1, 2, 3]}\nt1: *b\nt2: *b\nt3: {<<: *b, x: 2}') as Map<string, unknown>;
    assert.equal(m.size, 4);
  });

  test('per_tenant_override_config: /dev/zero is refused after a bounded read', () => {
    const file = join(tmp(), 'cfg.yaml');
    writeFileSync(file, 'overrides:\n  per_tenant_override_config: /dev/zero\n');
    const r = replayWithConfig(file);
    assert.equal(r.signal, null, 'replay was killed by the timeout: the read is unbounded');
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /overrides\.per_tenant_override_config: \/dev\/zero is larger than \d+ bytes/);
  });

  test('--config /dev/zero is refused after a bounded read', () => {
    assert.throws(
      () => loadConfigFile('/dev/zero'),
      (e) => e instanceof ConfigError && /is larger than \d+ bytes/.test(e.message),
    );
  });

  test('a deeply nested document is a ConfigError, not a stack overflow', () => {
    const deep = `a: ${'['.repeat(5000)}${']'.repeat(5000)}`;
    assert.throws(
      () => parseYaml(deep),
      (e) => e instanceof ConfigError && /nested deeper than \d+ levels/.test(e.message),
    );
  });

  test('duplicate keys are found in linear time: 50,000 keys load', () => {
    const text = `metrics_generator:\n  registry:\n    external_labels:\n${Array.from({ length: 50_000 }, (_, i) => `      k${i}: v`).join('\n')}\n`;
    // Parsing must finish (the test runner's own timeout bounds it); the schema then refuses the size.
    assertConfigError(text, 'metrics_generator.registry.external_labels: has 50000 entries; at most');
    assert.throws(
      () => parseYaml('a: 1\nb: 2\na: 3'),
      (e) => e instanceof ConfigError && /duplicate key "a"/.test(e.message),
    );
  });

  const global = (block: string, key: string, value: string) =>
    `metrics_generator: {processor: {${block}: {${key}: ${value}}}}`;
  const many = (n: number, f: (i: number) => string) => `[${Array.from({ length: n }, (_, i) => f(i)).join(', ')}]`;

  test('100,000 histogram buckets are refused, naming the key', () => {
    assertConfigError(
      global(
        'span_metrics',
        'histogram_buckets',
        many(100_000, (i) => String(i + 1)),
      ),
      'metrics_generator.processor.span_metrics.histogram_buckets: has 100000 items; at most',
    );
    assertConfigError(
      `overrides: {defaults: {metrics_generator: {processor: {service_graphs: {histogram_buckets: ${many(10_000, (i) => String(i + 1))}}}}}}`,
      'overrides.defaults.metrics_generator.processor.service_graphs.histogram_buckets: has 10000 items; at most',
    );
  });

  test('dimensions, dimension mappings and filter policies are bounded', () => {
    assertConfigError(
      global(
        'span_metrics',
        'dimensions',
        many(5_000, (i) => `d${i}`),
      ),
      'metrics_generator.processor.span_metrics.dimensions: has 5000 items; at most',
    );
    assertConfigError(
      global(
        'service_graphs',
        'dimensions',
        many(5_000, (i) => `d${i}`),
      ),
      'metrics_generator.processor.service_graphs.dimensions: has 5000 items; at most',
    );
    assertConfigError(
      global(
        'span_metrics',
        'dimension_mappings',
        many(5_000, (i) => `{name: m${i}, source_labels: [a]}`),
      ),
      'metrics_generator.processor.span_metrics.dimension_mappings: has 5000 items; at most',
    );
    assertConfigError(
      global(
        'span_metrics',
        'filter_policies',
        many(5_000, () => '{include: {match_type: strict, attributes: [{key: name, value: x}]}}'),
      ),
      'metrics_generator.processor.span_metrics.filter_policies: has 5000 items; at most',
    );
    assertConfigError(
      global(
        'span_metrics',
        'filter_policies',
        `[{include: {match_type: regex, attributes: ${many(5_000, (i) => `{key: name, value: "a${i}"}`)}}}]`,
      ),
      'metrics_generator.processor.span_metrics.filter_policies[0].include.attributes: has 5000 items; at most',
    );
  });

  test('a config text beyond the size cap is refused before parsing', () => {
    assertConfigError(`# ${'x'.repeat(3 * 1024 * 1024)}\n`, 'the config is larger than');
  });
});
