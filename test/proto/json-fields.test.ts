import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fromLong } from '../../lib/proto/index.ts';
import {
  JsonFieldError,
  asBase64,
  asDouble,
  asEnum,
  asId,
  asInt64,
  asUint32,
  asUint64,
  field,
  mapArray,
  spellings,
  type JsonField,
} from '../../lib/proto/json-fields.ts';

const f = (value: unknown): JsonField => ({ key: 'k', value, path: 'a.k' });
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function throwsAt(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof JsonFieldError && e.path === 'a.k' && message.test(e.message));
}

describe('field', () => {
  test('spellings pairs each camelCase name with its snake_case form', () => {
    assert.deepEqual(spellings('resourceSpans', 'batches'), ['resourceSpans', 'resource_spans', 'batches']);
  });

  test('finds any spelling and reports the key it used', () => {
    assert.deepEqual(field({ trace_id: 'x' }, 'span', spellings('traceId')), {
      key: 'trace_id',
      value: 'x',
      path: 'span.trace_id',
    });
  });

  test('null is absent', () => {
    assert.equal(field({ traceId: null }, '', spellings('traceId')), undefined);
  });

  test('two spellings at once is an error naming both', () => {
    assert.throws(
      () => field({ traceId: 'a', trace_id: 'b' }, 's', spellings('traceId')),
      (e: unknown) => e instanceof JsonFieldError && e.message === 's.trace_id: given together with traceId',
    );
  });

  test('inherited keys are not fields', () => {
    assert.equal(field({}, '', ['constructor']), undefined);
  });

  test('mapArray indexes paths and rejects non-arrays and nulls', () => {
    assert.deepEqual(
      mapArray(f([1, 2]), (_, p) => p),
      ['a.k[0]', 'a.k[1]'],
    );
    throwsAt(() => mapArray(f({}), (v) => v), /expected an array/);
    assert.throws(() => mapArray(f([1, null]), (v) => v), /a\.k\[1\]: null in a list/);
  });
});

describe('ids', () => {
  test('hex of exactly 2*size digits (either case)', () => {
    assert.equal(hex(asId(f('0102030405060708090A0b0c0d0e0f10'), 16)), '0102030405060708090a0b0c0d0e0f10');
    assert.equal(hex(asId(f('00000000000000ff'), 8)), '00000000000000ff');
  });

  test('base64, padded or not, standard or URL-safe', () => {
    assert.equal(hex(asId(f('AQIDBAUGBwgJCgsMDQ4PEA=='), 16)), '0102030405060708090a0b0c0d0e0f10');
    assert.equal(hex(asId(f('AQIDBAUGBwgJCgsMDQ4PEA'), 16)), '0102030405060708090a0b0c0d0e0f10');
    assert.equal(hex(asId(f('__________8='), 8)), 'ffffffffffffffff');
    assert.equal(hex(asId(f('//////////8='), 8)), 'ffffffffffffffff');
  });

  test('empty string is the empty id', () => {
    assert.equal(asId(f(''), 8).length, 0);
  });

  test('wrong length, bad characters or non-strings are rejected', () => {
    throwsAt(() => asId(f('0102'), 8), /not hex or base64 of a 8-byte id: "0102"/);
    throwsAt(() => asId(f('0102030405060708'), 16), /not hex or base64 of a 16-byte id/);
    throwsAt(() => asId(f('zz!zzzzzzzzzzzzz'), 8), /not hex or base64/);
    throwsAt(() => asId(f('AQIDBAUGBwg'.concat('-+')), 8), /not hex or base64/);
    throwsAt(() => asId(f(12), 8), /not hex or base64 of a 8-byte id: 12/);
  });

  test('bytesValue is plain base64 (hex is not special there)', () => {
    assert.equal(hex(asBase64(f('AAEC'))), '000102');
    throwsAt(() => asBase64(f('A')), /not base64/);
    throwsAt(() => asBase64(f('AB=C')), /not base64/);
  });
});

describe('numbers', () => {
  test('uint64 from string or number, exact above 2^53', () => {
    assert.equal(fromLong(asUint64(f('1700000000123456789')), true), 1700000000123456789n);
    assert.equal(fromLong(asUint64(f('18446744073709551615')), true), (1n << 64n) - 1n);
    assert.equal(fromLong(asUint64(f(1700000000)), true), 1700000000n);
    throwsAt(() => asUint64(f('18446744073709551616')), /out of range for uint64/);
    throwsAt(() => asUint64(f('-1')), /out of range for uint64/);
    throwsAt(() => asUint64(f('1.5')), /expected an integer/);
    throwsAt(() => asUint64(f(1.5)), /not an integer: 1.5/);
    throwsAt(() => asUint64(f(true)), /expected an integer/);
  });

  test('int64 keeps its sign', () => {
    assert.equal(fromLong(asInt64(f('-9223372036854775808')), false), -(1n << 63n));
    assert.equal(fromLong(asInt64(f(-5)), false), -5n);
    throwsAt(() => asInt64(f('9223372036854775808')), /out of range for int64/);
  });

  test('uint32 range', () => {
    assert.equal(asUint32(f('4294967295')), 4294967295);
    throwsAt(() => asUint32(f(4294967296)), /out of range for uint32/);
  });

  test('double from number, numeric string or the special names', () => {
    assert.equal(asDouble(f(0.25)), 0.25);
    assert.equal(asDouble(f('1e3')), 1000);
    assert.equal(asDouble(f('-Infinity')), -Infinity);
    assert.ok(Number.isNaN(asDouble(f('NaN'))));
    throwsAt(() => asDouble(f('1,5')), /expected a number, got "1,5"/);
    throwsAt(() => asDouble(f('')), /expected a number/);
  });

  test('double strings: every decimal form, and a long non-number fails in linear time (child process, generous bound)', () => {
    for (const [text, value] of [
      ['1.', 1],
      ['.5', 0.5],
      ['-2', -2],
      ['1.5e-3', 0.0015],
      ['12E+2', 1200],
    ] as const)
      assert.equal(asDouble(f(text)), value, text);
    for (const text of ['.', '-', '1e', '1.2.3', 'e5', '+1']) throwsAt(() => asDouble(f(text)), /expected a number/);
    // the regex before allowed two ways to split a digit run: quadratic backtracking on a miss
    const script = `
      const { asDouble } = await import(${JSON.stringify(new URL('../../lib/proto/json-fields.ts', import.meta.url).href)});
      let message = 'accepted';
      try { asDouble({ value: '1'.repeat(1 << 20) + 'x', key: 'asDouble', path: 'v' }); } catch (e) { message = e.message.slice(0, 40); }
      process.stdout.write(message);`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      timeout: 60_000,
      encoding: 'utf8',
    });
    assert.equal(child.error, undefined, `the child did not finish: ${child.error?.message}`);
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stdout, /expected a number/);
  });

  test('enum by name or number; unknown numbers kept, unknown names rejected', () => {
    const names = { A_ZERO: 0, A_ONE: 1 };
    assert.equal(asEnum(f('A_ONE'), names, 'A'), 1);
    assert.equal(asEnum(f(1), names, 'A'), 1);
    assert.equal(asEnum(f('7'), names, 'A'), 7);
    throwsAt(() => asEnum(f('A_TWO'), names, 'A'), /not a A name or number: "A_TWO"/);
    throwsAt(() => asEnum(f('constructor'), names, 'A'), /not a A name/);
  });
});
