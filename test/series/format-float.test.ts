import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloatF, formatFloatG } from '../../lib/series/format-float.ts';

test("formatFloatG matches Go FormatFloat(v, 'g', -1, 64)", () => {
  const cases: [number, string][] = [
    [10, '10'],
    [0.045, '0.045'],
    [0.000068, '6.8e-05'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1e21, '1e+21'],
    [100000, '100000'],
    [123456, '123456'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [0.0098816, '0.0098816'],
    [-2.5, '-2.5'],
    [0.30000000000000004, '0.30000000000000004'],
    [1.5e-300, '1.5e-300'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0, '0'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ];
  for (const [v, want] of cases) assert.equal(formatFloatG(v), want, String(v));
});

test("formatFloatF matches Go FormatFloat(v, 'f', -1, 64) (le labels)", () => {
  const cases: [number, string][] = [
    [0.002, '0.002'],
    [1.024, '1.024'],
    [16.384, '16.384'],
    [1, '1'],
    [0.5, '0.5'],
    [1e21, '1000000000000000000000'],
    [1e-7, '0.0000001'],
    [Infinity, '+Inf'],
  ];
  for (const [v, want] of cases) assert.equal(formatFloatF(v), want, String(v));
});
