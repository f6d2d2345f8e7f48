import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Cursor, WireError } from '../../lib/decode/wire.ts';

function varint(n: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}

test('uint32 reads small and 5-byte varints', () => {
  for (const n of [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 - 1]) {
    assert.equal(new Cursor(Uint8Array.from(varint(BigInt(n)))).uint32(), n);
  }
});

test('int64 is exact across the whole range and signed', () => {
  const cases: bigint[] = [
    0n,
    1n,
    -1n,
    2n ** 53n - 1n,
    2n ** 53n + 1n,
    -(2n ** 53n),
    2n ** 63n - 1n,
    -(2n ** 63n),
    -123456789012n,
  ];
  for (const n of cases) {
    const v = new Cursor(Uint8Array.from(varint(n))).int64();
    assert.equal(String(v), String(n), `value ${n}`);
  }
});

test('truncated and overlong input throws WireError, never reads past the end', () => {
  assert.throws(() => new Cursor(Uint8Array.from([0x80])).uint32(), WireError);
  assert.throws(() => new Cursor(Uint8Array.from(new Array(11).fill(0xff))).int64(), WireError);
  const c = new Cursor(Uint8Array.from([0x05, 1, 2]));
  assert.throws(() => c.lenEnd(), /past its message/);
  assert.throws(() => new Cursor(Uint8Array.from([1, 2, 3])).fixed32(), WireError);
  assert.throws(() => new Cursor(Uint8Array.from([1])).skip(3), /wire type 3/);
});

test('a cursor bounded inside a buffer does not see bytes after its end', () => {
  const buf = Uint8Array.from([0x96, 0x01, 0x96, 0x01]);
  const c = new Cursor(buf, 0, 1);
  assert.throws(() => c.uint32(), WireError);
  assert.equal(new Cursor(buf, 2, 4).uint32(), 150);
});
