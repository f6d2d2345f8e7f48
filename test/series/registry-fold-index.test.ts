// The registry finds series through a label-set index, one lookup per label array and batch (the
// delta decoder shares one array among the metrics of a label set). These pin what a user sees
// through it: the same label set is one series whatever array carries it, and series removed,
// restored or created within a batch are found again.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../lib/series/registry.ts';
import type { SeriesIncrement } from '../../lib/series/types.ts';
import { config, histogram, lbls, samplesById } from './registry-fixtures.ts';

const T = Date.UTC(2024, 0, 1, 12, 30, 15, 250);
const BOUNDS = [0.1, 1];

function values(r: Registry): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, samples] of Object.entries(samplesById(r.peek()))) out[id] = samples[samples.length - 1][1];
  return out;
}

describe('registry fold through the label-set index', () => {
  test('one label set is one series whether its increments share a label array or not', () => {
    const r = new Registry(config());
    const shared = lbls({ service: 'a', span_name: 'op' });
    const copy = lbls({ service: 'a', span_name: 'op' });
    const batch: SeriesIncrement[] = [
      { type: 'counter', name: 'calls_total', labels: shared, value: 1 },
      {
        ...histogram('latency', { service: 'a', span_name: 'op' }, { bounds: BOUNDS }, [{ value: 0.05 }]),
        labels: shared,
      },
      { type: 'counter', name: 'calls_total', labels: shared, value: 2 }, // created earlier in this batch
      { type: 'counter', name: 'calls_total', labels: copy, value: 4 },
      { type: 'counter', name: 'size_total', labels: copy, value: 10 },
    ];
    r.apply(batch, T);
    r.apply([{ type: 'counter', name: 'calls_total', labels: lbls({ service: 'a', span_name: 'op' }), value: 8 }], T);
    assert.equal(r.size, 3);
    const v = values(r);
    assert.equal(v['calls_total{service="a",span_name="op"}'], 15);
    assert.equal(v['size_total{service="a",span_name="op"}'], 10);
    assert.equal(v['latency_count{service="a",span_name="op"}'], 1);
  });

  test('a series removed as stale is created afresh by a later batch, its siblings kept', () => {
    const r = new Registry(config({ staleDurationMs: 60_000 }));
    const labels = lbls({ service: 'a' });
    r.apply([{ type: 'counter', name: 'calls_total', labels, value: 5 }], T);
    r.apply([{ type: 'counter', name: 'size_total', labels: lbls({ service: 'a' }), value: 7 }], T + 50_000);
    const removed = r.removeStale(T + 90_000);
    assert.deepEqual(
      removed.map((s) => s.key),
      ['calls_total{service="a"}'],
    );
    r.apply([{ type: 'counter', name: 'calls_total', labels: lbls({ service: 'a' }), value: 1 }], T + 95_000);
    assert.equal(r.size, 2);
    assert.deepEqual(values(r), { 'calls_total{service="a"}': 1, 'size_total{service="a"}': 7 });
  });

  test('series restored from a snapshot are found by the next batch', () => {
    const a = new Registry(config());
    a.apply([{ type: 'counter', name: 'calls_total', labels: lbls({ service: 'a' }), value: 3 }], T);
    const b = new Registry(config(), a.snapshot());
    b.apply([{ type: 'counter', name: 'calls_total', labels: lbls({ service: 'a' }), value: 4 }], T + 1000);
    assert.equal(b.size, 1);
    assert.deepEqual(values(b), { 'calls_total{service="a"}': 7 });
  });

  test('with the per-label limit on, equal label sets in different arrays meet in one limited series', () => {
    const r = new Registry(config({ maxCardinalityPerLabel: 1 }));
    r.apply([{ type: 'counter', name: 'calls_total', labels: lbls({ span_name: 'first' }), value: 1 }], T);
    const second = lbls({ span_name: 'second' });
    r.apply(
      [
        { type: 'counter', name: 'calls_total', labels: second, value: 2 },
        { type: 'counter', name: 'calls_total', labels: lbls({ span_name: 'second' }), value: 3 },
        { type: 'counter', name: 'calls_total', labels: lbls({ span_name: 'third' }), value: 4 },
      ],
      T,
    );
    assert.deepEqual(values(r), {
      'calls_total{span_name="first"}': 1,
      'calls_total{span_name="__cardinality_overflow__"}': 9,
    });
  });
});
