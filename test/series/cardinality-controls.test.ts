// Registry-level behaviour of the cardinality controls over several folds (what one replay batch
// cannot show), their state across a save and restore, and their self-metrics.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { Registry } from '../../lib/series/registry.ts';
import { publishRegistryMetrics } from '../../lib/series/registry-self-metrics.ts';
import { counter, config } from './registry-fixtures.ts';

const T0 = 1_700_000_000_000;
const MIN = 60_000;
const names = (r: Registry) =>
  r
    .peek()
    .map((s) => s.labels.find((l) => l.name === 'span_name' || l.name === 'metric_overflow')?.value)
    .sort();
const calls = (spanName: string, value = 1) => counter('calls', { service: 'svc', span_name: spanName }, value);

describe('per-label limit over time (Tempo: registry/per_label_limiter.go)', () => {
  test('while over the limit every value of the label is replaced, also ones seen before', () => {
    const r = new Registry(config({ maxCardinalityPerLabel: 2 }));
    r.apply([calls('a'), calls('b')], T0);
    r.apply([calls('c')], T0 + 1000);
    r.apply([calls('a', 5)], T0 + 2000);
    const values = new Map(
      r.peek().map((s) => [s.labels.find((l) => l.name === 'span_name')?.value, s.samples[0].value]),
    );
    assert.deepEqual(Object.fromEntries(values), { a: 1, b: 1, __cardinality_overflow__: 6 });
  });

  test('the estimate forgets values after stale_duration (sliding window of 5-minute sketches)', () => {
    const r = new Registry(config({ maxCardinalityPerLabel: 2 }));
    r.apply([calls('a'), calls('b'), calls('c')], T0);
    // 15m window / 5m sketches = 4 sketches; after 4 steps a, b and c are out of the window.
    for (let i = 1; i <= 4; i++) {
      r.apply([calls('d')], T0 + i * 5 * MIN - 1);
      r.removeStale(T0 + i * 5 * MIN);
    }
    r.apply([calls('e')], T0 + 21 * MIN);
    assert.ok(names(r).includes('e'), `names: ${names(r).join(',')}`);
  });

  test('the estimates and Drain clusters survive a save and restore', () => {
    const cfg = config({ maxCardinalityPerLabel: 2, spanNameSanitization: 'enabled' });
    const r = new Registry(cfg);
    r.apply([calls('GET /u/1'), calls('GET /u/2')], T0);
    const restored = new Registry(cfg, JSON.parse(JSON.stringify(r.snapshot())));
    restored.apply([calls('GET /u/3'), calls('POST /x')], T0 + 1000);
    // /u/3 joins the restored cluster (GET /u/<_>); POST /x is a third span_name value.
    assert.deepEqual(names(restored), ['GET /u/1', 'GET /u/<_>', '__cardinality_overflow__'].sort());
  });
});

test('turning a control off drops its saved state', () => {
  const on = config({ maxCardinalityPerLabel: 2, spanNameSanitization: 'enabled' });
  const r = new Registry(on);
  r.apply([calls('GET /u/1')], T0);
  const saved = r.snapshot();
  assert.ok(saved.cardinality !== undefined);
  r.setConfig(config());
  assert.equal(r.snapshot().cardinality, undefined);
  // State saved while on, loaded with the controls off.
  assert.equal(new Registry(config(), saved).snapshot().cardinality, undefined);
});

