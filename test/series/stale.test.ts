import { test } from 'node:test';
import assert from 'node:assert/strict';
import { STALE_NAN_BITS, isStaleNaN, staleNaN } from '../../lib/series/stale.ts';

test('staleNaN has exactly the Prometheus StaleNaN bits', () => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, staleNaN());
  assert.equal(view.getBigUint64(0), STALE_NAN_BITS);
  assert.equal(STALE_NAN_BITS, 0x7ff0000000000002n);
});

test('isStaleNaN accepts only the marker, not other NaNs or numbers', () => {
  assert.equal(isStaleNaN(staleNaN()), true);
  assert.equal(isStaleNaN({ v: staleNaN() }.v), true);
  assert.equal(isStaleNaN(NaN), false);
  assert.equal(isStaleNaN(0), false);
  assert.equal(isStaleNaN(Infinity), false);
});
