// configBlocksOnly: a whole tempo.yaml cut down to the blocks that are read, values as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configBlocksOnly, parseConfig } from '../../lib/config/index.ts';

const quiet = { warn: () => {}, info: () => {} };
const fixture = (name: string) =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8').replace(
    /^\s*"per_tenant_override_config".*$/m,
    '',
  );

test('other blocks are dropped; what is read stays identical, timestamps and integral floats as written', () => {
  const whole = fixture('tempo-3x-jsonnet.yaml');
  const reduced = configBlocksOnly(whole);
  assert.ok(reduced.length < whole.length * 0.8, `${reduced.length} of ${whole.length}`);
  assert.doesNotMatch(reduced, /^"(server|storage|usage_report|target)":/m);
  assert.match(reduced, /"deployed_at": 2026-05-04T10:00:00Z/);
  const infos: string[] = [];
  const a = parseConfig(whole, quiet).tenant('t');
  const b = parseConfig(reduced, { warn: () => {}, info: (m) => infos.push(m) }).tenant('t');
  assert.deepEqual(b, a);
  assert.deepEqual(infos, [], 'nothing left to ignore');
});

test('a JSON document stays JSON-shaped and equivalent', () => {
  const json = JSON.stringify(
    {
      server: { http_listen_port: 3200 },
      metrics_generator: { registry: { external_labels: { a: 'b' } } },
      overrides: { defaults: { metrics_generator: { processors: ['span-metrics'] } } },
    },
    null,
    2,
  );
  const reduced = configBlocksOnly(json);
  assert.doesNotMatch(reduced, /server/);
  assert.deepEqual(parseConfig(reduced, quiet).tenant('t'), parseConfig(json, quiet).tenant('t'));
});

test('an alias into a dropped block keeps the whole text', () => {
  const text = 'server: &labels {a: b}\nmetrics_generator:\n  registry:\n    external_labels: *labels\n';
  assert.equal(configBlocksOnly(text), text);
});

test('a file with only the read blocks, or unparsable text, is returned as is', () => {
  const text = 'metrics_generator: {}\noverrides: {}\n';
  assert.equal(configBlocksOnly(text), text);
  assert.equal(configBlocksOnly('a: ['), 'a: [');
});
