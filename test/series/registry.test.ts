import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../lib/series/registry.ts';
import { isStaleNaN } from '../../lib/series/stale.ts';
import { config, counter, gauge, histogram, id, samplesById, TV1_LABELS } from './registry-fixtures.ts';

const T = Date.UTC(2024, 0, 1, 12, 30, 15, 250); // a collection time
const T0 = Date.UTC(2024, 0, 1, 12, 29, 59, 0); // start of T's minute - 1 s
const MIN = 60_000;
const T2 = T + 15_000; // the next collection

/** TV7's second batch (value-2 again, a new value-3), folded 1 s before T2 and collected at T2. */
function secondBatch(r: Registry): Record<string, [number, number][]> {
  r.apply([counter('my_counter', { label: 'value-2' }, 2), counter('my_counter', { label: 'value-3' }, 3)], T2 - 1000);
  return samplesById(r.collect(T2));
}

describe('counters (TV7)', () => {
  test('initial zero at the end of the previous minute, then cumulative values', () => {
    const r = new Registry(config());
    r.apply([counter('my_counter', { label: 'value-1' }, 1), counter('my_counter', { label: 'value-2' }, 2)], T - 5000);
    assert.deepEqual(samplesById(r.collect(T)), {
      'my_counter{label="value-1"}': [
        [T0, 0],
        [T, 1],
      ],
      'my_counter{label="value-2"}': [
        [T0, 0],
        [T, 2],
      ],
    });

    const T20 = Date.UTC(2024, 0, 1, 12, 29, 59, 0); // T2 = 12:30:30.250: same minute
    assert.deepEqual(secondBatch(r), {
      'my_counter{label="value-1"}': [[T2, 1]],
      'my_counter{label="value-2"}': [[T2, 4]],
      'my_counter{label="value-3"}': [
        [T20, 0],
        [T2, 3],
      ],
    });
  });

  test('over max_active_series a new series goes to {metric_overflow="true"}', () => {
    const r = new Registry(config({ maxActiveSeries: 2 }));
    r.apply([counter('my_counter', { label: 'value-1' }, 1), counter('my_counter', { label: 'value-2' }, 2)], T - 5000);
    r.collect(T);
    assert.deepEqual(secondBatch(r), {
      'my_counter{label="value-1"}': [[T2, 1]],
      'my_counter{label="value-2"}': [[T2, 4]],
      'my_counter{metric_overflow="true"}': [
        [T0, 0],
        [T2, 3],
      ],
    });
    assert.equal(r.seriesLimitedTotal, 1);
    assert.equal(r.activeSeries, 2);
    // more refused series keep landing on the same overflow series, each counted
    r.apply([counter('my_counter', { label: 'value-4' }, 4), counter('my_counter', { label: 'value-3' }, 1)], T2);
    assert.deepEqual(samplesById(r.collect(T2 + 15_000))['my_counter{metric_overflow="true"}'], [[T2 + 15_000, 8]]);
    assert.equal(r.seriesLimitedTotal, 3);
    assert.equal(r.size, 3);
  });

  test('negative increments are a programming error naming the series', () => {
    const r = new Registry(config());
    assert.throws(() => r.apply([counter('c', { a: 'b' }, -1)], T), /counter c\{a="b"\}: increment must be >= 0/);
  });

  test('type conflicts name the series', () => {
    const r = new Registry(config());
    r.apply([counter('c', {}, 1)], T);
    assert.throws(() => r.apply([gauge('c', {}, 1)], T), /series c\{\}: got a gauge increment for a counter series/);
  });

  test('one timestamp per collection, strictly increasing even if the clock is not', () => {
    const r = new Registry(config());
    r.apply([counter('c', {}, 1)], T);
    r.collect(T);
    const again = r.collect(T);
    assert.deepEqual(samplesById(again), { c: [[T + 1, 1]] });
    assert.equal(r.lastSentMs, T + 1);
  });
});

