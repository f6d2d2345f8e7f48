import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeDelta, encodeDelta, sumIncrements, type DeltaContent } from '../../lib/delta/index.ts';
import { seriesKey } from '../../lib/series/labels.ts';
import { Registry } from '../../lib/series/registry.ts';
import type { HistogramIncrement, SeriesIncrement } from '../../lib/series/types.ts';
import { config } from '../series/registry-fixtures.ts';
import { classicPart, deltaOf, labels, nativePart, spanMetricsDelta } from './fixtures.ts';

const A = labels({ service: 'api' });
const B = labels({ service: 'db' });
const c = (value: number, lbls = A, name = 'calls'): SeriesIncrement => ({
  type: 'counter',
  name,
  labels: lbls,
  value,
});

function only(sum: Map<string, Map<string, SeriesIncrement>>, tenant: string, key: string): SeriesIncrement {
  const inc = sum.get(tenant)?.get(key);
  assert.ok(inc !== undefined, `${tenant} ${key}`);
  return inc;
}

describe('sumIncrements', () => {
  test('counters add per tenant and series, in list order (exact float sums)', () => {
    const sum = sumIncrements([
      deltaOf({ t1: [c(0.1), c(5, B)], t2: [c(1)] }),
      deltaOf({ t1: [c(0.2)] }),
      deltaOf({ t1: [c(0.3), c(-0, B)], t2: [c(2)] }),
    ]);
    assert.deepStrictEqual([...sum.keys()], ['t1', 't2']);
    assert.deepStrictEqual([...sum.get('t1')!.keys()], ['calls{service="api"}', 'calls{service="db"}']);
    const api = only(sum, 't1', seriesKey('calls', A));
    assert.ok(
      api.type === 'counter' && Object.is(api.value, 0.1 + 0.2 + 0.3),
      String((api as { value: number }).value),
    );
    assert.deepStrictEqual(only(sum, 't2', seriesKey('calls', A)), c(3));
    assert.deepStrictEqual(only(sum, 't1', seriesKey('calls', B)), c(5, B));
  });

  test('gauges: set overwrites, setIfAbsent only fills a series nothing set before', () => {
    const g = (value: number, mode: 'set' | 'setIfAbsent', name: string): SeriesIncrement => ({
      type: 'gauge',
      name,
      labels: A,
      value,
      mode,
    });
    const sum = sumIncrements([
      deltaOf({ t: [g(1, 'setIfAbsent', 'a'), g(1, 'set', 'b'), g(1, 'setIfAbsent', 'c')] }),
      deltaOf({ t: [g(2, 'setIfAbsent', 'a'), g(2, 'setIfAbsent', 'b'), g(2, 'set', 'c')] }),
      deltaOf({ t: [g(3, 'set', 'b')] }),
    ]);
    assert.deepStrictEqual(only(sum, 't', 'a{service="api"}'), g(1, 'setIfAbsent', 'a'));
    assert.deepStrictEqual(only(sum, 't', 'b{service="api"}'), g(3, 'set', 'b'));
    assert.deepStrictEqual(only(sum, 't', 'c{service="api"}'), g(2, 'set', 'c'));
  });

  test('classic histograms add bucket-wise; the later exemplar wins; new bounds restart the part', () => {
    const h = (classic: HistogramIncrement['classic']): HistogramIncrement => ({
      type: 'histogram',
      name: 'latency',
      labels: A,
      classic,
    });
    const bounds = [0.1, 1];
    const sum = sumIncrements([
      deltaOf({
        t: [
          h(classicPart(bounds, [1, 0, 2], 2.5, { 0: { traceId: 'aa', value: 0.05 }, 2: { traceId: 'bb', value: 2 } })),
        ],
      }),
      deltaOf({ t: [h(classicPart([0.1, 1], [0, 3, 1], 4, { 2: { traceId: 'cc', value: 3 } }))] }),
    ]);
    assert.deepStrictEqual(
      only(sum, 't', 'latency{service="api"}'),
      h({
        bounds,
        counts: [1, 3, 3],
        sum: 6.5,
        count: 7,
        exemplars: [{ traceId: 'aa', value: 0.05 }, undefined, { traceId: 'cc', value: 3 }],
      }),
    );
    const rebucketed = sumIncrements([
      deltaOf({ t: [h(classicPart(bounds, [1, 0, 2], 2.5))] }),
      deltaOf({ t: [h(classicPart([0.5], [4, 0], 1))] }),
    ]);
    assert.deepStrictEqual(only(rebucketed, 't', 'latency{service="api"}'), h(classicPart([0.5], [4, 0], 1)));
  });

  test('native histograms merge at the lower schema, a classic part joins later', () => {
    const fine = nativePart(
      1,
      [
        [3, 1],
        [4, 2],
        [-1, 1],
      ],
      [[2, 5]],
      { sum: 1.25, zeroCount: 1, count: 10 },
    );
    const coarse = nativePart(0, [[2, 7]], [], { sum: 2, count: 7, exemplar: { traceId: 'ab', value: 3.5 } });
    const both: HistogramIncrement = { type: 'histogram', name: 'h', labels: A, native: fine };
    const later: HistogramIncrement = {
      type: 'histogram',
      name: 'h',
      labels: A,
      native: coarse,
      classic: classicPart([1], [0, 7], 2),
    };
    const got = only(sumIncrements([deltaOf({ t: [both] }), deltaOf({ t: [later] })]), 't', 'h{service="api"}');
    assert.ok(got.type === 'histogram');
    // schema 1 -> 0: index i becomes ceil(i / 2): 3 -> 2, 4 -> 2, -1 -> 0 (never -0); negative 2 -> 1
    assert.deepStrictEqual(got.native, {
      schema: 0,
      zeroThreshold: 2 ** -128,
      zeroCount: 1,
      positive: new Map([
        [2, 1 + 2 + 7],
        [0, 1],
      ]),
      negative: new Map([[1, 5]]),
      count: 17,
      sum: 3.25,
      exemplar: { traceId: 'ab', value: 3.5 },
    });
    assert.deepStrictEqual(got.classic, classicPart([1], [0, 7], 2));
  });

  test('the input is never changed', () => {
    const deltas = [
      spanMetricsDelta({ series: 30, mode: 'both', seed: 4 }),
      spanMetricsDelta({ series: 30, mode: 'both', seed: 4 }),
    ];
    const before = deltas.map((d) => decodeDelta(encodeDelta(d)));
    const sum = sumIncrements(deltas);
    assert.deepStrictEqual(deltas, before);
    // summing twice the same delta doubles every counter
    const calls = deltas[0].tenants[0].increments[0];
    const summed = sum.get('single-tenant')!.get(seriesKey(calls.name, calls.labels))!;
    assert.ok(calls.type === 'counter' && summed.type === 'counter');
    assert.equal(summed.value, calls.value * 2);
  });

  test('a series whose type changes between deltas is an error naming it', () => {
    const g: SeriesIncrement = { type: 'gauge', name: 'calls', labels: A, value: 1, mode: 'set' };
    assert.throws(
      () => sumIncrements([deltaOf({ t: [c(1)] }), deltaOf({ t: [g] })]),
      /tenant t series calls\{service="api"\}: a gauge increment after a counter/,
    );
  });

  for (const mode of ['classic', 'both'] as const) {
    test(`folding the sums gives the registry the same series as folding each decoded delta (${mode})`, () => {
      const d1 = spanMetricsDelta({ series: 200, seed: 11, mode });
      const d2 = spanMetricsDelta({ series: 200, seed: 12, mode });
      const deltas: DeltaContent[] = [d1, d2, d1, d2].map((d) => decodeDelta(encodeDelta(d)));
      const now = Date.UTC(2025, 0, 1);
      const cfg = config({}, { maxBucketNumber: 0 }); // no native resets: those depend on batch boundaries
      const oneByOne = new Registry(cfg);
      for (const d of deltas) oneByOne.apply(d.tenants[0].increments, now);
      const summed = new Registry(cfg);
      summed.apply([...sumIncrements(deltas).get('single-tenant')!.values()], now);
      const sorted = (r: Registry) =>
        r.peek().sort((a, b) => (JSON.stringify(a.labels) < JSON.stringify(b.labels) ? -1 : 1));
      assert.deepStrictEqual(sorted(summed), sorted(oneByOne));
      assert.equal(summed.size, oneByOne.size);
      assert.ok(summed.size > 600 && summed.size < 1200, `${summed.size} series: the two seeds share a few tuples`);
    });
  }
});
