import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fnv1a64, fnv1a64Hex } from '../../lib/series/fnv.ts';

// Reference implementation with BigInt, used only to cross-check the 32-bit-halves version.
function reference(bytes: Uint8Array): string {
  let h = 0xcbf29ce484222325n;
  for (const b of bytes) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return h.toString(16).padStart(16, '0');
}

test('published FNV-1a 64 vectors', () => {
  assert.equal(fnv1a64Hex(''), 'cbf29ce484222325');
  assert.equal(fnv1a64Hex('a'), 'af63dc4c8601ec8c');
  assert.equal(fnv1a64Hex('foobar'), '85944171f73967e8');
});

test('hashes the UTF-8 bytes of any string like the BigInt reference', () => {
  const enc = new TextEncoder();
  for (const s of ['é', '€uro', '😀 and \u{10ffff}', 'x'.repeat(300), 'traces_spanmetrics_latency_bucket']) {
    assert.equal(fnv1a64Hex(s), reference(enc.encode(s)), JSON.stringify(s));
  }
});

test('raw bytes and strings can be mixed', () => {
  const h = new Fnv1a64().string('a').byte(0xff).string('b').hex();
  assert.equal(h, reference(new Uint8Array([0x61, 0xff, 0x62])));
});
