import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
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