describe('classic histograms', () => {
  const bounds = [0.5, 1];

  test('TV1: ten 1 s spans into buckets [0.5, 1] (le is inclusive)', () => {
    const r = new Registry(config());
    const labels = TV1_LABELS;
    const obs = Array.from({ length: 10 }, () => ({ value: 1 }));
    r.apply(
      [
        counter('traces_spanmetrics_calls_total', labels, 10),
        histogram('traces_spanmetrics_latency', labels, { bounds }, obs),
      ],
      T,
    );
    const got = samplesById(r.collect(T));
    const l = 'service="test-service",span_kind="SPAN_KIND_CLIENT",span_name="test",status_code="STATUS_CODE_OK"';
    assert.deepEqual(got, {
      [`traces_spanmetrics_calls_total{${l}}`]: [
        [T0, 0],
        [T, 10],
      ],
      [`traces_spanmetrics_latency_count{${l}}`]: [
        [T0, 0],
        [T, 10],
      ],
      [`traces_spanmetrics_latency_sum{${l}}`]: [[T, 10]], // no initial zero for _sum
      [`traces_spanmetrics_latency_bucket{le="0.5",${l}}`]: [
        [T0, 0],
        [T, 0],
      ],
      [`traces_spanmetrics_latency_bucket{le="1",${l}}`]: [
        [T0, 0],
        [T, 10],
      ],
      [`traces_spanmetrics_latency_bucket{le="+Inf",${l}}`]: [
        [T0, 0],
        [T, 10],
      ],
    });
  });

  test('buckets are cumulative and le uses the shortest decimal without exponent', () => {
    const r = new Registry(config());
    r.apply(
      [histogram('h', {}, { bounds: [0.002, 1.024, 16.384] }, [{ value: 0.001 }, { value: 2 }, { value: 100 }])],
      T,
    );
    const got = samplesById(r.collect(T));
    assert.deepEqual(got['h_bucket{le="0.002"}'].at(-1), [T, 1]);
    assert.deepEqual(got['h_bucket{le="1.024"}'].at(-1), [T, 1]);
    assert.deepEqual(got['h_bucket{le="16.384"}'].at(-1), [T, 2]);
    assert.deepEqual(got['h_bucket{le="+Inf"}'].at(-1), [T, 3]);
    assert.deepEqual(got.h_sum, [[T, 102.001]]);
  });

  test('exemplars: most recent per bucket, on its _bucket series, sent once', () => {
    const r = new Registry(config({}, {}, 't'));
    r.apply(
      [
        histogram('h', {}, { bounds }, [
          { value: 0.2, traceId: 'aa' },
          { value: 0.3, traceId: 'bb' },
          { value: 5, traceId: '' },
        ]),
      ],
      T,
    );
    r.apply([histogram('h', {}, { bounds }, [{ value: 0.7, traceId: 'cc' }])], T);
    const collected = r.collect(T);
    const ex = Object.fromEntries(collected.filter((s) => s.exemplars.length > 0).map((s) => [id(s), s.exemplars]));
    assert.deepEqual(ex, {
      'h_bucket{le="0.5"}': [{ labels: [{ name: 'traceID', value: 'bb' }], value: 0.3, timestampMs: T }],
      'h_bucket{le="1"}': [{ labels: [{ name: 'traceID', value: 'cc' }], value: 0.7, timestampMs: T }],
    });
    assert.equal(
      r.collect(T + 15_000).some((s) => s.exemplars.length > 0),
      false,
    );
  });

  test('exemplar label name follows trace_id_label_name', () => {
    const r = new Registry({ ...config(), traceIdLabelName: 'trace_id' });
    r.apply([histogram('h', {}, { bounds }, [{ value: 0.2, traceId: 'aa' }])], T);
    const s = r.collect(T).find((x) => x.exemplars.length > 0);
    assert.deepEqual(s?.exemplars[0].labels, [{ name: 'trace_id', value: 'aa' }]);
  });

  test('histogram cost is 2 + buckets incl. +Inf against max_active_series', () => {
    const r = new Registry(config({ maxActiveSeries: 5 }));
    r.apply([histogram('h', { a: '1' }, { bounds }, [{ value: 1 }])], T); // cost 5
    assert.equal(r.activeSeries, 5);
    r.apply([histogram('h', { a: '2' }, { bounds }, [{ value: 1 }])], T);
    assert.equal(r.seriesLimitedTotal, 5);
    const ids = r.collect(T).map(id);
    assert.ok(ids.includes('h_count{metric_overflow="true"}'));
    assert.ok(ids.includes('h_count{a="1"}'));
  });
});

