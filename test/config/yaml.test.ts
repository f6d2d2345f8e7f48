import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../lib/config/index.ts';
import { parseYaml, type Scalar } from '../../lib/config/yaml.ts';
import type { NodeMap } from '../../lib/config/yaml.ts';

const scalar = (m: NodeMap, k: string) => m.get(k) as Scalar;

test('integers stay bigint, floats are numbers', () => {
  const m = parseYaml('a: 5\nb: 5.0\nc: 1e3\nd: -7\ne: 9007199254740993') as NodeMap;
  assert.equal(scalar(m, 'a').value, 5n);
  assert.equal(scalar(m, 'b').value, 5);
  assert.equal(scalar(m, 'c').value, 1000);
  assert.equal(scalar(m, 'd').value, -7n);
  assert.equal(scalar(m, 'e').value, 9007199254740993n);
});

test('YAML 1.1 scalars as yaml.v2 reads them; keys keep their text', () => {
  const m = parseYaml('on: yes\nn: off\ny: 1_000\nq: "yes"') as NodeMap;
  assert.deepEqual([...m.keys()], ['on', 'n', 'y', 'q']);
  assert.equal(scalar(m, 'on').value, true);
  assert.equal(scalar(m, 'on').text, 'yes');
  assert.equal(scalar(m, 'n').value, false);
  assert.equal(scalar(m, 'y').value, 1000n);
  assert.equal(scalar(m, 'q').value, 'yes');
});

test('JSON is YAML', () => {
  const m = parseYaml('{"a": [1, 2.5, "x", true, null]}') as NodeMap;
  const list = m.get('a') as Scalar[];
  assert.deepEqual(
    list.map((s) => s.value),
    [1n, 2.5, 'x', true, null],
  );
});

test('anchors, aliases and merge keys resolve', () => {
  const m = parseYaml('base: &b {x: 1, y: 2}\nc: {<<: *b, x: 3}\nd: *b') as NodeMap;
  const c = m.get('c') as NodeMap;
  assert.equal(scalar(c, 'x').value, 3n);
  assert.equal(scalar(c, 'y').value, 2n);
  assert.equal(scalar(m.get('d') as NodeMap, 'x').value, 1n);
});

test('empty text is an empty mapping; syntax errors and duplicate keys are ConfigErrors', () => {
  assert.equal((parseYaml('') as NodeMap).size, 0);
  assert.equal((parseYaml('# only a comment\n') as NodeMap).size, 0);
  assert.throws(
    () => parseYaml('a: ['),
    (e) => e instanceof ConfigError && e.message.startsWith('invalid YAML'),
  );
  assert.throws(
    () => parseYaml('a: 1\na: 2'),
    (e) => e instanceof ConfigError && /duplicate key "a"/.test(e.message),
  );
  assert.throws(() => parseYaml('a: *nope'), ConfigError);
});
