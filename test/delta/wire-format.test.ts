import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { crc32, crc32Table } from '../../lib/delta/crc32.ts';
import { DeltaFormatError } from '../../lib/delta/errors.ts';
import { ByteReader } from '../../lib/delta/reader.ts';
import { ByteWriter } from '../../lib/delta/writer.ts';

function encoded(write: (w: ByteWriter) => void): Uint8Array {
  const w = new ByteWriter(1);
  write(w);
  return w.bytes().slice();
}

describe('numbers', () => {
  const cases: [number, number][] = [
    // value, expected encoded length
    [0, 1],
    [-0, 5],
    [1, 1],
    [-1, 1],
    [31, 1],
    [32, 2],
    [2 ** 51 - 1, 8],
    [-(2 ** 51 - 1), 8],
    [2 ** 51, 5], // beyond the varint range, float32 holds it
    [2 ** 53 + 2, 9],
    [2 ** 51 + 1, 9],
    [2.5, 5],
    [NaN, 5],
    [Infinity, 5],
    [-Infinity, 5],
    [1.401298464324817e-45, 5], // smallest float32 denormal
    [3.4028234663852886e38, 5], // largest float32
    [0.05, 5], // 5e7 nanoseconds
    [0.000000001, 1],
    [0.123456789, 5],
    [-0.123456789, 5],
    [1125899.906842623, 8], // largest nanos magnitude (2^50 - 1) / 1e9
    [1 / 3, 9],
    [0.1 + 0.2, 9],
    [5e-324, 9],
    [Number.MAX_VALUE, 9],
    [-1e300, 9],
  ];

  test('round trip bit-exact, in the smallest form', () => {
    for (const [v, length] of cases) {
      const bytes = encoded((w) => w.number(v));
      const r = new ByteReader(bytes);
      assert.ok(Object.is(r.number(), v), `${v}`);
      assert.equal(r.pos, bytes.length);
      assert.equal(bytes.length, length, `length of ${v}`);
    }
  });

  test('non-canonical forms are rejected', () => {
    const forms: [string, number[]][] = [
      ['integer as float32', [3, ...f32(2)]],
      ['non-canonical NaN', [3, 0x01, 0x00, 0xc0, 0x7f]],
      ['float32 value as float64', [7, ...f64(2.5)]],
      ['integer as float64', [7, ...f64(3)]],
      ['nanos value as float64', [7, ...f64(0.05)]],
      ['unknown tag 11', [11]],
      ['non-minimal varint', [0x84, 0x00]],
      ['truncated float64', [7, 1, 2, 3]],
    ];
    for (const [what, bytes] of forms) {
      assert.throws(() => new ByteReader(new Uint8Array(bytes)).number(), DeltaFormatError, what);
    }
    // n = 1e9 nanoseconds is the integer 1: only the integer form is canonical
    const header = encoded((w) => w.varint(1e9 * 2 * 4 + 1));
    assert.throws(() => new ByteReader(header).number(), /non-canonical decimal/);
  });
});

function f32(v: number): number[] {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setFloat32(0, v, true);
  return [...b];
}

function f64(v: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  return [...b];
}

describe('varints', () => {
  test('round trip at every length boundary', () => {
    for (const v of [0, 127, 128, 16383, 16384, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 35, 2 ** 53 - 1]) {
      const bytes = encoded((w) => w.varint(v));
      const r = new ByteReader(bytes);
      assert.equal(r.varint(), v);
      assert.equal(r.pos, bytes.length);
    }
  });

  test('too long, out of range and truncated varints are rejected', () => {
    assert.throws(() => new ByteReader(new Uint8Array([0x80, 0x80])).varint(), /truncated/);
    assert.throws(() => new ByteReader(new Uint8Array(9).fill(0xff)).varint(), /too long|out of range/);
    assert.throws(
      () => new ByteReader(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f])).varint(),
      /out of range/,
    );
  });

  test('counts cannot exceed what the remaining bytes could hold', () => {
    const bytes = new Uint8Array([100, 1, 2, 3]);
    assert.throws(() => new ByteReader(bytes).count(1, 'thing'), /thing count 100 exceeds/);
  });
});

describe('strings', () => {
  test('lowercase hex of even length is stored as bytes, everything else as text', () => {
    const id = '0af7651916cd43dd8448eb211c80319c';
    assert.equal(encoded((w) => w.string(id)).length, 1 + 16);
    assert.equal(encoded((w) => w.string('0AF7')).length, 1 + 4);
    assert.equal(encoded((w) => w.string('abc')).length, 1 + 3);
    assert.equal(encoded((w) => w.string('é')).length, 1 + 2);
    assert.equal(encoded((w) => w.string('\ud800')).length, 1 + 2);
    for (const s of [id, '0AF7', 'abc', 'é', '\ud800x\udfff', '😀', '', '\ufeff', 'a'.repeat(1000)]) {
      const r = new ByteReader(encoded((w) => w.string(s)));
      assert.equal(r.string(), s);
      assert.equal(r.remaining, 0);
    }
  });

  test('invalid UTF-8 and non-canonical kinds are rejected', () => {
    assert.throws(() => new ByteReader(new Uint8Array([2 * 4, 0xc3, 0x28])).string(), /invalid UTF-8/);
    assert.throws(() => new ByteReader(new Uint8Array([2 * 4, 0x61, 0x62])).string(), /hex string not in hex form/);
    assert.throws(
      () => new ByteReader(new Uint8Array([2 * 4 + 2, 0x61, 0x00])).string(),
      /well-formed string in UTF-16/,
    );
    assert.throws(() => new ByteReader(new Uint8Array([3])).string(), /unknown string kind/);
    assert.throws(() => new ByteReader(new Uint8Array([5 * 4, 0x61])).string(), /truncated/);
  });
});

describe('crc32', () => {
  test('matches the standard check value and zlib', () => {
    assert.equal(crc32Table(new TextEncoder().encode('123456789')), 0xcbf43926);
    const data = new Uint8Array(10_000).map((_, i) => (i * 7919) % 251);
    assert.equal(crc32Table(data), crc32(data));
    assert.equal(crc32Table(data, 10, 500), crc32(data, 10, 500));
    const native = (zlib as { crc32?: (d: Uint8Array) => number }).crc32;
    if (native !== undefined) assert.equal(crc32Table(data), native(data) >>> 0);
  });
});

describe('writer', () => {
  test('a value that is not a number is refused rather than written as an undecodable NaN', () => {
    assert.throws(() => encoded((w) => w.number(undefined as unknown as number)), /undefined is not a number/);
    assert.throws(() => encoded((w) => w.number('1' as unknown as number)), TypeError);
  });
});
