// End to end: Kafka-shaped records through the ingest handler into the embedded DynamoDB, the
// flusher folds them and remote-writes to a real Prometheus, and PromQL reads back exact values.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config/index.ts';
import type { Flusher } from '../../lib/flush/flusher.ts';
import { RemoteWriteSender } from '../../lib/flush/remote-sender.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../../lib/ingest/msk-event.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { createTable } from '../../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../../lib/store/tables.ts';
import { buildResourceSpans, encodePushBytesRequest, encodeTempoTrace, type SpanSpec } from '../../testing/build.ts';
import { Clock } from '../helpers/clock.ts';
import { InjectedCrash } from '../helpers/crash.ts';
import { CallFaults } from '../helpers/fault-store.ts';
import { eventOf, startStore, testContext } from '../helpers/ingest-harness.ts';
import { prometheusSkipReason, startPrometheus, type PrometheusInstance } from '../helpers/prometheus.ts';
import { flusherOn } from '../flush/flusher-harness.ts';

const skip = prometheusSkipReason();

const CONFIG = parseConfig(`
metrics_generator:
  registry:
    inject_tenant_id_as: tenant
    stale_duration: 1m
  processor:
    span_metrics:
      histogram_buckets: [0.1, 1]
overrides:
  '*':
    metrics_generator:
      processors: [span-metrics-count]
  team-classic:
    metrics_generator:
      processors: [span-metrics]
  team-native:
    metrics_generator:
      processors: [span-metrics]
      generate_native_histograms: native
`);