describe('entity limiter over time (Tempo: localentitylimiter/local_entity_limiter.go)', () => {
  test('an entity whose series all went stale frees its place', () => {
    const r = new Registry(config({ limiterType: 'entity', maxActiveEntities: 1, staleDurationMs: 5 * MIN }));
    r.apply([calls('a'), counter('size', { service: 'svc', span_name: 'a' }, 10)], T0);
    r.apply([calls('b')], T0 + 1000);
    assert.deepEqual(names(r), ['a', 'a', 'true']);
    r.apply([calls('a')], T0 + 4 * MIN); // calls{a} stays, size{a} goes stale: entity a remains
    r.removeStale(T0 + 6 * MIN);
    r.apply([calls('b')], T0 + 6 * MIN);
    assert.deepEqual(names(r), ['a', 'true']);
    r.removeStale(T0 + 10 * MIN); // now calls{a} is stale too
    r.apply([calls('b')], T0 + 10 * MIN + 1);
    assert.deepEqual(names(r), ['b', 'true']); // b has its own series; the overflow series is not stale yet
  });
});

describe('self-metrics (EMF names of Tempo registry metrics)', () => {
  test('entity limiter: limited, added, active, max, demand estimates', () => {
    const r = new Registry(config({ limiterType: 'entity', maxActiveEntities: 2 }));
    r.apply(
      [
        calls('a'),
        counter('size', { service: 'svc', span_name: 'a' }, 1),
        calls('b'),
        calls('c'),
        calls('d'),
        calls('c'),
      ],
      T0,
    );
    const m = new MetricsRecorder();
    publishRegistryMetrics('t1', r, m);
    const d = { tenant: 't1' };
    assert.equal(m.get('RegistryEntitiesLimited', d), 3); // c, d, and c again (OnAdd is asked each time)
    assert.equal(m.get('RegistryEntitiesAdded', d), 2);
    assert.equal(m.get('RegistryActiveEntities', d), 2);
    assert.equal(m.get('RegistryMaxActiveEntities', d), 2);
    assert.equal(m.get('RegistryEntityDemandEstimate', d), 4); // a, b, c, d as if unlimited
    assert.equal(m.get('RegistryActiveSeriesDemandEstimate', d), 5); // calls: a-d, size: a
    assert.equal(m.get('RegistrySeriesLimited', d), 0);
    // Counters are published once.
    const again = new MetricsRecorder();
    publishRegistryMetrics('t1', r, again);
    assert.equal(again.get('RegistryEntitiesLimited', d), 0);
  });

  test('series limiter: limited by cost, active series', () => {
    const r = new Registry(config({ maxActiveSeries: 1 }));
    r.apply([calls('a'), calls('b'), calls('c')], T0);
    const m = new MetricsRecorder();
    publishRegistryMetrics('t1', r, m);
    assert.equal(m.get('RegistrySeriesLimited', { tenant: 't1' }), 2);
    assert.equal(m.get('RegistrySeriesAdded', { tenant: 't1' }), 1);
    assert.equal(m.get('RegistryActiveSeries', { tenant: 't1' }), 1);
    assert.equal(m.get('RegistryMaxActiveSeries', { tenant: 't1' }), 1);
  });

  test('sanitization and per-label limit counters', () => {
    const r = new Registry(config({ spanNameSanitization: 'dry_run', maxCardinalityPerLabel: 1 }));
    r.apply([calls('GET /u/1'), calls('GET /u/2'), calls('GET /u/3')], T0);
    const m = new MetricsRecorder();
    publishRegistryMetrics('t1', r, m);
    const d = { tenant: 't1' };
    assert.equal(m.get('RegistrySpansSanitized', d), 2); // /u/2 and /u/3 map to GET /u/<_>
    assert.equal(m.get('RegistryPostSanitizationDemandEstimate', d), 2); // {GET /u/1}, {GET /u/<_>}
    assert.equal(m.get('RegistryDrainPatternsDetected', d), 1);
    // dry_run keeps the names, so span_name has 3 values against a limit of 1.
    assert.equal(m.get('RegistryLabelValuesLimited', { tenant: 't1', label_name: 'span_name' }), 2);
    assert.equal(m.get('RegistryLabelCardinalityDemandEstimate', { tenant: 't1', label_name: 'span_name' }), 3);
    assert.equal(m.get('RegistryLabelCardinalityDemandEstimate', { tenant: 't1', label_name: 'service' }), 1);
  });
});
