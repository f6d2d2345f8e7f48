// An operator's whole tempo.yaml loads: metrics_generator and overrides are read, every other
// block is named in one info line, generator keys without meaning here get one warning each with
// the reason, and typos inside the read blocks still fail with a did-you-mean.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile, parseConfig } from '../../lib/config/index.ts';
import type { GeneratorConfig } from '../../lib/config/index.ts';
import { makeBatch } from '../helpers/otlp-json.ts';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const BIN = new URL('../../bin/msk-metrics-generator.js', import.meta.url).pathname;

function loadFixture(name: string): { config: GeneratorConfig; warnings: string[]; infos: string[] } {
  const warnings: string[] = [];
  const infos: string[] = [];
  const config = loadConfigFile(join(FIXTURES, name), { warn: (m) => warnings.push(m), info: (m) => infos.push(m) });
  return { config, warnings, infos };
}

const QUERIES_ELSEWHERE =
  "TraceQL metrics and Traces Drilldown are served by Tempo's live-store / local-blocks, not by this generator";

describe('a whole Tempo 2.x tempo.yaml (docker-compose shape)', () => {
  const { config, warnings, infos } = loadFixture('tempo-2x-monolithic.yaml');

  test('one info line names every block that is not read', () => {
    assert.deepEqual(infos, [
      'config: reading metrics_generator and overrides; ignoring the other top-level blocks: stream_over_http_enabled, server, query_frontend, distributor, ingester, compactor, storage',
    ]);
  });

  test('generator keys without meaning here get one warning each, saying why', () => {
    assert.ok(
      warnings.includes(`metrics_generator.traces_storage: ignored (${QUERIES_ELSEWHERE})`),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.includes(`metrics_generator.processor.local_blocks: ignored (${QUERIES_ELSEWHERE})`),
      warnings.join('\n'),
    );
    assert.ok(
      warnings.includes(
        'metrics_generator.ring: ignored (no hash ring: Kafka partitions are spread by the event source mapping)',
      ),
    );
    assert.ok(warnings.includes('metrics_generator.storage.path: ignored (no WAL: state lives in DynamoDB)'));
    assert.ok(
      warnings.includes(
        'metrics_generator.storage.remote_write[0].send_exemplars: ignored (always on, as Tempo forces it)',
      ),
    );
    assert.ok(
      warnings.includes(
        `overrides.defaults.metrics_generator.processors: processor "local-blocks" ignored (${QUERIES_ELSEWHERE})`,
      ),
      warnings.join('\n'),
    );
    assert.equal(new Set(warnings).size, warnings.length, 'no warning twice');
  });

  test('what is read takes effect: processors, external labels, remote write, sorted static buckets', () => {
    const t = config.tenant('any');
    assert.deepEqual([...t.processors].sort(), ['service-graphs', 'span-metrics']);
    assert.equal(t.histogramMode, 'both');
    assert.deepEqual(t.registry.externalLabels, { source: 'tempo', cluster: 'compose' });
    assert.deepEqual(t.serviceGraphs!.dimensions, ['service.namespace']);
    // Written [1, 0.25, 0.05, 4]; Tempo's registry sorts static buckets.
    assert.deepEqual(t.spanMetrics!.histogramBuckets, [0.05, 0.25, 1, 4]);
    assert.equal(config.remoteWrite.length, 1);
    assert.equal(config.remoteWrite[0].url, 'http://prometheus:9090/api/v1/write');
  });
});

describe('a Tempo 3.0 jsonnet-rendered config with a runtime overrides file', () => {
  const { config, warnings, infos } = loadFixture('tempo-3x-jsonnet.yaml');

  test('the info line names the Tempo 3 blocks', () => {
    assert.equal(infos.length, 1);
    for (const block of [
      'backend_scheduler',
      'block_builder',
      'live_store',
      'partition_ring_live_store',
      'target',
      'usage_report',
      'memberlist',
      'ingest',
    ]) {
      assert.ok(infos[0].includes(block), `${block} in ${infos[0]}`);
    }
  });

  test('integral floats fill integer keys (1e+06), timestamps stay the text written', () => {
    assert.equal(config.tenant('other').registry.maxActiveSeries, 0, 'a tenant of `*` does not get the defaults entry');
    assert.equal(config.tenant('team-a').registry.maxActiveSeries, 50_000);
    assert.equal(config.tenant('team-a').registry.externalLabels.deployed_at, '2026-05-04T10:00:00Z');
    // Without the runtime file, the defaults entry (max_active_series: 1e+06) applies.
    const main = readFileSync(join(FIXTURES, 'tempo-3x-jsonnet.yaml'), 'utf8').replace(
      /^\s*"per_tenant_override_config".*$/m,
      '',
    );
    assert.equal(parseConfig(main, { warn: () => {}, info: () => {} }).tenant('x').registry.maxActiveSeries, 1_000_000);
  });

  test('status-page keys are accepted: subprocessors, ring settings', () => {
    assert.ok(
      warnings.some((w) => w.startsWith('metrics_generator.processor.span_metrics.subprocessors: ignored (')),
      warnings.join('\n'),
    );
    assert.ok(warnings.some((w) => w.startsWith('metrics_generator.ring_mode: ignored')));
    assert.ok(
      warnings.some((w) =>
        /^overrides\.team-a\.metrics_generator\.ring_size: ignored \(no ring\) \(in .*tempo-3x-runtime-overrides\.yaml\)$/.test(
          w,
        ),
      ),
      warnings.join('\n'),
    );
  });

  test('per-tenant file entries and `*` resolve', () => {
    assert.deepEqual([...config.tenant('team-a').processors], ['span-metrics']);
    assert.deepEqual([...config.tenant('team-b').processors], ['service-graphs']);
  });
});

