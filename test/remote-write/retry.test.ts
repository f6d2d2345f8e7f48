import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, isRetryableStatus, parseRetryAfter, retryDelay } from '../../lib/remote-write/retry.ts';

describe('retry policy', () => {
  test('5xx and 429 are retried, other statuses not', () => {
    assert.deepEqual([500, 502, 503, 599, 429].map(isRetryableStatus), [true, true, true, true, true]);
    assert.deepEqual([400, 401, 404, 413, 200, 308].map(isRetryableStatus), [false, false, false, false, false, false]);
  });

  test('backoff caps grow exponentially up to the maximum; the wait is between half the cap and the cap', () => {
    const b = { minMs: 30, maxMs: 5000 };
    assert.deepEqual(
      [0, 1, 2, 3, 10, 100].map((r) => backoffDelay(r, b, () => 0.999999)),
      [29, 59, 119, 239, 4999, 4999],
    );
    assert.deepEqual(
      [0, 5, 100].map((r) => backoffDelay(r, b, () => 0)),
      [15, 480, 2500],
      'never zero, even when the random source says 0',
    );
    assert.equal(
      backoffDelay(2, b, () => 0.5),
      90,
    );
  });

  test('a Retry-After shorter than the backoff (0 included) does not shorten the wait; a longer one is honoured', () => {
    const b = { minMs: 30, maxMs: 5000 };
    assert.equal(
      retryDelay(0, 0, b, () => 0),
      15,
    );
    assert.equal(
      retryDelay(5, 0, b, () => 0),
      480,
    );
    assert.equal(
      retryDelay(0, undefined, b, () => 0),
      15,
    );
    assert.equal(
      retryDelay(0, 1000, b, () => 0),
      1000,
    );
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    assert.equal(parseRetryAfter('1', now), 1000);
    assert.equal(parseRetryAfter(' 120 ', now), 120_000);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 12:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 01 May 2024 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter(null, now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('-5', now), undefined);
    assert.equal(parseRetryAfter('1.5', now), undefined);
  });
});