describe('native histograms', () => {
  test('native only: initial empty histogram at T0, then the buckets; exemplar on the series', () => {
    const r = new Registry(config());
    r.apply([histogram('lat', { s: 'a' }, { nativeSchema: 3 }, [{ value: 1 }, { value: 3, traceId: 'ff' }])], T);
    const [s] = r.collect(T);
    assert.equal(id(s), 'lat{s="a"}');
    assert.deepEqual(s.samples, []);
    assert.equal(s.histograms?.length, 2);
    assert.deepEqual(s.histograms?.[0], {
      count: 0,
      sum: 0,
      schema: 3,
      zeroThreshold: 0,
      zeroCount: 0,
      negativeSpans: [],
      negativeDeltas: [],
      positiveSpans: [],
      positiveDeltas: [],
      timestampMs: T0,
    });
    const h = s.histograms?.[1];
    assert.equal(h?.count, 2);
    assert.equal(h?.sum, 4);
    assert.equal(h?.timestampMs, T);
    assert.deepEqual(h?.positiveSpans, [
      { offset: 0, length: 1 },
      { offset: 12, length: 1 },
    ]);
    assert.deepEqual(h?.positiveDeltas, [1, 0]);
    assert.deepEqual(s.exemplars, [{ labels: [{ name: 'traceID', value: 'ff' }], value: 3, timestampMs: T }]);
    assert.equal(r.activeSeries, 1);
    const [next] = r.collect(T + 15_000);
    assert.equal(next.histograms?.length, 1);
    assert.deepEqual(next.exemplars, []);
  });

  test('both: classic series plus the native series; exemplars only on _bucket; cost includes +1', () => {
    const r = new Registry(config());
    r.apply([histogram('lat', {}, { bounds: [1], nativeSchema: 3 }, [{ value: 0.5, traceId: 'ab' }])], T);
    assert.equal(r.activeSeries, 2 + 2 + 1);
    const got = r.collect(T);
    assert.deepEqual(got.map(id).sort(), [
      'lat',
      'lat_bucket{le="+Inf"}',
      'lat_bucket{le="1"}',
      'lat_count',
      'lat_sum',
    ]);
    const withEx = got.filter((s) => s.exemplars.length > 0).map(id);
    assert.deepEqual(withEx, ['lat_bucket{le="1"}']);
  });

  test('buckets over the limit reduce the resolution; the scheduled reset empties classic and native', () => {
    const r = new Registry(config({}, { bucketFactor: 2, maxBucketNumber: 2, minResetDurationMs: 10 * MIN }));
    r.apply([histogram('lat', {}, { bounds: [1], nativeSchema: 0 }, [{ value: 1.5 }, { value: 3 }, { value: 6 }])], T);
    let got = r.collect(T);
    const native = got.find((s) => id(s) === 'lat')?.histograms?.at(-1);
    assert.equal(native?.schema, -1);
    assert.equal(native?.count, 3);
    // ten minutes after creation the scheduled reset runs, like client_golang's timer
    got = r.collect(T + 10 * MIN);
    assert.equal(got.find((s) => id(s) === 'lat')?.histograms?.at(-1)?.count, 0);
    assert.equal(got.find((s) => id(s) === 'lat')?.histograms?.at(-1)?.schema, 0);
    assert.deepEqual(samplesById(got).lat_count, [[T + 10 * MIN, 0]]);
  });
});

