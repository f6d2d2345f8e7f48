// Every key listed as accepted-but-ignored is accepted, and changes nothing.
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { IGNORED_TEMPO_KEYS, IGNORED_TEMPO_KEYS_DOC } from '../../lib/config/index.ts';
import { load } from './helpers.ts';

type Doc = { [key: string]: unknown };

/** A document setting `path` to `value`; `<tenant>` is tenant-a, `x[]` is a list with one remote_write entry. */
function documentFor(path: string, value: unknown): Doc {
  const parts = path.replace('<tenant>', 'tenant-a').split('.');
  const build = (i: number): unknown => {
    if (i === parts.length) return value;
    const part = parts[i];
    if (part.endsWith('[]')) return { [part.slice(0, -2)]: [{ url: 'http://x/w', ...(build(i + 1) as Doc) }] };
    return { [part]: build(i + 1) };
  };
  return build(0) as Doc;
}

const PROCESSORS = { processors: ['span-metrics'] };

for (const key of IGNORED_TEMPO_KEYS) {
  test(`${key.path} is accepted and ignored`, () => {
    const doc = documentFor(key.path, parse(key.example));
    const perTenant = key.path.startsWith('overrides.<tenant>');
    if (perTenant) {
      const entry = (doc.overrides as Doc)['tenant-a'] as Doc;
      entry.metrics_generator = { ...PROCESSORS, ...(entry.metrics_generator as Doc | undefined) };
    } else {
      doc.overrides = { ...(doc.overrides as Doc | undefined), 'tenant-a': { metrics_generator: PROCESSORS } };
    }
    const withKey = load(JSON.stringify(doc));
    const baseline = load(JSON.stringify({ overrides: { 'tenant-a': { metrics_generator: PROCESSORS } } }));
    assert.deepEqual(withKey.tenant('tenant-a'), baseline.tenant('tenant-a'));
    if (!key.path.includes('remote_write[]')) assert.deepEqual(withKey.remoteWrite, baseline.remoteWrite);
  });
}

test('the doc table lists every key', () => {
  for (const key of IGNORED_TEMPO_KEYS) assert.ok(IGNORED_TEMPO_KEYS_DOC.includes(`\`${key.path}\``), key.path);
});

test('docs/configuration.md carries the same table', () => {
  const doc = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');
  assert.ok(
    doc.includes(IGNORED_TEMPO_KEYS_DOC),
    'regenerate the table in docs/configuration.md from IGNORED_TEMPO_KEYS_DOC',
  );
});
