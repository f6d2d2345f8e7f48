// filter_policies regexes use Go's RE2 (Tempo: pkg/spanfilter/policymatch, regexp.Compile and
// MatchString): Go syntax, unanchored search, linear time on any span name.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileGoRegex } from '../../lib/config/go-regex.ts';
import { parseConfig } from '../../lib/config/index.ts';
import { replay } from '../../lib/replay/replay.ts';
import { makeBatch, parseExposition, resourceSpans, span, tracesData } from '../helpers/otlp-json.ts';
import { assertConfigError } from './helpers.ts';

const PATH = 'overrides.defaults.metrics_generator.processor.span_metrics.filter_policies';

/** Span metrics with one regex filter policy of the given block (include / exclude). */
const configWith = (block: 'include' | 'exclude', key: string, pattern: string) => `
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics-count]
      processor:
        span_metrics:
          intrinsic_dimensions: {span_kind: false, status_code: false, service: false}
          filter_policies:
            - ${block}:
                match_type: regex
                attributes:
                  - key: ${key}
                    value: ${JSON.stringify(pattern)}
`;

function spanNames(yaml: string, names: string[], attrs: Record<string, string> = {}): string[] {
  const input = tracesData(
    resourceSpans(
      { 'service.name': 'svc' },
      names.map((name) => span({ name, attributes: attrs })),
    ),
  );
  const out = parseExposition(replay(parseConfig(yaml), 'single-tenant', input));
  return [...out.keys()].map((k) => /span_name="([^"]*)"/.exec(k)?.[1] ?? '').sort();
}

describe('filter policy regexes: Go RE2', () => {
  test('a catastrophic pattern for backtracking engines finishes (replay in a child, 30 s bound)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'filter-regex-'));
    const cfg = join(dir, 'cfg.yaml');
    const traces = join(dir, 'traces.json');
    writeFileSync(cfg, configWith('include', 'name', '^(a+)+$'));
    // 34 `a`s and a mismatch at the end: exponential for a backtracking engine, linear for RE2.
    writeFileSync(traces, makeBatch(3, { name: `${'a'.repeat(34)}!` }) + '\n' + makeBatch(1, { name: 'aaaa' }));
    const bin = new URL('../../bin/msk-metrics-generator.js', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [bin, 'replay', '--config', cfg, traces], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(r.signal, null, 'replay was killed by the timeout: the regex backtracks');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), 'traces_spanmetrics_calls_total{span_name="aaaa"} 1');
  });

  test('Go syntax: (?i) inline flags work', () => {
    assert.deepEqual(
      spanNames(configWith('exclude', 'name', '(?i)^get /health'), ['GET /HEALTH', 'get /healthz', 'GET /cart']),
      ['GET /cart'],
    );
  });

  test('Go syntax: \\z, \\pL classes and (?s)', () => {
    assert.deepEqual(spanNames(configWith('include', 'name', '^\\pL+\\z'), ['héllo', 'x1', 'abc\n']), ['héllo']);
    assert.deepEqual(spanNames(configWith('include', 'name', '(?s)a.b'), ['a\nb', 'ab']), ['a\\nb']); // exposition escapes the newline
  });

  test('matching is an unanchored search, as Go MatchString', () => {
    assert.deepEqual(spanNames(configWith('include', 'name', 'cart'), ['GET /cart/items', 'GET /user']), [
      'GET /cart/items',
    ]);
  });

  test('span and resource attribute values are matched the same way', () => {
    assert.deepEqual(
      spanNames(configWith('include', 'span.http.route', '(?i)^/API/'), ['a', 'b'], { 'http.route': '/api/v1' }),
      ['a', 'b'],
    );
    assert.deepEqual(
      spanNames(configWith('include', 'span.http.route', '(?i)^/API/'), ['a'], { 'http.route': '/web' }),
      [],
    );
  });

  test('a pattern RE2 rejects fails at load, naming the key', () => {
    const p = `${PATH}[0].include.attributes[0].value`;
    const at = (pattern: string) =>
      `overrides: {defaults: {metrics_generator: {processors: [span-metrics], processor: {span_metrics: {filter_policies: [{include: {match_type: regex, attributes: [{key: name, value: ${JSON.stringify(pattern)}}]}}]}}}}}`;
    // Lookbehind and backreferences are JavaScript, not RE2.
    assertConfigError(at('(?<=a)b'), `${p}: invalid regular expression`);
    assertConfigError(at('(a)\\1'), `${p}: invalid regular expression`);
    assertConfigError(at('a('), `${p}: invalid regular expression`, 'missing closing )');
  });

  test('the global service_graphs block compiles with RE2 too', () => {
    assertConfigError(
      'metrics_generator: {processor: {service_graphs: {filter_policies: [{include: {match_type: regex, attributes: [{key: span.a, value: "(?<=x)"}]}}]}}}',
      'metrics_generator.processor.service_graphs.filter_policies[0].include.attributes[0].value: invalid regular expression',
    );
  });

  test('remembered results stay right past the memory bound and for long values', () => {
    const even = compileGoRegex('^n[0-9]*[02468]$');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 10_000; i++) assert.equal(even(`n${i}`), i % 2 === 0, `n${i}, round ${round}`);
    }
    const long = `${'a'.repeat(300)}`;
    const anyA = compileGoRegex('^a+$');
    assert.equal(anyA(long), true);
    assert.equal(anyA(`${long}b`), false);
  });
});