describe('histogram resets and reconfiguration', () => {
  test('over the bucket limit after min_reset_duration: both parts restart from the new batch', () => {
    const r = new Registry(config({}, { bucketFactor: 2, maxBucketNumber: 2, minResetDurationMs: 10 * MIN }));
    r.apply([histogram('lat', {}, { bounds: [1], nativeSchema: 0 }, [{ value: 0.5 }, { value: 1.5 }])], T);
    r.collect(T);
    const later = T + 11 * MIN;
    r.apply([histogram('lat', {}, { bounds: [1], nativeSchema: 0 }, [{ value: 6 }, { value: 12 }])], later);
    const got = r.collect(later);
    const native = got.find((s) => id(s) === 'lat')?.histograms;
    assert.equal(native?.length, 1);
    assert.equal(native?.[0].count, 2);
    assert.equal(native?.[0].schema, 0);
    assert.deepEqual(native?.[0].positiveSpans, [{ offset: 3, length: 2 }]);
    const floats = samplesById(got);
    assert.deepEqual(floats.lat_count, [[later, 2]]);
    assert.deepEqual(floats.lat_sum, [[later, 18]]);
    assert.deepEqual(floats['lat_bucket{le="1"}'], [[later, 0]]);
  });

  test('changed classic bounds restart the classic part without a second initial zero', () => {
    const r = new Registry(config());
    r.apply([histogram('h', {}, { bounds: [1] }, [{ value: 0.5 }])], T);
    r.collect(T);
    r.apply([histogram('h', {}, { bounds: [1, 2] }, [{ value: 1.5 }])], T + 1000);
    assert.equal(r.activeSeries, 2 + 3);
    const got = samplesById(r.collect(T + 15_000));
    assert.deepEqual(got.h_count, [[T + 15_000, 1]]);
    assert.deepEqual(got['h_bucket{le="2"}'], [[T + 15_000, 1]]);
    assert.deepEqual(got['h_bucket{le="1"}'], [[T + 15_000, 0]]);
  });
});

describe('gauges', () => {
  test('set overwrites and refreshes; no initial zero', () => {
    const r = new Registry(config());
    r.apply([gauge('g', {}, 5)], T);
    r.apply([gauge('g', {}, 3)], T);
    assert.deepEqual(samplesById(r.collect(T)), { g: [[T, 3]] });
  });

  test('setIfAbsent (target_info) neither overwrites nor refreshes an existing series', () => {
    const stale = 15 * MIN;
    const r = new Registry(config({ staleDurationMs: stale }));
    r.apply([gauge('traces_target_info', { job: 'j' }, 1, 'setIfAbsent')], T);
    r.apply([gauge('traces_target_info', { job: 'j' }, 2, 'setIfAbsent')], T + 10 * MIN);
    assert.deepEqual(samplesById(r.collect(T + 10 * MIN)), { 'traces_target_info{job="j"}': [[T + 10 * MIN, 1]] });
    const removed = r.removeStale(T + stale + 1);
    assert.deepEqual(
      removed.map((x) => x.key),
      ['traces_target_info{job="j"}'],
    );
  });
});

