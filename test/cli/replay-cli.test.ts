import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = 'bin/msk-metrics-generator.js';

function cli(args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8' });
}

test('replay prints the README example output, from a file and from stdin', () => {
  const fromFile = cli(['replay', '--config', 'examples/replay.yaml', 'examples/traces.json']);
  assert.equal(fromFile.status, 0, fromFile.stderr);
  const lines = fromFile.stdout.trim().split('\n');
  assert.equal(lines.length, 14);
  assert.ok(
    lines.includes(
      'traces_spanmetrics_calls_total{http_method="GET",service="checkout",span_kind="SPAN_KIND_SERVER",span_name="GET /cart",status_code="STATUS_CODE_UNSET"} 1',
    ),
  );
  assert.deepEqual([...lines].sort(), lines, 'output is sorted');
  const readme = readFileSync('README.md', 'utf8');
  assert.ok(readme.includes(fromFile.stdout.trim()), 'README shows the current output');
  const fromStdin = cli(
    ['replay', '--config', 'examples/replay.yaml', '-'],
    readFileSync('examples/traces.json', 'utf8'),
  );
  assert.equal(fromStdin.stdout, fromFile.stdout);
});

test('replay --tenant picks that tenant overrides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmg-cli-'));
  const cfg = join(dir, 'cfg.yaml');
  writeFileSync(cfg, 'overrides:\n  team-a:\n    metrics_generator:\n      processors: [span-metrics-count]\n');
  assert.equal(cli(['replay', '--config', cfg, 'examples/traces.json']).stdout, '');
  const out = cli(['replay', '--config', cfg, '--tenant', 'team-a', 'examples/traces.json']).stdout;
  assert.equal(out.trim().split('\n').length, 2);
});

test('bad config and bad input exit non-zero with the key path or position', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmg-cli-'));
  const cfg = join(dir, 'cfg.yaml');
  writeFileSync(cfg, 'metrics_generator:\n  processor:\n    span_metrics:\n      histogram_buckets: [1, fast]\n');
  const bad = cli(['replay', '--config', cfg, 'examples/traces.json']);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /metrics_generator\.processor\.span_metrics\.histogram_buckets\[1\]/);
  const input = cli(
    ['replay', '--config', 'examples/replay.yaml', '-'],
    '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz"}]}]}]}',
  );
  assert.equal(input.status, 1);
  assert.match(input.stderr, /traceId/);
  assert.equal(cli(['nope']).status, 2);
});
