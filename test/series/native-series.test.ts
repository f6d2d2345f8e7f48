import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { addNative, nativeConfigKey, newNativeState, runScheduledReset } from '../../lib/series/native-series.ts';
import { newNativeIncrement, observeNative } from '../../lib/series/native-histogram.ts';
import type { NativeHistogramConfig } from '../../lib/config/types.ts';

const cfg: NativeHistogramConfig = { bucketFactor: 2, maxBucketNumber: 2, minResetDurationMs: 1000 };

function batch(...values: number[]) {
  const h = newNativeIncrement(0);
  for (const v of values) observeNative(h, v);
  return h;
}

describe('native series bucket limit', () => {
  test('within the limit: plain merge', () => {
    const s = newNativeState(0, 2 ** -128, 0, nativeConfigKey(cfg));
    assert.equal(addNative(s, batch(1, 2), cfg, 10), 'merged');
    assert.equal(s.hist.schema, 0);
    assert.equal(s.resetScheduled, false);
  });

  test('over the limit before minResetDuration: resolution halves and a reset is scheduled', () => {
    const s = newNativeState(0, 2 ** -128, 0, nativeConfigKey(cfg));
    assert.equal(addNative(s, batch(1.5, 3, 6), cfg, 10), 'merged'); // buckets 1, 2, 3
    assert.equal(s.hist.schema, -1);
    assert.equal(s.hist.count, 3);
    assert.equal(s.resetScheduled, true);
    // not due yet
    assert.equal(runScheduledReset(s, cfg, 999), false);
    assert.equal(s.hist.count, 3);
    // due at lastReset + minResetDuration: emptied at the configured schema
    assert.equal(runScheduledReset(s, cfg, 1000), true);
    assert.equal(s.hist.count, 0);
    assert.equal(s.hist.schema, 0);
    assert.equal(s.hist.positive.size, 0);
    assert.equal(s.lastResetMs, 1000);
    assert.equal(s.resetScheduled, false);
  });

  test('over the limit after minResetDuration with no reset pending: reset to the new batch', () => {
    const s = newNativeState(0, 2 ** -128, 0, nativeConfigKey(cfg));
    addNative(s, batch(1.5), cfg, 10);
    addNative(s, batch(3), cfg, 20);
    assert.equal(addNative(s, batch(6, 6), cfg, 1500), 'reset');
    assert.equal(s.hist.count, 2);
    assert.deepEqual([...s.hist.positive], [[3, 2]]);
    assert.equal(s.hist.schema, 0);
    assert.equal(s.lastResetMs, 1500);
    assert.equal(s.resetScheduled, false);
  });

  test('minResetDuration 0: never resets, only reduces', () => {
    const noReset = { ...cfg, minResetDurationMs: 0 };
    const s = newNativeState(0, 2 ** -128, 0, nativeConfigKey(noReset));
    addNative(s, batch(1.5, 3, 6), noReset, 1_000_000);
    assert.equal(s.hist.schema, -1);
    assert.equal(s.resetScheduled, false);
    assert.equal(runScheduledReset(s, noReset, 9_000_000), false);
  });

  test('maxBucketNumber 0: unlimited', () => {
    const unlimited = { ...cfg, maxBucketNumber: 0 };
    const s = newNativeState(0, 2 ** -128, 0, nativeConfigKey(unlimited));
    addNative(s, batch(1.5, 3, 6, 12, 24), unlimited, 10);
    assert.equal(s.hist.schema, 0);
    assert.equal(s.hist.positive.size, 5);
  });
});