describe('staleness', () => {
  test('series not updated for longer than stale_duration are removed with staleness markers', () => {
    const r = new Registry(config({ staleDurationMs: 15 * MIN }));
    r.apply([counter('c', { a: '1' }, 1), counter('c', { a: '2' }, 1)], T);
    r.collect(T);
    r.apply([counter('c', { a: '2' }, 1)], T + 10 * MIN);
    assert.deepEqual(r.removeStale(T + 15 * MIN), []); // exactly stale_duration: kept
    const removed = r.removeStale(T + 15 * MIN + 1);
    assert.equal(removed.length, 1);
    assert.equal(removed[0].key, 'c{a="1"}');
    assert.equal(removed[0].reason, 'stale');
    const [marker] = removed[0].markers;
    assert.equal(id(marker), 'c{a="1"}');
    assert.equal(marker.samples.length, 1);
    assert.equal(marker.samples[0].timestampMs, T + 15 * MIN + 1);
    assert.equal(marker.samples[0].stale, true);
    assert.ok(isStaleNaN(marker.samples[0].value));
    assert.deepEqual(Object.keys(samplesById(r.collect(T + 16 * MIN))), ['c{a="2"}']);
  });

  test('a histogram gets a marker for every series it sent; unsent series get none', () => {
    const r = new Registry(config({ staleDurationMs: MIN }));
    r.apply([histogram('h', {}, { bounds: [1], nativeSchema: 3 }, [{ value: 1 }])], T);
    r.collect(T);
    r.apply([counter('never_collected', {}, 1)], T);
    const removed = r.removeStale(T + 2 * MIN);
    const byKey = Object.fromEntries(removed.map((x) => [x.key, x.markers.map(id).sort()]));
    assert.deepEqual(byKey, {
      'h{}': ['h', 'h_bucket{le="+Inf"}', 'h_bucket{le="1"}', 'h_count', 'h_sum'],
      'never_collected{}': [],
    });
    assert.equal(r.activeSeries, 0);
  });

  test('a series that comes back restarts with a fresh initial zero, after its marker', () => {
    const r = new Registry(config({ staleDurationMs: MIN }));
    r.apply([counter('c', {}, 5)], T);
    r.collect(T);
    const removedAt = T + 2 * MIN; // 12:32:15.250
    r.removeStale(removedAt);
    // back within the same minute: the end-of-previous-minute zero would precede the marker,
    // so it moves to just after the marker
    r.apply([counter('c', {}, 2)], removedAt + 1000);
    assert.deepEqual(samplesById(r.collect(removedAt + 5000)), {
      c: [
        [removedAt + 1, 0],
        [removedAt + 5000, 2],
      ],
    });
    // back much later: normal T0
    const r2 = new Registry(config({ staleDurationMs: MIN }));
    r2.apply([counter('c', {}, 5)], T);
    r2.collect(T);
    r2.removeStale(T + 2 * MIN);
    const later = T + 10 * MIN;
    r2.apply([counter('c', {}, 2)], later);
    assert.deepEqual(samplesById(r2.collect(later)), {
      c: [
        [T0 + 10 * MIN, 0],
        [later, 2],
      ],
    });
  });

  test('native series built under other native settings are dropped at the next sweep', () => {
    const r = new Registry(config());
    r.apply([histogram('h', {}, { nativeSchema: 3 }, [{ value: 1 }]), counter('c', {}, 1)], T);
    r.setConfig(config({}, { maxBucketNumber: 50 }));
    const removed = r.removeStale(T + 1000);
    assert.deepEqual(
      removed.map((x) => [x.key, x.reason]),
      [['h{}', 'native-config']],
    );
  });
});

describe('labels at collection', () => {
  test('external labels override same-named series labels; inject_tenant_id_as adds the tenant', () => {
    const r = new Registry(
      config(
        { externalLabels: { cluster: 'ext', region: 'eu', dropme: '' }, injectTenantIdAs: '__tenant' },
        {},
        'team-a',
      ),
    );
    r.apply([counter('c', { cluster: 'series', dropme: 'x', service: 's' }, 1)], T);
    const [s] = r.collect(T);
    assert.deepEqual(s.labels, [
      { name: '__name__', value: 'c' },
      { name: '__tenant', value: 'team-a' },
      { name: 'cluster', value: 'ext' },
      { name: 'region', value: 'eu' },
      { name: 'service', value: 's' },
    ]);
  });

  test('the overflow series carries external labels too and no instance label exists', () => {
    const r = new Registry(config({ maxActiveSeries: 1, externalLabels: { env: 'prod' } }));
    r.apply([counter('c', { a: '1' }, 1), counter('c', { a: '2' }, 1)], T);
    const ids = r.collect(T).map(id).sort();
    assert.deepEqual(ids, ['c{a="1",env="prod"}', 'c{env="prod",metric_overflow="true"}']);
    assert.ok(!ids.some((x) => x.includes('__metrics_gen_instance')));
  });
});

describe('disable_collection', () => {
  test('collect returns nothing but series are maintained, zeros kept for later', () => {
    const r = new Registry(config({ disableCollection: true }));
    r.apply([counter('c', {}, 1)], T);
    r.apply([counter('c', {}, 2)], T + 1000);
    assert.deepEqual(r.collect(T + 2000), []);
    assert.deepEqual(r.removeStale(T + 3000), []);
    assert.equal(r.peek().length, 1);
    r.setConfig(config());
    assert.deepEqual(samplesById(r.collect(T + 4000)), {
      c: [
        [T0, 0],
        [T + 4000, 3],
      ],
    });
  });
});

