// Tempo 3's cardinality keys: where Tempo accepts them, with its defaults and fallbacks
// (Tempo: modules/generator/config.go LimiterType, modules/overrides/runtime_config_overrides.go).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertConfigError, load, withGlobal, withOverride } from './helpers.ts';

describe('cardinality keys', () => {
  test('defaults: series limiter, no sanitization, no per-label limit, no entity limit', () => {
    const r = withOverride({}).tenant('t').registry;
    assert.equal(r.limiterType, 'series');
    assert.equal(r.spanNameSanitization, '');
    assert.equal(r.maxCardinalityPerLabel, 0);
    assert.equal(r.maxActiveEntities, 0);
  });

  test('limiter_type: entity with max_active_entities', () => {
    const cfg = load(
      'metrics_generator: {limiter_type: entity}\noverrides: {defaults: {metrics_generator: {max_active_entities: 5000}}}',
    );
    assert.equal(cfg.tenant('t').registry.limiterType, 'entity');
    assert.equal(cfg.tenant('t').registry.maxActiveEntities, 5000);
    assert.equal(withGlobal({ limiter_type: 'series' }).tenant('t').registry.limiterType, 'series');
  });

  test('span_name_sanitization and max_cardinality_per_label per tenant', () => {
    for (const mode of ['dry_run', 'enabled'] as const) {
      assert.equal(withOverride({ span_name_sanitization: mode }).tenant('t').registry.spanNameSanitization, mode);
    }
    assert.equal(withOverride({ max_cardinality_per_label: 500 }).tenant('t').registry.maxCardinalityPerLabel, 500);
  });

  test('a tenant entry without span_name_sanitization falls back to the defaults entry (Tempo does for this key)', () => {
    const cfg = load(
      'overrides:\n  defaults: {metrics_generator: {span_name_sanitization: enabled, max_cardinality_per_label: 7}}\n  tenant-a: {metrics_generator: {processors: [span-metrics]}}',
    );
    assert.equal(cfg.tenant('tenant-a').registry.spanNameSanitization, 'enabled');
    // max_cardinality_per_label has no such fallback: the entry replaces the defaults as a whole.
    assert.equal(cfg.tenant('tenant-a').registry.maxCardinalityPerLabel, 0);
  });

  test('bad values name the key', () => {
    assertConfigError(
      'overrides: {defaults: {metrics_generator: {span_name_sanitization: drop}}}',
      'overrides.defaults.metrics_generator.span_name_sanitization: must be one of',
    );
    assertConfigError(
      'overrides: {defaults: {metrics_generator: {max_cardinality_per_label: -1}}}',
      'overrides.defaults.metrics_generator.max_cardinality_per_label:',
    );
    assertConfigError(
      'overrides: {defaults: {metrics_generator: {max_active_entities: 1.5}}}',
      'overrides.defaults.metrics_generator.max_active_entities:',
    );
    assertConfigError(
      'metrics_generator: {limiter_type: entities}',
      'metrics_generator.limiter_type: must be one of series, entity',
    );
  });
});
