import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StringInterner, decodeUtf8 } from '../../lib/decode/utf8.ts';
import { isValidUtf8 } from '../../lib/series/utf8.ts';

const enc = new TextEncoder();

test('interner returns the same string for equal bytes at different offsets', () => {
  const interner = new StringInterner();
  const buf = enc.encode('xxhelloyyhello');
  const a = interner.get(buf, 2, 7);
  const b = interner.get(buf, 9, 14);
  assert.equal(a, 'hello');
  assert.equal(b, 'hello');
});

test('interner keeps distinct values apart through growth', () => {
  const interner = new StringInterner();
  const values = Array.from({ length: 20000 }, (_, i) => `value-${i}-ü`);
  for (const v of values) interner.get(enc.encode(v), 0, enc.encode(v).length);
  for (const v of values) {
    const bytes = enc.encode(v);
    assert.equal(interner.get(bytes, 0, bytes.length), v);
  }
});

test('invalid UTF-8 decodes to a string that is flagged as not well formed', () => {
  const bad = Uint8Array.from([0x61, 0xff, 0x62]);
  assert.equal(isValidUtf8(decodeUtf8(bad, 0, bad.length)), false);
  const good = enc.encode('naïve ✓');
  assert.equal(decodeUtf8(good, 0, good.length), 'naïve ✓');
  assert.equal(isValidUtf8('naïve ✓'), true);
});
