import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { JsonSyntaxError, parseJsonExact } from '../../lib/proto/exact-json.ts';

describe('parseJsonExact', () => {
  test('integers beyond 2^53 arrive as their exact digits', () => {
    assert.deepEqual(parseJsonExact('{"a": 1700000000123456789, "b": [-9223372036854775808 ,18446744073709551615]}'), {
      a: '1700000000123456789',
      b: ['-9223372036854775808', '18446744073709551615'],
    });
  });

  test('short integers, fractions and exponents stay numbers', () => {
    assert.deepEqual(parseJsonExact('{"a": 5, "b": 1.12345678901234567890, "c": 12345678901234567e3, "d": 0.5}'), {
      a: 5,
      b: 1.1234567890123457,
      c: 1.2345678901234567e19,
      d: 0.5,
    });
  });

  test('digits inside strings (also after escaped quotes) are untouched', () => {
    assert.deepEqual(parseJsonExact('{"k": "x\\" 1234567890123456789", "1234567890123456789": 1}'), {
      k: 'x" 1234567890123456789',
      '1234567890123456789': 1,
    });
  });

  test('syntax errors report the line', () => {
    assert.throws(
      () => parseJsonExact('{\n"a": 1,\n"b": 1700000000123456789,\n}'),
      (e: unknown) => e instanceof JsonSyntaxError && e.line === 4 && /^line 4: invalid JSON: /.test(e.message),
    );
  });

  test('a truncated document reports its last line', () => {
    assert.throws(
      () => parseJsonExact('{\n"a": [1,\n'),
      (e: unknown) => e instanceof JsonSyntaxError && e.line === 2,
    );
  });
});

// The regex this module used before it became a scanner; kept as the reference for what valid
// input must turn into (it was exact, only quadratic on long whitespace runs).
const REFERENCE = /"[^"\\]*(?:\\.[^"\\]*)*"|(?<=[:,[]\s*)(-?\d{16,})(?=\s*[,\]}])/g;
const referenceParse = (text: string): unknown =>
  JSON.parse(text.replace(REFERENCE, (m, d: string | undefined) => (d === undefined ? m : `"${d}"`)));

describe('parseJsonExact on hostile and generated input', () => {
  test('long whitespace runs parse in linear time (a child process with a generous time bound)', () => {
    // 4 MiB of whitespace: the old lookbehind rescanned every run at every position (hours).
    const script = `
      const { parseJsonExact } = await import(${JSON.stringify(new URL('../../lib/proto/exact-json.ts', import.meta.url).href)});
      const ws = ' \\n\\t\\r'.repeat(256 * 1024);
      const results = [
        parseJsonExact('{' + ws + '}'),
        parseJsonExact('[' + ws + '1700000000123456789' + ws + ',' + ws + '-12345678901234567' + ws + ']'),
        parseJsonExact('{"a":' + ws + '"' + ' '.repeat(1 << 20) + '1234567890123456789"' + ws + '}'),
      ];
      process.stdout.write(JSON.stringify(results));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 60_000,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    assert.equal(child.error, undefined, `the child did not finish: ${child.error?.message}`);
    assert.equal(child.status, 0, child.stderr);
    assert.deepEqual(JSON.parse(child.stdout), [
      {},
      ['1700000000123456789', '-12345678901234567'],
      { a: ' '.repeat(1 << 20) + '1234567890123456789' },
    ]);
  });

  test('generated valid documents parse exactly as the reference regex turned them', () => {
    let seed = 12345;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const ws = () => [' ', '', '\n', '\t ', '\r\n'][rand(5)];
    const digits = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 1 + rand(9) : rand(10))).join('');
    const scalar = (): string =>
      [
        () => digits(1 + rand(25)),
        () => `-${digits(14 + rand(6))}`,
        () => `${digits(17)}.${digits(3)}`,
        () => `${digits(16)}e${rand(5)}`,
        () =>
          `"${['x', '\\"', ' 12345678901234567890 ', '\\\\', ':[1234567890123456789,'][rand(5)]}${digits(rand(20))}"`,
        () => ['true', 'false', 'null'][rand(3)],
      ][rand(6)]();
    const value = (depth: number): string => {
      const kind = depth > 3 ? 2 : rand(3);
      if (kind === 0)
        return `[${ws()}${Array.from({ length: rand(4) }, () => ws() + value(depth + 1) + ws()).join(',')}]`;
      if (kind === 1)
        return `{${ws()}${Array.from({ length: rand(4) }, (_, i) => `${ws()}"k${i}${digits(rand(18))}"${ws()}:${ws()}${value(depth + 1)}${ws()}`).join(',')}}`;
      return scalar();
    };
    for (let i = 0; i < 2000; i++) {
      const doc = ws() + value(0) + ws();
      assert.deepEqual(parseJsonExact(doc), referenceParse(doc), doc);
    }
  });
});
