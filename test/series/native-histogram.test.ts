import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_ZERO_THRESHOLD,
  cloneNative,
  limitBuckets,
  mergeNative,
  nativeRepetitions,
  newNativeIncrement,
  observeNative,
  reduceSchema,
  spansAndDeltas,
  toNativeSample,
  widenZeroBucket,
} from '../../lib/series/native-histogram.ts';

const sorted = (m: Map<number, number>) => [...m].sort((a, b) => a[0] - b[0]);

describe('observeNative', () => {
  test('positive, negative, zero bucket, NaN and Inf', () => {
    const h = newNativeIncrement(3);
    observeNative(h, 3);
    observeNative(h, -3);
    observeNative(h, 0);
    observeNative(h, 1e-40); // below 2^-128: zero bucket
    observeNative(h, -DEFAULT_ZERO_THRESHOLD); // |v| <= threshold: zero bucket
    observeNative(h, NaN);
    observeNative(h, Infinity);
    assert.equal(h.count, 7);
    assert.ok(Number.isNaN(h.sum));
    assert.equal(h.zeroCount, 3);
    assert.deepEqual(sorted(h.positive), [
      [13, 1],
      [8193, 1],
    ]);
    assert.deepEqual(sorted(h.negative), [[13, 1]]);
  });

  test('multiplier repeats the observation ceil(m) times, as Tempo loops', () => {
    assert.equal(nativeRepetitions(1), 1);
    assert.equal(nativeRepetitions(2.5), 3);
    assert.equal(nativeRepetitions(0), 0);
    const h = newNativeIncrement(0);
    observeNative(h, 0.1, 2.5);
    assert.equal(h.count, 3);
    assert.equal(h.sum, 0.1 + 0.1 + 0.1); // repeated addition, not 0.1 * 3
    assert.deepEqual(sorted(h.positive), [[-3, 3]]);
  });

  test('a trace id makes the observation the exemplar', () => {
    const h = newNativeIncrement(3);
    observeNative(h, 2, 1, 'aa');
    observeNative(h, 5, 1, '');
    assert.deepEqual(h.exemplar, { traceId: 'aa', value: 2 });
  });
});

describe('resolution', () => {
  test('reduceSchema merges pairs: index i -> ceil(i/2)', () => {
    const h = newNativeIncrement(0);
    for (const [i, c] of [
      [-3, 1],
      [-2, 1],
      [-1, 1],
      [0, 1],
      [1, 1],
      [2, 1],
      [3, 1],
    ] as const)
      h.positive.set(i, c);
    reduceSchema(h, -1);
    assert.equal(h.schema, -1);
    assert.deepEqual(sorted(h.positive), [
      [-1, 2],
      [0, 2],
      [1, 2],
      [2, 1],
    ]);
  });

  test('limitBuckets halves the resolution until the bucket count fits', () => {
    const h = newNativeIncrement(0);
    for (const v of [1.5, 3, 6, 12]) observeNative(h, v); // buckets 1, 2, 3, 4
    observeNative(h, -1.5); // negative bucket 1
    assert.equal(limitBuckets(h, 5), false);
    assert.equal(limitBuckets(h, 3), true);
    assert.equal(h.schema, -1);
    assert.deepEqual(sorted(h.positive), [
      [1, 2],
      [2, 2],
    ]);
    assert.deepEqual(sorted(h.negative), [[1, 1]]);
    assert.equal(h.count, 5);
  });

  test('limitBuckets stops at schema -4', () => {
    const h = newNativeIncrement(-4);
    for (const v of [1, 1e10, 1e20, 1e40]) observeNative(h, v);
    assert.equal(limitBuckets(h, 1), false);
    assert.equal(h.schema, -4);
  });

  test('observed values stay in the bucket that contains them after reduction', () => {
    const fine = newNativeIncrement(3);
    const coarse = newNativeIncrement(1);
    for (const v of [0.003, 0.02, 0.7, 1, 1.3, 2, 2.9, 3, 47, 1000]) {
      observeNative(fine, v);
      observeNative(coarse, v);
    }
    reduceSchema(fine, 1);
    assert.deepEqual(sorted(fine.positive), sorted(coarse.positive));
  });
});

