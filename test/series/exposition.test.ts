import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { formatExposition, formatValue } from '../../lib/series/exposition.ts';
import { Registry } from '../../lib/series/registry.ts';
import { config, counter, gauge, histogram, TV1_LABELS } from './registry-fixtures.ts';

const T = Date.UTC(2024, 0, 1, 12, 30, 15, 250);

describe('formatValue (client_golang text format)', () => {
  test('shortest round-trip digits, Go g-format exponents', () => {
    assert.equal(formatValue(0.000068), '6.8e-05');
    assert.equal(formatValue(1e21), '1e+21');
    assert.equal(formatValue(10), '10');
    assert.equal(formatValue(0.045), '0.045');
    assert.equal(formatValue(1e6), '1e+06');
    assert.equal(formatValue(-0), '0');
    assert.equal(formatValue(Infinity), '+Inf');
    assert.equal(formatValue(-Infinity), '-Inf');
    assert.equal(formatValue(NaN), 'NaN');
  });
});

describe('formatExposition', () => {
  test('TV1-style output: sorted lines, le among sorted labels, no timestamps or initial zeros', () => {
    const r = new Registry(config());
    const labels = TV1_LABELS;
    r.apply(
      [
        counter('traces_spanmetrics_calls_total', labels, 10),
        histogram(
          'traces_spanmetrics_latency',
          labels,
          { bounds: [0.5, 1] },
          Array.from({ length: 10 }, () => ({ value: 1 })),
        ),
      ],
      T,
    );
    const l = 'service="test-service",span_kind="SPAN_KIND_CLIENT",span_name="test",status_code="STATUS_CODE_OK"';
    assert.equal(
      formatExposition(r),
      [
        `traces_spanmetrics_calls_total{${l}} 10`,
        `traces_spanmetrics_latency_bucket{le="+Inf",${l}} 10`,
        `traces_spanmetrics_latency_bucket{le="0.5",${l}} 0`,
        `traces_spanmetrics_latency_bucket{le="1",${l}} 10`,
        `traces_spanmetrics_latency_count{${l}} 10`,
        `traces_spanmetrics_latency_sum{${l}} 10`,
        '',
      ].join('\n'),
    );
  });

  test('label values are escaped; series without labels have no braces', () => {
    const r = new Registry(config());
    r.apply([gauge('g', { v: 'a\\b"c\nd' }, 0.000068), counter('plain', {}, 1e21)], T);
    assert.equal(formatExposition(r), 'g{v="a\\\\b\\"c\\nd"} 6.8e-05\nplain 1e+21\n');
  });

  test('external labels and inject_tenant_id_as appear, overriding series labels', () => {
    const r = new Registry(config({ externalLabels: { cluster: 'c1' }, injectTenantIdAs: 'tenant' }, {}, 'acme'));
    r.apply([counter('x', { cluster: 'mine', a: '1' }, 2)], T);
    assert.equal(formatExposition(r), 'x{a="1",cluster="c1",tenant="acme"} 2\n');
  });

  test('native-only histograms print as _count and _sum (the text format has no native buckets)', () => {
    const r = new Registry(config());
    r.apply([histogram('lat', { s: 'a' }, { nativeSchema: 3 }, [{ value: 0.045 }, { value: 0.0098816 }])], T);
    assert.equal(formatExposition(r), 'lat_count{s="a"} 2\nlat_sum{s="a"} 0.0548816\n');
  });

  test('mode both prints the classic series once (no duplicate _count/_sum from the native part)', () => {
    const r = new Registry(config());
    r.apply([histogram('lat', {}, { bounds: [1], nativeSchema: 3 }, [{ value: 2 }])], T);
    assert.equal(
      formatExposition(r),
      ['lat_bucket{le="+Inf"} 1', 'lat_bucket{le="1"} 0', 'lat_count 1', 'lat_sum 2', ''].join('\n'),
    );
  });

  test('from collected series: the value after the initial zero is printed', () => {
    const r = new Registry(config());
    r.apply([counter('c', { a: 'x' }, 3)], T);
    const collected = r.collect(T);
    assert.equal(collected[0].samples.length, 2);
    assert.equal(formatExposition(collected), 'c{a="x"} 3\n');
  });

  test('an empty registry prints nothing', () => {
    assert.equal(formatExposition(new Registry(config())), '');
  });
});
