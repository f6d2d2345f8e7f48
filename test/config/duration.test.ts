import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDurationMs, parseGoDuration, parsePrometheusDuration } from '../../lib/config/duration.ts';

describe('parseGoDuration', () => {
  test('accepts what Go time.ParseDuration accepts', () => {
    const cases: [string, number][] = [
      ['15s', 15_000],
      ['1m30s', 90_000],
      ['500ms', 500],
      ['1h', 3_600_000],
      ['1.5h', 5_400_000],
      ['.5s', 500],
      ['1.s', 1000],
      ['0', 0],
      ['-1m', -60_000],
      ['+2s', 2000],
      ['300us', 0.3],
      ['300µs', 0.3],
      ['300μs', 0.3],
      ['1000000ns', 1],
      ['2h45m0.5s', 9_900_500],
      ['15m0s', 900_000],
    ];
    for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, text);
  });

  test('rejects what Go rejects', () => {
    for (const text of ['', '1', '15', 's', '.s', '1d', '1e3s', '15 s', '1x', '--1s', '1s2']) {
      assert.equal(parseGoDuration(text), undefined, text);
    }
  });

  test('the int64 nanosecond limit is exact, as in Go: one nanosecond more overflows', () => {
    // time.Duration(1<<63 - 1) is 2562047h47m16.854775807s; Go accepts -1<<63 but not +1<<63.
    assert.equal(parseGoDuration('2562047h47m16.854775807s'), Number(9223372036854775807n) / 1e6);
    assert.equal(parseGoDuration('9223372036854775807ns'), Number(9223372036854775807n) / 1e6);
    assert.equal(parseGoDuration('2562047h47m16.854775808s'), undefined);
    assert.equal(parseGoDuration('9223372036854775808ns'), undefined);
    assert.equal(parseGoDuration('-9223372036854775808ns'), -Number(9223372036854775808n) / 1e6);
    assert.equal(parseGoDuration('-9223372036854775809ns'), undefined);
    assert.equal(parseGoDuration('99999999999999999999h'), undefined);
  });

  test('fractions are truncated to whole nanoseconds, as in Go', () => {
    assert.equal(parseGoDuration('1.0000000009s'), 1000);
    assert.equal(parseGoDuration('0.5ns'), 0);
    assert.equal(parseGoDuration('1.5us'), 0.0015);
  });
});

describe('parsePrometheusDuration', () => {
  test('accepts day/week/year units but no fractions', () => {
    assert.equal(parsePrometheusDuration('30s'), 30_000);
    assert.equal(parsePrometheusDuration('1d'), 86_400_000);
    assert.equal(parsePrometheusDuration('1w2d'), 9 * 86_400_000);
    assert.equal(parsePrometheusDuration('1m30s100ms'), 90_100);
    assert.equal(parsePrometheusDuration('0'), 0);
    assert.equal(parsePrometheusDuration('1.5s'), undefined);
    assert.equal(parsePrometheusDuration(''), undefined);
    assert.equal(parsePrometheusDuration('30s1m'), undefined);
  });
});

test('formatDurationMs prints like Go', () => {
  assert.equal(formatDurationMs(0), '0s');
  assert.equal(formatDurationMs(500), '500ms');
  assert.equal(formatDurationMs(15_000), '15s');
  assert.equal(formatDurationMs(90_000), '1m30s');
  assert.equal(formatDurationMs(43_200_000), '12h0m0s');
});