describe('mergeNative', () => {
  test('brings both to the lower schema and adds everything', () => {
    const a = newNativeIncrement(3);
    observeNative(a, 3);
    observeNative(a, 0);
    const b = newNativeIncrement(1);
    observeNative(b, 3, 1, 'bb');
    observeNative(b, -1);
    mergeNative(a, b);
    assert.equal(a.schema, 1);
    assert.deepEqual(sorted(a.positive), [[4, 2]]);
    assert.deepEqual(sorted(a.negative), [[0, 1]]);
    assert.equal(a.zeroCount, 1);
    assert.equal(a.count, 4);
    assert.equal(a.sum, 5);
    assert.deepEqual(a.exemplar, { traceId: 'bb', value: 3 });

    const c = newNativeIncrement(3);
    observeNative(c, 3);
    mergeNative(b, c); // finer source into coarser target
    assert.equal(b.schema, 1);
    assert.deepEqual(sorted(b.positive), [[4, 2]]);
  });

  test('a wider zero bucket absorbs the buckets below it', () => {
    const h = newNativeIncrement(0);
    observeNative(h, 0.3); // bucket -1 (0.25, 0.5]
    observeNative(h, 0.7); // bucket 0 (0.5, 1]
    observeNative(h, 3);
    widenZeroBucket(h, 0.5);
    assert.equal(h.zeroThreshold, 0.5);
    assert.equal(h.zeroCount, 1);
    widenZeroBucket(h, 0.6); // straddles bucket 0: the threshold moves to its upper bound
    assert.equal(h.zeroThreshold, 1);
    assert.equal(h.zeroCount, 2);
    assert.deepEqual(sorted(h.positive), [[2, 1]]);
  });

  test('cloneNative is deep', () => {
    const h = newNativeIncrement(3);
    observeNative(h, 1, 1, 't');
    const c = cloneNative(h);
    observeNative(c, 1);
    assert.equal(h.positive.get(0), 1);
    assert.equal(c.positive.get(0), 2);
  });
});

describe('span/delta encoding', () => {
  test('gaps of up to two empty buckets are filled, longer gaps start a span', () => {
    const buckets = new Map([
      [-2, 1],
      [-1, 2],
      [2, 3],
      [6, 1],
    ]);
    assert.deepEqual(spansAndDeltas(buckets), {
      spans: [
        { offset: -2, length: 5 },
        { offset: 3, length: 1 },
      ],
      deltas: [1, 1, -2, 0, 3, -2],
    });
  });

  test('one empty bucket gap and consecutive buckets', () => {
    assert.deepEqual(
      spansAndDeltas(
        new Map([
          [5, 4],
          [6, 4],
          [8, 1],
        ]),
      ),
      { spans: [{ offset: 5, length: 4 }], deltas: [4, 0, -4, 1] },
    );
  });

  test('empty map and zero counts give nothing', () => {
    assert.deepEqual(spansAndDeltas(new Map()), { spans: [], deltas: [] });
    assert.deepEqual(spansAndDeltas(new Map([[3, 0]])), { spans: [], deltas: [] });
  });

  test('toNativeSample carries schema, zero bucket and both sides', () => {
    const h = newNativeIncrement(0);
    observeNative(h, 1);
    observeNative(h, 1);
    observeNative(h, 4);
    observeNative(h, -2);
    observeNative(h, 0);
    assert.deepEqual(toNativeSample(h, 1234), {
      count: 5,
      sum: 4,
      schema: 0,
      zeroThreshold: DEFAULT_ZERO_THRESHOLD,
      zeroCount: 1,
      negativeSpans: [{ offset: 1, length: 1 }],
      negativeDeltas: [1],
      positiveSpans: [{ offset: 0, length: 3 }],
      positiveDeltas: [2, -2, 1],
      timestampMs: 1234,
    });
  });
});
