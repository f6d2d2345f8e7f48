// The validator building blocks on their own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../lib/config/index.ts';
import {
  bool,
  duration,
  float,
  integer,
  listOf,
  mapOf,
  object,
  oneOf,
  section,
  string,
  withDefault,
} from '../../lib/config/schema.ts';
import { parseYaml } from '../../lib/config/yaml.ts';

const node = (yaml: string) => parseYaml(yaml);
const throwsAt = (fn: () => unknown, message: string) =>
  assert.throws(fn, (e) => e instanceof ConfigError && e.message === message);

describe('primitives', () => {
  test('string reads any scalar as its text, as yaml.v2 does', () => {
    assert.equal(string().parse(node('abc'), 'k'), 'abc');
    assert.equal(string().parse(node('0123'), 'k'), '0123'); // YAML 1.1 octal, text kept
    assert.equal(string().parse(node('yes'), 'k'), 'yes');
    throwsAt(() => string().parse(node('[a]'), 'k'), 'k: must be a string, got a list');
  });

  test('integer bounds', () => {
    const spec = integer(0n, 10n);
    assert.equal(spec.parse(node('10'), 'n'), 10);
    throwsAt(() => spec.parse(node('11'), 'n'), 'n: must be an integer between 0 and 10, got 11');
    // yaml.v2 reads an integral float into an integer field (Tempo's jsonnet writes 1e+06).
    assert.equal(spec.parse(node('1.0'), 'n'), 1);
    assert.equal(integer(0n, 10_000_000n).parse(node('1e+06'), 'n'), 1_000_000);
    throwsAt(() => spec.parse(node('1.5'), 'n'), 'n: must be an integer, got 1.5');
    throwsAt(() => spec.parse(node('1e+06'), 'n'), 'n: must be an integer between 0 and 10, got 1e+06');
  });

  test('float accepts integers, refuses infinities', () => {
    assert.equal(float().parse(node('3'), 'f'), 3);
    throwsAt(() => float().parse(node('.inf'), 'f'), 'f: must be a finite number, got .inf');
  });

  test('bool takes YAML 1.1 spellings but not strings', () => {
    assert.equal(bool().parse(node('on'), 'b'), true);
    throwsAt(() => bool().parse(node('"true"'), 'b'), 'b: must be true or false, got "true"');
  });

  test('duration bounds and the bare zero', () => {
    const spec = duration({ minMs: 1000, maxMs: 60_000 });
    assert.equal(spec.parse(node('1m'), 'd'), 60_000);
    throwsAt(() => spec.parse(node('2m'), 'd'), 'd: must be at most 1m0s, got 2m');
    throwsAt(() => spec.parse(node('0'), 'd'), 'd: must be at least 1s, got 0');
    assert.equal(duration().parse(node('0'), 'd'), 0);
    throwsAt(() => duration().parse(node('5'), 'd'), 'd: must be a duration such as 15s, 1m30s or 500ms, got 5');
  });

  test('oneOf', () => {
    assert.equal(oneOf(['a', 'b']).parse(node('b'), 'e'), 'b');
    throwsAt(() => oneOf(['a', '']).parse(node('c'), 'e'), 'e: must be one of a, "", got "c"');
  });
});

describe('collections', () => {
  test('lists name the bad index', () => {
    throwsAt(() => listOf(float()).parse(node('[1, x]'), 'l'), 'l[1]: must be a number, got "x"');
  });

  test('maps keep keys such as __proto__ as data', () => {
    const m = mapOf(string()).parse(node('{__proto__: x, a: b}'), 'm');
    assert.deepEqual(Object.keys(m), ['__proto__', 'a']);
    assert.equal(Object.getPrototypeOf(m), Object.prototype);
  });

  test('objects: defaults, absent keys, aliases, unknown keys', () => {
    const spec = object({ a: withDefault(integer(0n, 9n), 1), b: string() }, { aliases: { bee: 'b' } });
    assert.deepEqual(spec.parse(node('{}'), 'o'), { a: 1 });
    assert.deepEqual(spec.parse(node('{a: 2, bee: x}'), 'o'), { a: 2, b: 'x' });
    throwsAt(() => spec.parse(node('{c: 1}'), 'o'), 'o.c: unknown key');
    throwsAt(() => spec.parse(node('{b: x, bee: y}'), 'o'), 'o.bee: duplicates o.b');
  });

  test('a section is all defaults when absent', () => {
    const outer = object({ inner: section({ x: withDefault(bool(), true) }) });
    assert.deepEqual(outer.parse(node('{}'), ''), { inner: { x: true } });
    assert.deepEqual(outer.parse(node('{inner: {x: false}}'), ''), { inner: { x: false } });
  });
});