describe('snapshot / restore', () => {
  test('a JSON round trip keeps values, sent zeros, pending exemplars, native state and limits', () => {
    const cfg = config({ maxActiveSeries: 8 });
    const r = new Registry(cfg);
    r.apply(
      [
        counter('c', { a: '1' }, 3),
        histogram('h', {}, { bounds: [1], nativeSchema: 3 }, [{ value: 0.5 }, { value: -2 }]),
        gauge('g', {}, 7),
      ],
      T,
    );
    r.collect(T);
    r.apply([counter('c', { a: '2' }, 1)], T + 1000); // new: zero not sent yet, cost 1 -> limit hit
    r.apply([histogram('h', {}, { bounds: [1], nativeSchema: 3 }, [{ value: 2, traceId: 'ee' }])], T + 1000);
    const snap = JSON.parse(JSON.stringify(r.snapshot()));
    const restored = new Registry(cfg, snap);
    assert.equal(restored.activeSeries, r.activeSeries);
    assert.equal(restored.seriesLimitedTotal, r.seriesLimitedTotal);
    assert.equal(restored.lastSentMs, T);
    // the same samples; the pending exemplar stays behind (saved state holds none)
    const withoutExemplars = (series: ReturnType<Registry['collect']>) => series.map((s) => ({ ...s, exemplars: [] }));
    assert.deepEqual(restored.collect(T2), withoutExemplars(r.collect(T2)));
    const got = samplesById(restored.collect(T2 + 15_000));
    assert.deepEqual(got['c{a="1"}'], [[T2 + 15_000, 3]]); // no second initial zero
    assert.deepEqual(got.h_count, [[T2 + 15_000, 3]]);
  });

  test('saved state holds no exemplars, and a snapshot saved with them still restores them', () => {
    const cfg = config();
    const r = new Registry(cfg);
    r.apply(
      [
        histogram('h', {}, { bounds: [1], nativeSchema: 3 }, [
          { value: 0.5, traceId: 'aa' },
          { value: 2, traceId: 'bb' },
        ]),
      ],
      T,
    );
    const snap = r.snapshot();
    assert.doesNotMatch(JSON.stringify(snap), /exemplar|"aa"|"bb"/);
    // an older snapshot (written with per-bucket exemplars) keeps its pending exemplars
    const old = JSON.parse(JSON.stringify(snap));
    old.series[0].classic.exemplars = [{ traceId: 'aa', value: 0.5 }, null];
    old.series[0].native.exemplar = { traceId: 'bb', value: 2 };
    const exemplars = new Registry(cfg, old)
      .collect(T + 1000)
      .flatMap((s) => s.exemplars.map((e) => e.labels[0]?.value));
    assert.deepEqual(exemplars, ['aa']); // mode both: exemplars go on _bucket only
  });

  test('restore rejects unknown versions', () => {
    const r = new Registry(config());
    assert.throws(() => r.restore({ ...r.snapshot(), version: 2 as 1 }), /unsupported version 2/);
  });
});

describe('malformed increments', () => {
  test('are rejected before a series is created', () => {
    const r = new Registry(config());
    assert.throws(() => r.apply([counter('c', {}, NaN)], T), /counter c\{\}: increment must be >= 0, got NaN/);
    assert.throws(
      () => r.apply([{ type: 'histogram', name: 'h', labels: [] }], T),
      /histogram h\{\}: increment has neither a classic nor a native part/,
    );
    const bad = histogram('h', {}, { bounds: [1] }, []);
    bad.classic!.counts = [0];
    assert.throws(() => r.apply([bad], T), /histogram h\{\}: 1 bucket counts for 1 bounds/);
    assert.equal(r.size, 0);
    assert.equal(r.activeSeries, 0);
  });
});
