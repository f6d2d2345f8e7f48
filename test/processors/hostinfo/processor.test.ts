import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../lib/config/index.ts';
import { TraceDecoder } from '../../../lib/decode/trace-decoder.ts';
import { IngestStats } from '../../../lib/pipeline/ingest-stats.ts';
import { HostInfoProcessor } from '../../../lib/processors/hostinfo/processor.ts';
import { seriesKey } from '../../../lib/series/labels.ts';
import type { SeriesIncrement } from '../../../lib/series/types.ts';
import {
  buildResourceSpans,
  encodeTracesData,
  int,
  type Attributes,
  type ResourceSpansSpec,
} from '../../../testing/build.ts';

function processor(hostInfo = '') {
  const tenant = parseConfig(`
metrics_generator:
  processor:
    host_info:
${hostInfo.replace(/^/gm, '      ')}
overrides: {defaults: {metrics_generator: {processors: [host-info]}}}
`).tenant('t');
  const stats = new IngestStats();
  return { p: new HostInfoProcessor(tenant, stats), stats };
}

function push(p: HostInfoProcessor, ...resources: ResourceSpansSpec[]): void {
  p.pushTrace(new TraceDecoder().decode(encodeTracesData(...resources.map(buildResourceSpans))));
}

/** A resource with one span (or none) and these attributes. */
const res = (resource: Attributes, spans = 1): ResourceSpansSpec => ({
  resource,
  spans: Array.from({ length: spans }, () => ({})),
});

function drained(p: HostInfoProcessor): string[] {
  const out: SeriesIncrement[] = [];
  p.drain(out);
  for (const inc of out) {
    assert.equal(inc.type, 'gauge');
    assert.equal(inc.value, 1);
    assert.equal((inc as { mode: string }).mode, 'set');
  }
  return out.map((i) => seriesKey(i.name, i.labels));
}

const host = (id: string, source: string, name = 'traces_host_info') =>
  seriesKey(name, [
    { name: 'grafana_host_id', value: id },
    { name: 'host_source', value: source },
  ]);

test('config order decides, not attribute order: k8s.node.name beats host.id by default', () => {
  const { p } = processor();
  push(p, res({ 'host.id': 'h-1', 'k8s.node.name': 'node-1' }), res({ 'host.id': 'h-2' }));
  assert.deepEqual(drained(p), [host('node-1', 'k8s.node.name'), host('h-2', 'host.id')]);
});

test('non-string and empty values are skipped, also for a later attribute with the same key', () => {
  const { p } = processor();
  push(
    p,
    res({ 'k8s.node.name': int(7), 'host.id': 'h-1' }),
    res({ 'k8s.node.name': '', 'host.id': true }),
    res([
      ['host.id', ''],
      ['host.id', 'h-3'],
    ]),
  );
  assert.deepEqual(drained(p), [host('h-1', 'host.id'), host('h-3', 'host.id')]);
});

test('one increment per distinct host per batch, resources without spans included', () => {
  const { p } = processor();
  push(p, res({ 'host.id': 'h-1' }, 0), res({ 'host.id': 'h-1' }, 3), res({ 'service.name': 'no-host' }));
  push(p, res({ 'host.id': 'h-1' }));
  assert.deepEqual(drained(p), [host('h-1', 'host.id')]);
  assert.deepEqual(drained(p), []);
  push(p, res({ 'host.id': 'h-1' }));
  assert.deepEqual(drained(p), [host('h-1', 'host.id')]);
});

test('metric_name and host_identifiers from config', () => {
  const { p } = processor('metric_name: my_host_info\nhost_identifiers: [host.name, host.id]');
  push(p, res({ 'host.id': 'h-1', 'host.name': 'box' }), res({ 'host.id': 'h-2' }), res({ 'k8s.node.name': 'n' }));
  assert.deepEqual(drained(p), [host('box', 'host.name', 'my_host_info'), host('h-2', 'host.id', 'my_host_info')]);
});

test('invalid UTF-8 in the host id discards it, per resource', () => {
  const { p, stats } = processor();
  const bytes = encodeTracesData(
    ...[res({ 'host.id': 'bad\u0001' }), res({ 'host.id': 'bad\u0001' }), res({ 'host.id': 'ok' })].map(
      buildResourceSpans,
    ),
  );
  let i = -1;
  while ((i = Buffer.from(bytes).indexOf(Buffer.from('bad\u0001'), i + 1)) >= 0) bytes[i + 3] = 0xff;
  p.pushTrace(new TraceDecoder().decode(bytes));
  assert.deepEqual(drained(p), [host('ok', 'host.id')]);
  assert.equal(stats.discarded('invalid_utf8', 'host-info'), 2);
});
