// Processor-name rules (Tempo: modules/generator/instance.go updateSubprocessors), through the resolved tenant config.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { load } from './helpers.ts';

function tenantWith(processors: string[], warnings: string[] = [], global = '') {
  return load(
    `${global}\noverrides: {defaults: {metrics_generator: {processors: ${JSON.stringify(processors)}}}}`,
    warnings,
  ).tenant('t');
}

describe('span metrics', () => {
  test('span-metrics alone turns on all three', () => {
    assert.deepEqual(tenantWith(['span-metrics']).spanMetrics?.subprocessors, {
      count: true,
      latency: true,
      size: true,
    });
  });
  test('sub-names alone turn on only themselves', () => {
    assert.deepEqual(tenantWith(['span-metrics-count']).spanMetrics?.subprocessors, {
      count: true,
      latency: false,
      size: false,
    });
    assert.deepEqual(tenantWith(['span-metrics-latency', 'span-metrics-size']).spanMetrics?.subprocessors, {
      count: false,
      latency: true,
      size: true,
    });
  });
  test('span-metrics wins over sub-names', () => {
    assert.deepEqual(tenantWith(['span-metrics-size', 'span-metrics']).spanMetrics?.subprocessors, {
      count: true,
      latency: true,
      size: true,
    });
  });
  test('configured buckets hold with only sub-names (deliberate difference from Tempo)', () => {
    const t = tenantWith(
      ['span-metrics-latency'],
      [],
      'metrics_generator: {processor: {span_metrics: {histogram_buckets: [0.5, 1]}}}',
    );
    assert.deepEqual(t.spanMetrics?.histogramBuckets, [0.5, 1]);
  });
  test('processors keeps the raw valid names', () => {
    assert.deepEqual(
      [...tenantWith(['span-metrics-count', 'host-info']).processors],
      ['span-metrics-count', 'host-info'],
    );
  });
});

describe('service graphs', () => {
  test('service-graphs means request + latency', () => {
    assert.deepEqual(tenantWith(['service-graphs']).serviceGraphs?.subprocessors, {
      request: true,
      latency: true,
      connectionInfo: false,
    });
  });
  test('service-graphs + connection-info adds connection info', () => {
    assert.deepEqual(tenantWith(['service-graphs', 'service-graphs-connection-info']).serviceGraphs?.subprocessors, {
      request: true,
      latency: true,
      connectionInfo: true,
    });
  });
  test('sub-names alone turn on only themselves', () => {
    assert.deepEqual(tenantWith(['service-graphs-connection-info']).serviceGraphs?.subprocessors, {
      request: false,
      latency: false,
      connectionInfo: true,
    });
    assert.deepEqual(tenantWith(['service-graphs-request']).serviceGraphs?.subprocessors, {
      request: true,
      latency: false,
      connectionInfo: false,
    });
    assert.deepEqual(tenantWith(['service-graphs-latency']).serviceGraphs?.subprocessors, {
      request: false,
      latency: true,
      connectionInfo: false,
    });
  });
  test('bare service-graphs wins over request/latency sub-names', () => {
    assert.deepEqual(tenantWith(['service-graphs-request', 'service-graphs']).serviceGraphs?.subprocessors, {
      request: true,
      latency: true,
      connectionInfo: false,
    });
  });
});

describe('host info and unknown names', () => {
  test('host-info', () => {
    const t = tenantWith(['host-info']);
    assert.ok(t.hostInfo);
    assert.equal(t.spanMetrics, undefined);
    assert.equal(t.serviceGraphs, undefined);
  });

  test('unknown names are ignored with one warning each, naming the key', () => {
    const warnings: string[] = [];
    const t = tenantWith(['span-metrics', 'local-blocks', 'spanmetrics'], warnings);
    assert.deepEqual([...t.processors], ['span-metrics']);
    assert.equal(warnings.length, 2);
    assert.match(
      warnings[0],
      /^overrides\.defaults\.metrics_generator\.processors: processor "local-blocks" ignored \(TraceQL metrics and Traces Drilldown are served by Tempo's live-store/,
    );
    assert.match(warnings[1], /"spanmetrics"/);
  });

  test('warnings are given once at load, not per tenant lookup', () => {
    const warnings: string[] = [];
    const c = load('overrides: {defaults: {metrics_generator: {processors: [nope]}}}', warnings);
    c.tenant('a');
    c.tenant('b');
    assert.equal(warnings.length, 1);
  });

  test('an empty list means no metrics', () => {
    const t = tenantWith([]);
    assert.equal(t.spanMetrics, undefined);
    assert.equal(t.serviceGraphs, undefined);
    assert.equal(t.hostInfo, undefined);
  });
});
