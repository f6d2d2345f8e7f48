import { test } from 'node:test';
import assert from 'node:assert/strict';
import { multiplierFromTraceState } from '../../lib/processors/multiplier.ts';

test('threshold gives 1 / probability', () => {
  assert.equal(multiplierFromTraceState('ot=th:0'), 1); // always sample
  assert.equal(multiplierFromTraceState('ot=th:8'), 2); // 50%
  assert.equal(multiplierFromTraceState('ot=th:c'), 4); // 25%
  assert.equal(multiplierFromTraceState('vendor=x,ot=th:c;foo:bar'), 4);
  assert.equal(multiplierFromTraceState(' ot=th:c ,vendor=x'), 0); // blank before the comma makes it invalid
});

test('no usable ot entry gives 0 (caller falls back)', () => {
  for (const ts of [
    '',
    'vendor=value',
    'ot=rv:00000000000000',
    'ot=th:zz',
    'ot=th:123456789abcdef0',
    'ot=th:8;rv:123',
  ]) {
    assert.equal(multiplierFromTraceState(ts), 0, ts);
  }
});

test('a fractional count is rounded with the randomness value', () => {
  // th:55555555555555... -> probability 2/3 -> adjusted count 1.5
  const th = 'th:55555555555555';
  assert.equal(multiplierFromTraceState(`ot=${th}`), 1.5);
  // r = top 53 bits of rv / 2^53; r < 0.5 rounds up, r >= 0.5 rounds down
  assert.equal(multiplierFromTraceState(`ot=${th};rv:00000000000000`), 2);
  assert.equal(multiplierFromTraceState(`ot=${th};rv:ffffffffffffff`), 1);
  assert.equal(multiplierFromTraceState(`ot=th:8;rv:ffffffffffffff`), 2); // integral counts are unchanged
});
