import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classicBucketIndex, newClassicIncrement, observeClassic } from '../../lib/series/classic-histogram.ts';

test('le is inclusive: a value equal to a bound counts in that bucket', () => {
  const bounds = [0.5, 1];
  assert.equal(classicBucketIndex(bounds, 0.5), 0);
  assert.equal(classicBucketIndex(bounds, 0.50001), 1);
  assert.equal(classicBucketIndex(bounds, 1), 1);
  assert.equal(classicBucketIndex(bounds, 1.5), 2);
  assert.equal(classicBucketIndex(bounds, -1), 0);
});

test('observations are weighted by the multiplier and keep the latest exemplar per bucket', () => {
  const h = newClassicIncrement([0.5, 1]);
  observeClassic(h, 1, 2.5, 'aa');
  observeClassic(h, 0.7, 1, 'bb');
  observeClassic(h, 3, 1);
  assert.deepEqual(h.counts, [0, 3.5, 1]);
  assert.equal(h.count, 4.5);
  assert.equal(h.sum, 2.5 + 0.7 + 3);
  assert.deepEqual(h.exemplars, [undefined, { traceId: 'bb', value: 0.7 }, undefined]);
});
