// End to end: an endpoint's write_relabel_configs, from the YAML through the remote-write sender
// into a real Prometheus: dropped series never arrive, relabeled ones arrive renamed, and series
// that relabeling made invalid are left out without costing the rest of the request.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config/index.ts';
import { RemoteWriteSender } from '../../lib/flush/remote-sender.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { prometheusSkipReason, startPrometheus, type PrometheusInstance } from '../helpers/prometheus.ts';

const skip = prometheusSkipReason();

describe('write_relabel_configs into a real Prometheus', { skip }, () => {
  let prom: PrometheusInstance;
  before(async () => {
    prom = await startPrometheus();
  });
  after(async () => {
    await prom?.stop();
  });

  test('dropped series never arrive, relabeled ones arrive renamed, invalid results are not sent', async () => {
    const config = parseConfig(`
metrics_generator:
  storage:
    remote_write:
      - url: ${prom.writeUrl}
        name: prom
        write_relabel_configs:
          - source_labels: [__name__]
            regex: traces_spanmetrics_latency_.*
            action: drop
          - source_labels: [__name__]
            regex: traces_spanmetrics_(.*)
            target_label: __name__
            replacement: spans_$1
          - source_labels: [service, span_kind]
            regex: (.+);SPAN_KIND_(.+)
            target_label: role
            replacement: \${1}-\${2}
          - regex: span_kind
            action: labeldrop
          - source_labels: [service]
            regex: nameless
            target_label: __name__
            replacement: ''
          - regex: instance
            action: labeldrop
`);
    const metrics = new MetricsRecorder();
    const sender = new RemoteWriteSender(config, config.remoteWrite, metrics, silentLogger);
    const nowMs = Date.now();
    const series = (labels: Record<string, string>, value: number): CollectedSeries => ({
      labels: Object.entries(labels)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([name, value]) => ({ name, value })),
      samples: [{ value, timestampMs: nowMs }],
      exemplars: [],
    });
    await sender.send(
      'single-tenant',
      [
        series({ __name__: 'traces_spanmetrics_calls_total', service: 'shop', span_kind: 'SPAN_KIND_SERVER' }, 7),
        series({ __name__: 'traces_spanmetrics_latency_count', service: 'shop', span_kind: 'SPAN_KIND_SERVER' }, 3),
        series({ __name__: 'traces_service_graph_request_total', client: 'a', server: 'b' }, 5),
        // relabeling removes __name__: invalid, never sent
        series({ __name__: 'traces_spanmetrics_calls_total', service: 'nameless', span_kind: 'SPAN_KIND_CLIENT' }, 1),
        // two series that become one once "instance" is dropped: only the first is sent
        series({ __name__: 'other_total', instance: 'x' }, 11),
        series({ __name__: 'other_total', instance: 'y' }, 12),
      ],
      nowMs + 20_000,
    );
    assert.equal(metrics.total('RemoteWriteFailures'), 0, 'the request was accepted whole');
    const at = nowMs / 1000;
    assert.deepEqual(await prom.query('spans_calls_total', at), [
      [{ __name__: 'spans_calls_total', service: 'shop', role: 'shop-SERVER' }, '7'],
    ]);
    assert.deepEqual(
      await prom.query('{__name__=~"traces_spanmetrics.*|spans_latency.*"}', at),
      [],
      'dropped and renamed-away series are absent',
    );
    assert.deepEqual(await prom.query('traces_service_graph_request_total', at), [
      [{ __name__: 'traces_service_graph_request_total', client: 'a', server: 'b' }, '5'],
    ]);
    assert.deepEqual(await prom.query('other_total', at), [[{ __name__: 'other_total' }, '11']]);
    assert.deepEqual(await prom.query('{service="nameless"}', at), []);
    assert.equal(metrics.total('SeriesDroppedByRelabel'), 1);
    assert.equal(metrics.total('SeriesDroppedInvalid'), 2, 'one without __name__, one collision');
  });
});
