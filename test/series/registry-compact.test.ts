// The registry holds its series compactly (pending exemplars packed, series grouped by label set,
// entities counted on the label set): what a user sees must not change with it.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../lib/series/registry.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { config, counter, histogram, id } from './registry-fixtures.ts';

const T = Date.UTC(2024, 0, 1, 12, 30, 15, 250);
const MIN = 60_000;
const bounds = [1, 2, 3, 4, 5, 6, 7];

function exemplarsById(series: readonly CollectedSeries[]): Record<string, [string, number]> {
  const out: Record<string, [string, number]> = {};
  for (const s of series) for (const e of s.exemplars) out[id(s)] = [e.labels[0].value, e.value];
  return out;
}

describe('pending exemplars', () => {
  test('every trace id spelling comes back exactly, each on its own bucket', () => {
    const ids = [
      '0af7651916cd43dd8448eb211c80319c',
      '00000000000000000000000000000001',
      'ffffffffffffffffffffffffffffffff',
      'ABCDEF0123456789ABCDEF0123456789', // upper case: not the decoders' spelling, kept as text
      '0af7651916cd43dd8448eb211c80319', // 31 digits
      'gggggggggggggggggggggggggggggggg', // 32 characters, not hex
      '0000000000000000000000000000000000000000', // 40 digits
      'ab',
    ];
    const r = new Registry(config());
    r.apply(
      [
        histogram(
          'h',
          { a: '1' },
          { bounds },
          ids.map((traceId, i) => ({ value: i + 0.5, traceId })),
        ),
      ],
      T,
    );
    const want: Record<string, [string, number]> = {};
    for (const [i, traceId] of ids.entries()) {
      want[`h_bucket{a="1",le="${i < bounds.length ? bounds[i] : '+Inf'}"}`] = [traceId, i + 0.5];
    }
    assert.deepEqual(exemplarsById(r.collect(T)), want);
  });

  test("a later exemplar replaces its bucket's pending one whatever the spellings; a collection clears them all", () => {
    const r = new Registry(config());
    const fold = (traceId: string, value: number) => r.apply([histogram('h', {}, { bounds }, [{ value, traceId }])], T);
    fold('text-id-1', 0.5);
    fold('1111111111111111111111111111111a', 0.6);
    fold('text-id-2', 0.7);
    fold('2222222222222222222222222222222b', 2.5); // another bucket
    fold('text-id-3', 0.8);
    fold('text-id-4', 0.9);
    assert.deepEqual(exemplarsById(r.collect(T)), {
      'h_bucket{le="1"}': ['text-id-4', 0.9],
      'h_bucket{le="3"}': ['2222222222222222222222222222222b', 2.5],
    });
    assert.deepEqual(exemplarsById(r.collect(T + 15_000)), {});
    fold('3333333333333333333333333333333c', 4.5);
    assert.deepEqual(exemplarsById(r.collect(T + 30_000)), {
      'h_bucket{le="5"}': ['3333333333333333333333333333333c', 4.5],
    });
  });

  test('bucket counts reconfigured: pending exemplars of the old buckets are dropped, not moved', () => {
    const r = new Registry(config());
    r.apply([histogram('h', {}, { bounds: [1, 2] }, [{ value: 1.5, traceId: 'aa' }])], T);
    r.apply([histogram('h', {}, { bounds: [1, 2, 3] }, [{ value: 0.5 }])], T);
    assert.deepEqual(exemplarsById(r.collect(T)), {});
  });
});

describe('series grouped by label set', () => {
  test('entity limiter: a label set stays counted while any of its series lives, and frees its slot with the last', () => {
    const r = new Registry(config({ limiterType: 'entity', maxActiveEntities: 1, staleDurationMs: 5 * MIN }));
    r.apply([counter('calls', { svc: 'a' }, 1), histogram('latency', { svc: 'a' }, { bounds }, [{ value: 1 }])], T);
    r.apply([histogram('latency', { svc: 'a' }, { bounds }, [{ value: 1 }])], T + 4 * MIN);
    r.removeStale(T + 6 * MIN); // calls is stale, latency is not
    assert.equal(r.cardinality.limits.activeEntities, 1);
    r.apply([counter('calls', { svc: 'b' }, 1)], T + 6 * MIN);
    assert.ok(
      r.peek().some((s) => id(s) === 'calls{metric_overflow="true"}'),
      'a second label set is refused while the first lives',
    );
    r.removeStale(T + 10 * MIN); // latency of a and the overflow series are stale now
    assert.equal(r.cardinality.limits.activeEntities, 0);
    r.apply([counter('calls', { svc: 'b' }, 1)], T + 10 * MIN);
    assert.ok(
      r.peek().some((s) => id(s) === 'calls{svc="b"}'),
      'admitted once the first label set is gone',
    );
    assert.equal(r.cardinality.limits.activeEntities, 1);
  });

  test('a series re-created in a label set that kept others is found and folded again', () => {
    const r = new Registry(config({ staleDurationMs: 5 * MIN }));
    r.apply([counter('calls', { svc: 'a' }, 1), counter('size', { svc: 'a' }, 10)], T);
    r.apply([counter('size', { svc: 'a' }, 10)], T + 4 * MIN);
    const removed = r.removeStale(T + 6 * MIN);
    assert.deepEqual(
      removed.map((s) => s.key),
      ['calls{svc="a"}'],
    );
    assert.deepEqual(removed[0].labels, [{ name: 'svc', value: 'a' }]);
    r.apply([counter('calls', { svc: 'a' }, 2), counter('calls', { svc: 'a' }, 3)], T + 6 * MIN);
    assert.equal(r.size, 2);
    const values = Object.fromEntries(r.peek().map((s) => [id(s), s.samples[0].value]));
    assert.deepEqual(values, { 'calls{svc="a"}': 5, 'size{svc="a"}': 20 });
  });

  test('a restored registry collects the same series in the same order', () => {
    const r = new Registry(config());
    r.apply([counter('calls', { svc: 'b' }, 1), counter('calls', { svc: 'a' }, 1)], T);
    r.apply([counter('size', { svc: 'b' }, 1), counter('calls', { svc: 'c' }, 1), counter('size', { svc: 'a' }, 1)], T);
    const restored = new Registry(config(), JSON.parse(JSON.stringify(r.snapshot())));
    assert.deepEqual(restored.collect(T + 1000).map(id), r.collect(T + 1000).map(id));
  });
});
