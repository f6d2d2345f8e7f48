// The Grafana dashboard in dashboards/ against real data: local mode with demo traffic
// remote-writes its generated series and its self-metrics into a real Prometheus, then every
// panel's PromQL (template variables substituted as Grafana would with "All" selected) must
// return data.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoTraces } from '../../lib/local/demo-traffic.ts';
import type { LocalMode } from '../../lib/local/local-mode.ts';
import { prometheusSkipReason, startPrometheus, type PrometheusInstance } from '../helpers/prometheus.ts';
import { startTestLocalMode } from '../helpers/local-mode.ts';

/** A reference to a Grafana dashboard variable, as panels write it: a dollar sign and the name in braces. */
const grafanaVariable = (name: string) => '$' + `{${name}}`;

const skip = prometheusSkipReason();
const DASHBOARD = new URL('../../dashboards/msk-metrics-generator.json', import.meta.url);
const RUN_MS = 12_000;

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly datasource?: { uid: string };
  readonly targets?: { expr: string }[];
}

/** What Grafana substitutes with "All" selected for the multi-value variables, and the rate window. */
function substitute(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$tenant', '.*').replaceAll('$service', '.*');
}

describe('Grafana dashboard queries against local mode data in Prometheus', { skip }, () => {
  let prom: PrometheusInstance;
  let local: LocalMode | undefined;

  before(async () => {
    prom = await startPrometheus();
  });
  after(async () => {
    await local?.stop();
    await prom?.stop();
  });

  test('the dashboard imports as is: datasource is a template variable, every panel uses it', () => {
    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as {
      templating: { list: { name: string; type: string }[] };
      panels: Panel[];
    };
    assert.ok(d.templating.list.some((v) => v.name === 'datasource' && v.type === 'datasource'));
    for (const p of d.panels.filter((x) => x.type !== 'row'))
      assert.equal(p.datasource?.uid, grafanaVariable('datasource'), p.title);
  });

  test('every panel query returns data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dash-'));
    const configFile = join(dir, 'config.yaml');
    writeFileSync(
      configFile,
      [
        'metrics_generator:',
        '  registry:',
        '    collection_interval: 1s',
        '  self_monitoring:',
        '    external_labels: {cluster: e2e, namespace: tempo, container: metrics-generator}',
        'overrides:',
        '  defaults:',
        '    metrics_generator:',
        '      processors: [span-metrics, service-graphs]',
        '      max_active_series: 100000',
        '',
      ].join('\n'),
    );
    local = await startTestLocalMode({
      configFile,
      demo: true,
      partitions: 2,
      batchWindowMs: 200,
      topic: 'local-traces',
      env: { REMOTE_WRITE_URL: prom.writeUrl },
    });
    // Traces an hour old: outside the ingestion slack, so they are discarded (and counted).
    const old = demoTraces(3, Date.now() - 3600_000).map((t) => t.trace);
    const res = await fetch(`http://127.0.0.1:${local.port}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.concat(old),
    });
    assert.ok(res.ok, `receiver answered ${res.status}`);
    await new Promise((r) => setTimeout(r, RUN_MS));
    await local.stop();
    local = undefined;

    const d = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[] };
    const at = Date.now() / 1000;
    const empty: string[] = [];
    let queries = 0;
    for (const p of d.panels) {
      for (const t of p.targets ?? []) {
        const expr = substitute(t.expr);
        assert.ok(!expr.includes('$'), `unsubstituted variable in ${p.title}: ${expr}`);
        queries++;
        const rows = await prom.query(expr, at);
        if (rows.length === 0) empty.push(`${p.title}: ${expr}`);
      }
    }
    assert.ok(queries >= 15);
    assert.deepEqual(empty, [], 'panel queries without data');
    // the labels the mixin's alerts select on arrive with the self-metrics
    const lag = await prom.query(
      'tempo_ingest_group_partition_lag_seconds{namespace="tempo", container="metrics-generator"}',
      at,
    );
    assert.ok(lag.length > 0);
  });
});