describe('Tempo 2.x legacy flat overrides', () => {
  const { config, warnings } = loadFixture('tempo-2x-legacy-overrides.yaml');

  test("the main file's flat keys are the defaults, mapped as tempo-cli migrate overrides-config maps them", () => {
    const t = config.tenant('anyone');
    assert.deepEqual([...t.processors].sort(), ['service-graphs', 'span-metrics']);
    assert.equal(t.registry.maxActiveSeries, 20_000);
    assert.equal(t.registry.collectionIntervalMs, 30_000);
    assert.deepEqual(t.spanMetrics!.dimensions, ['http.method']);
    assert.deepEqual(t.spanMetrics!.histogramBuckets, [0.1, 1, 10]);
    assert.equal(t.serviceGraphs!.enableVirtualNodeLabel, true);
  });

  test('the legacy per-tenant file is read too', () => {
    const a = config.tenant('tenant-a');
    assert.deepEqual([...a.processors], ['span-metrics']);
    assert.deepEqual(a.spanMetrics!.dimensions, ['http.route']);
    assert.equal(a.spanMetrics!.intrinsicDimensions.status_message, true);
    assert.equal(a.histogramMode, 'native');
    // An entry with only other components' keys sets no processors: the entry replaces the defaults.
    assert.deepEqual([...config.tenant('12345').processors], []);
  });

  test('one warning per file says the legacy format was read and how to convert it', () => {
    const legacy = warnings.filter((w) => w.includes('legacy flat format'));
    assert.equal(legacy.length, 2, warnings.join('\n'));
    assert.ok(legacy.every((w) => w.includes('tempo-cli migrate overrides-config')));
  });

  test('errors name the legacy key as written, with a did-you-mean', () => {
    const err = (text: string) => {
      try {
        parseConfig(text, { warn: () => {} });
      } catch (e) {
        assert.ok(e instanceof ConfigError);
        return e.message;
      }
      return assert.fail('expected a ConfigError');
    };
    assert.match(
      err('overrides: {metrics_generator_max_active_series: -1}'),
      /^overrides\.metrics_generator_max_active_series: must be a non-negative integer/,
    );
    assert.match(
      err('overrides: {metrics_generator_processor_span_metrics_histogram_buckets: [1, 0.5]}'),
      /^overrides\.metrics_generator_processor_span_metrics_histogram_buckets\[1\]: must be greater than the previous bucket/,
    );
    assert.match(
      err('overrides: {metrics_generator_procesors: [span-metrics]}'),
      /^overrides\.metrics_generator_procesors: unknown key in the legacy flat overrides format \(did you mean metrics_generator_processors\?\)/,
    );
    assert.match(
      err('overrides: {max_traces_per_user: 1, defaults: {metrics_generator: {}}}'),
      /^overrides\.defaults: mixes the scoped overrides format with the legacy flat one/,
    );
    assert.match(
      err('overrides: {tenant-a: {metrics_generator_processors: [], metrics_generator: {}}}'),
      /^overrides\.tenant-a\.metrics_generator: mixes the scoped/,
    );
  });
});

describe('typo safety stays', () => {
  const whole = readFileSync(join(FIXTURES, 'tempo-2x-monolithic.yaml'), 'utf8');

  test('a typo inside metrics_generator of a whole tempo.yaml fails with the path and a did-you-mean', () => {
    const text = whole.replace('  registry:\n', '  registy:\n');
    assert.throws(
      () => parseConfig(text, { warn: () => {}, info: () => {} }),
      (e: Error) => e.message === 'metrics_generator.registy: unknown key (did you mean registry?)',
    );
  });

  test('a near miss of a read top-level block is a typo, not another Tempo block', () => {
    const text = whole.replace('metrics_generator:\n', 'metrics_generater:\n');
    assert.throws(
      () => parseConfig(text, { warn: () => {}, info: () => {} }),
      (e: Error) => e.message === 'metrics_generater: unknown key (did you mean metrics_generator?)',
    );
  });
});

describe('replay --config takes a whole tempo.yaml', () => {
  test('series out, the info and warning lines on stderr', () => {
    const dir = mkdtempSync(join(tmpdir(), 'whole-tempo-'));
    const traces = join(dir, 'traces.json');
    writeFileSync(traces, makeBatch(2, { kind: 2 }));
    const r = spawnSync(
      process.execPath,
      [BIN, 'replay', '--config', join(FIXTURES, 'tempo-2x-monolithic.yaml'), traces],
      { encoding: 'utf8', timeout: 30_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stdout,
      /^traces_spanmetrics_calls_total\{cluster="compose",service="test-service",source="tempo",span_kind="SPAN_KIND_SERVER",span_name="test",status_code="STATUS_CODE_OK"\} 2$/m,
    );
    assert.match(r.stderr, /ignoring the other top-level blocks: stream_over_http_enabled, server/);
    assert.match(r.stderr, /metrics_generator\.traces_storage: ignored/);
  });
});
