import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloatPlain } from '../../lib/decode/format-float.ts';

test('formats like Go FormatFloat(v, f, -1, 64)', () => {
  const cases: [number, string][] = [
    [0, '0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [0.1, '0.1'],
    [1e21, '1000000000000000000000'],
    [1.5e22, '15000000000000000000000'],
    [1e-7, '0.0000001'],
    [-1.25e-9, '-0.00000000125'],
    [123456.789, '123456.789'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
    [NaN, 'NaN'],
  ];
  for (const [v, s] of cases) assert.equal(formatFloatPlain(v), s, `value ${v}`);
});
