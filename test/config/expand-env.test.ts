import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../lib/config/index.ts';
import { expandEnv } from '../../lib/config/expand-env.ts';

const CONFIG = `metrics_generator:
  storage:
    remote_write:
      - url: "\${PROM_URL}"
        headers:
          X-Team: "\${TEAM:-platform}"
`;

function withEnv<T>(vars: Record<string, string | undefined>, run: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(vars))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  try {
    return run();
  } finally {
    for (const [k, v] of Object.entries(saved))
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
  }
}

test('CONFIG_EXPAND_ENV=true expands ${VAR} and ${VAR:-default} in the config before parsing', () => {
  const config = withEnv(
    { CONFIG_EXPAND_ENV: 'true', PROM_URL: 'http://prom:9090/api/v1/write', TEAM: undefined },
    () => parseConfig(CONFIG, { warn: () => {}, info: () => {} }),
  );
  assert.equal(config.remoteWrite[0].url, 'http://prom:9090/api/v1/write');
  assert.deepEqual(config.remoteWrite[0].headers, { 'X-Team': 'platform' });
});

test('without CONFIG_EXPAND_ENV a ${VAR} stays literal, as in Tempo without -config.expand-env', () => {
  assert.throws(
    () =>
      withEnv({ CONFIG_EXPAND_ENV: undefined, PROM_URL: 'http://prom:9090/' }, () =>
        parseConfig(CONFIG, { warn: () => {}, info: () => {} }),
      ),
    (e: unknown) => e instanceof ConfigError && /is not a valid URL/.test(e.message),
  );
});

test('envsubst semantics: undefined is empty, defaults for unset or empty, nested defaults, $$ escapes, bare $VAR stays', () => {
  const env = { A: 'a', EMPTY: '', D: 'd' };
  assert.equal(expandEnv('x${A}y', env), 'xay');
  assert.equal(expandEnv('[${NOPE}]', env), '[]');
  assert.equal(expandEnv('${NOPE:-def}|${EMPTY:-def}|${A:-def}', env), 'def|def|a');
  assert.equal(expandEnv('${NOPE-def}|${NOPE=def}|${NOPE:=def}', env), 'def|def|def');
  assert.equal(expandEnv('${NOPE:-pre-${D}-post}', env), 'pre-d-post');
  assert.equal(expandEnv('$${A} costs $$5 and $A stays', env), '${A} costs $5 and $A stays');
  assert.equal(expandEnv('no references: a $ b } c', env), 'no references: a $ b } c');
});

test('a malformed or unsupported reference fails naming line and column', () => {
  assert.throws(() => expandEnv('a: 1\nb: ${OPEN', {}), /line 2, column 4: missing closing brace/);
  assert.throws(() => expandEnv('b: ${A^^}', { A: 'x' }), /line 1, column 4: .*not supported/);
  assert.throws(() => expandEnv('${}', {}), /expected a variable name/);
  assert.throws(() => expandEnv('${X:-'.repeat(10_000), {}), /nested deeper than 16/);
});

test('expansion of a large text is linear: 1 MB of "$$" and "${" fragments is scanned at once', () => {
  const text = '$$${A}'.repeat(150_000);
  assert.equal(expandEnv(text, { A: 'x' }).length, 2 * 150_000);
});

test('the CLI accepts --config.expand-env as Tempo does', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmg-expand-'));
  const cfg = join(dir, 'cfg.yaml');
  writeFileSync(cfg, 'overrides:\n  "${TEAM}":\n    metrics_generator:\n      processors: [span-metrics-count]\n');
  const env = { ...process.env, TEAM: 'team-a', CONFIG_EXPAND_ENV: '' };
  const run = (args: string[]) =>
    spawnSync(process.execPath, ['bin/msk-metrics-generator.js', ...args], { encoding: 'utf8', env });
  const expanded = run([
    'replay',
    '--config.expand-env',
    '--config',
    cfg,
    '--tenant',
    'team-a',
    'examples/traces.json',
  ]);
  assert.equal(expanded.status, 0, expanded.stderr);
  assert.equal(expanded.stdout.trim().split('\n').length, 2);
});
