import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEFAULT_ZERO_THRESHOLD,
  NATIVE_BOUNDS,
  bucketIndex,
  bucketUpperBound,
  frexp,
  schemaForFactor,
} from '../../lib/series/native-buckets.ts';

function nextUp(x: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setFloat64(0, x);
  v.setBigUint64(0, v.getBigUint64(0) + 1n);
  return v.getFloat64(0);
}

describe('schemaForFactor (client_golang pickSchema)', () => {
  test('largest resolution whose growth factor is <= the bucket factor, clamped to [-4, 8]', () => {
    assert.equal(schemaForFactor(1.1), 3);
    assert.equal(schemaForFactor(1.0905077326652577), 3); // exactly 2^(1/8)
    assert.equal(schemaForFactor(1.09), 4);
    assert.equal(schemaForFactor(2), 0);
    assert.ok(Object.is(schemaForFactor(2), 0), 'never -0');
    assert.equal(schemaForFactor(1.5), 1);
    assert.equal(schemaForFactor(4), -1);
    assert.equal(schemaForFactor(16), -2);
    assert.equal(schemaForFactor(65536), -4);
    assert.equal(schemaForFactor(1e10), -4);
    assert.equal(schemaForFactor(1.0001), 8);
  });
  test('factor <= 1 is rejected', () => {
    assert.throws(() => schemaForFactor(1), /bucket factor must be > 1/);
  });
});

describe('bound tables', () => {
  test('equal client_golang bit for bit (not the correctly rounded values)', () => {
    assert.deepEqual(NATIVE_BOUNDS[1], [0.5, 0.7071067811865475]);
    assert.deepEqual(
      NATIVE_BOUNDS[3],
      [
        0.5, 0.5452538663326288, 0.5946035575013605, 0.6484197773255048, 0.7071067811865475, 0.7711054127039704,
        0.8408964152537144, 0.9170040432046711,
      ],
    );
    assert.equal(NATIVE_BOUNDS[8].length, 256);
    assert.equal(NATIVE_BOUNDS[8][1], 0.5013556375251013);
    assert.equal(NATIVE_BOUNDS[8][101], 0.6572577939746774);
    assert.equal(NATIVE_BOUNDS[8][255], 0.9972960560854698);
    assert.equal(NATIVE_BOUNDS[7][127], 0.9945994234836328);
  });
});

describe('frexp', () => {
  test('frac in [0.5, 1) like Go math.Frexp, subnormals included', () => {
    assert.deepEqual(frexp(1), [0.5, 1]);
    assert.deepEqual(frexp(3), [0.75, 2]);
    assert.deepEqual(frexp(0.1), [0.8, -3]);
    assert.deepEqual(frexp(5e-324), [0.5, -1073]);
  });
});

describe('bucketIndex', () => {
  test('schema 0: bucket i covers (2^(i-1), 2^i]; powers of two are upper bounds', () => {
    const cases: [number, number][] = [
      [1, 0],
      [0.75, 0],
      [0.5, -1],
      [1.5, 1],
      [2, 1],
      [3, 2],
      [4, 2],
      [4.000000000000001, 3],
      [1024, 10],
      [DEFAULT_ZERO_THRESHOLD, -128],
    ];
    for (const [v, want] of cases) assert.equal(bucketIndex(v, 0), want, String(v));
  });

  test('schema 3: eight buckets per power of two', () => {
    const cases: [number, number][] = [
      [1, 0],
      [1.05, 1],
      [1.0905077326652577, 1], // upper bound of bucket 1, inclusive
      [1.0905077326652579, 2],
      [2, 8],
      [3, 13], // 2^(12/8) = 2.83 < 3 <= 2^(13/8) = 3.08
      [0.5, -8],
      [0.001, -79],
    ];
    for (const [v, want] of cases) assert.equal(bucketIndex(v, 3), want, String(v));
  });

  test('negative schemas merge powers of two', () => {
    assert.equal(bucketIndex(1, -1), 0);
    assert.equal(bucketIndex(3, -1), 1);
    assert.equal(bucketIndex(4, -1), 1);
    assert.equal(bucketIndex(0.3, -1), 0);
    assert.equal(bucketIndex(0.25, -1), -1);
    assert.equal(bucketIndex(65536, -4), 1);
    assert.equal(bucketIndex(65537, -4), 2);
  });

  test('+Inf lands one past the largest finite bucket', () => {
    assert.equal(bucketIndex(Number.MAX_VALUE, 0), 1024);
    assert.equal(bucketIndex(Infinity, 0), 1025);
    assert.equal(bucketIndex(Infinity, 3), bucketIndex(Number.MAX_VALUE, 3) + 1);
  });

  test('every upper bound is inside its bucket and the next double is in the next one', () => {
    for (let schema = -4; schema <= 8; schema++) {
      for (let i = -1000; i <= 1000; i += 7) {
        const upper = bucketUpperBound(i, schema);
        if (!(upper > 0) || !Number.isFinite(upper)) continue;
        assert.equal(bucketIndex(upper, schema), i, `schema ${schema} index ${i}`);
        assert.equal(bucketIndex(nextUp(upper), schema), i + 1, `schema ${schema} above ${i}`);
      }
    }
  });
});