describe('remote write to a real Prometheus', { skip }, async () => {
  let prom: PrometheusInstance;
  const store = await startStore();
  before(async () => {
    prom = await startPrometheus();
    await createTable(store.client, DELTAS_TABLE, 'e2e-deltas');
    await createTable(store.client, SERIES_TABLE, 'e2e-series');
  });
  after(async () => {
    await prom?.stop();
    await store.close();
  });

  // Prometheus keeps recent data only: run the simulated clock over the last few minutes.
  const start = Math.floor(Date.now() / 1000) * 1000 - 10 * 60_000;
  const clock = new Clock(start);
  const startNs = BigInt(start) * 1_000_000n;

  function record(tenant: string, offset: number, spans: SpanSpec[]): KafkaEventRecord {
    const value = encodePushBytesRequest([
      encodeTempoTrace(buildResourceSpans({ resource: { 'service.name': 'shop' }, spans })),
    ]);
    return {
      topic: 'e2e',
      partition: 0,
      offset,
      timestamp: start,
      key: Buffer.from(tenant).toString('base64'),
      value: Buffer.from(value).toString('base64'),
    };
  }
  const span = (name: string, ms: number, status = 1): SpanSpec => ({
    name,
    kind: 2,
    startNs,
    endNs: startNs + BigInt(ms) * 1_000_000n,
    status: { code: status },
  });

  function flusher(
    metrics = new MetricsRecorder(),
    tables = { deltas: 'e2e-deltas', series: 'e2e-series' },
    ddb = store.ddb,
  ): Flusher {
    const sender = new RemoteWriteSender(
      CONFIG,
      [{ url: prom.writeUrl, headers: {}, remoteTimeoutMs: 10_000, maxSamplesPerSend: 50 }],
      metrics,
      silentLogger,
      { now: clock.read },
    );
    return flusherOn(ddb, tables, sender, clock, { metrics }, CONFIG);
  }

  /** [le or span_name, value] of each result series. */
  const values = async (expr: string, atMs: number) =>
    (await prom.query(expr, atMs / 1000)).map(([m, v]) => [m.le ?? m.span_name ?? '', Number(v)]);

  test('exact call counts, classic buckets and native histogram counts read back with PromQL', async () => {
    const ctx = { ...testContext(store.ddb, { config: CONFIG }), table: 'e2e-deltas', nowMs: () => start };
    await ingestEvent(
      ctx,
      eventOf([
        record('team-classic', 0, [span('GET /a', 50), span('GET /a', 500), span('GET /b', 20, 2)]),
        record('team-native', 1, [span('GET /n', 5), span('GET /n', 7), span('GET /n', 3000)]),
        record('team-classic', 2, [span('GET /a', 2000)]),
      ]),
    );
    const metrics = new MetricsRecorder();
    await flusher(metrics).run(clock.now + 35_000);
    assert.equal(metrics.total('RemoteWriteFailures'), 0);
    const at = clock.now;
    assert.deepEqual(await values('sort_desc(traces_spanmetrics_calls_total{tenant="team-classic"})', at), [
      ['GET /a', 3],
      ['GET /b', 1],
    ]);
    assert.deepEqual(
      (await values('traces_spanmetrics_latency_bucket{tenant="team-classic",span_name="GET /a"}', at)).sort(),
      [
        ['+Inf', 3],
        ['0.1', 1],
        ['1', 2],
      ],
    );
    assert.deepEqual(await values('histogram_count(traces_spanmetrics_latency{tenant="team-native"})', at), [
      ['GET /n', 3],
    ]);
    const [[, sum]] = await values('histogram_sum(traces_spanmetrics_latency{tenant="team-native"})', at);
    assert.ok(Math.abs((sum as number) - 3.012) < 1e-9, `sum ${sum}`);
    // one of three observations is above 1 s: the native buckets say so too
    const [[, above]] = await values(
      'histogram_fraction(1, +Inf, traces_spanmetrics_latency{tenant="team-native"})',
      at,
    );
    assert.ok(Math.abs((above as number) - 1 / 3) < 1e-9, `fraction ${above}`);
    assert.deepEqual(await values('traces_spanmetrics_calls_total{tenant="team-native"}', at), [['GET /n', 3]]);
  });

  test('an idle series goes stale: a staleness marker ends it', async () => {
    const before = clock.now;
    // 6 minutes later nothing new has arrived: past stale_duration (1m) and the 5-minute sweep
    clock.now += 6 * 60_000;
    const metrics = new MetricsRecorder();
    await flusher(metrics).run(clock.now + 1_000);
    assert.ok(metrics.total('SeriesRemoved') > 0);
    const marker = clock.now;
    // within the 5-minute lookback the series would still show without a marker
    assert.equal((await values('traces_spanmetrics_calls_total{tenant="team-classic"}', marker + 1000)).length, 0);
    assert.equal((await values('traces_spanmetrics_calls_total{tenant="team-classic"}', before)).length, 2);
  });

  test('flusher killed at every DynamoDB call of a save and restarted: Prometheus ends with the fault-free values, nothing rejected', async () => {
    const t0 = clock.now + 60_000;
    /** One run of the scenario under tenant `tenant`: ingest, run, crash in save at call k (0 = none), restart, ingest, run. */
    const scenario = async (tenant: string, k: number): Promise<{ saveCalls: number; failures: number }> => {
      const tables = { deltas: `d-${tenant}`, series: `s-${tenant}` };
      await createTable(store.client, DELTAS_TABLE, tables.deltas);
      await createTable(store.client, SERIES_TABLE, tables.series);
      clock.now = t0;
      const ctx = { ...testContext(store.ddb, { config: CONFIG }), table: tables.deltas, nowMs: () => start };
      const rec = (offset: number, n: number) =>
        record(
          tenant,
          offset,
          Array.from({ length: n }, (_, i) => span(`op-${i % 3}`, 10 * i)),
        );
      await ingestEvent(ctx, eventOf([rec(0, 5), rec(1, 4)]));
      const metrics = new MetricsRecorder();
      const faults = new CallFaults(k > 0 ? { k, when: 'before' } : undefined);
      faults.armed = false;
      const first = flusher(metrics, tables, faults.ddb(store.ddb));
      await first.run(clock.now + 20_000, { persist: false });
      faults.armed = true;
      let saveCalls = 0;
      if (k > 0) await assert.rejects(first.save(), InjectedCrash);
      else {
        await first.save();
        saveCalls = faults.calls;
      }
      clock.now += 5_000;
      await ingestEvent(ctx, eventOf([rec(2, 6)]));
      const restarted = flusher(metrics, tables);
      await restarted.run(clock.now + 20_000);
      return { saveCalls, failures: metrics.total('RemoteWriteFailures') };
    };
    const reference = await scenario('ref', 0);
    assert.equal(reference.failures, 0);
    assert.ok(reference.saveCalls >= 2);
    const at = clock.now;
    const expected = await values('sort(traces_spanmetrics_calls_total{tenant="ref"})', at);
    assert.equal(
      expected.reduce((n, [, v]) => n + (v as number), 0),
      15,
    );
    for (let k = 1; k <= reference.saveCalls; k++) {
      const tenant = `crash-${k}`;
      const { failures } = await scenario(tenant, k);
      assert.equal(failures, 0, `k=${k}: a remote-write request was rejected`);
      assert.deepEqual(
        await values(`sort(traces_spanmetrics_calls_total{tenant="${tenant}"})`, clock.now),
        expected,
        `k=${k}`,
      );
    }
  });
});
