import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config/index.ts';
import { ConfigError } from '../../lib/config/errors.ts';
import type { Flusher, SeriesSender } from '../../lib/flush/flusher.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import type { SendResult } from '../../lib/remote-write/result.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { SelfMonitor } from '../../lib/self-monitoring/monitor.ts';
import * as N from '../../lib/self-monitoring/names.ts';
import type { Ddb } from '../../lib/store/ddb.ts';
import { Clock } from '../helpers/clock.ts';
import { eventOf, makeRecords, startStore, testContext, RECORD_TIME_MS } from '../helpers/ingest-harness.ts';
import { flusherOn, freshTables, type Tables } from '../flush/flusher-harness.ts';

/** Keeps the latest sample of every self-metric and checks timestamps only ever increase. */
class SelfSink {
  readonly last = new Map<string, { labels: Record<string, string>; t: number; v: number }>();
  /** The first value sent of every series. */
  readonly first = new Map<string, number>();
  async send(_tenant: string, series: readonly CollectedSeries[]): Promise<void> {
    for (const s of series) {
      const labels = Object.fromEntries(s.labels.map((l) => [l.name, l.value]));
      const id = JSON.stringify(labels);
      const p = s.samples[0];
      const prev = this.last.get(id);
      assert.ok(prev === undefined || p.timestampMs > prev.t, `out of order: ${id}`);
      this.last.set(id, { labels, t: p.timestampMs, v: p.value });
      if (!this.first.has(id)) this.first.set(id, p.value);
    }
  }
  sum(name: string, match: Record<string, string> = {}): number {
    let n = 0;
    for (const { labels, v } of this.last.values()) {
      if (labels.__name__ === name && Object.entries(match).every(([k, x]) => labels[k] === x)) n += v;
    }
    return n;
  }
  has(name: string): boolean {
    return [...this.last.values()].some((e) => e.labels.__name__ === name);
  }
}

const nullSender: SeriesSender = { send: async () => {} };

describe('self-monitoring', async () => {
  const store = await startStore();
  after(() => store.close());
  const tables = () => freshTables(store.client, 'sm');

  function flusher(ddb: Ddb, t: Tables, sink: SelfSink, clock: Clock): Flusher {
    const selfMonitor = new SelfMonitor({
      ddb,
      seriesTable: t.series,
      sender: sink,
      tenant: 'ops',
      externalLabels: { cluster: 'test' },
      log: silentLogger,
    });
    return flusherOn(ddb, t, nullSender, clock, { selfMonitor });
  }

  /** Ingests `count` records on two partitions; returns the spans the ingest counted. */
  async function ingest(t: { deltas: string }, from: number, count: number): Promise<number> {
    const ctx = { ...testContext(store.ddb), table: t.deltas };
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, from, count), makeRecords('traces', 1, from, count)));
    return ctx.metrics.total('Spans');
  }

  test('spans_received_total counts every folded span once across invocations and a crash before the save', async () => {
    const t = await tables();
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const first = await ingest(t, 0, 20);
    const a = new SelfSink();
    await flusher(store.ddb, t, a, clock).run(clock.now + 20_000);
    assert.ok(first > 0);
    assert.equal(a.sum(N.SPANS_RECEIVED), first);

    // A fresh container folds more, sends, then dies before its save: its counts were sent...
    const second = await ingest(t, 20, 10);
    const crashed = new SelfSink();
    await flusher(store.ddb, t, crashed, clock).run(clock.now + 20_000, { persist: false });
    assert.equal(crashed.sum(N.SPANS_RECEIVED), first + second);

    // ...and the next one, refolding the same deltas from the saved epoch, counts them once.
    const b = new SelfSink();
    await flusher(store.ddb, t, b, clock).run(clock.now + 20_000);
    assert.equal(b.sum(N.SPANS_RECEIVED), first + second);
    // per tenant, as Tempo labels them (the records alternate between two tenants)
    assert.ok(
      b.sum(N.SPANS_RECEIVED, { tenant: 'team-a' }) > 0 && b.sum(N.SPANS_RECEIVED, { tenant: 'team-native' }) > 0,
    );
    assert.equal(b.sum(N.SPANS_RECEIVED, { tenant: '(multiple)' }), 0);
    assert.ok(b.sum(N.BYTES_RECEIVED, { tenant: 'team-a' }) > 0);
    assert.ok(b.sum(N.COLLECTIONS) > 0, 'collections are counted');
    // counters of sends resume from at least what the crashed run sent: no decrease (a reset to Prometheus)
    for (const [id, e] of crashed.last) {
      if (!e.labels.__name__.endsWith('_total')) continue;
      const resumed = b.first.get(id);
      assert.ok(resumed !== undefined && resumed >= e.v, `${id}: ${resumed} after ${e.v}`);
    }
    assert.equal(b.sum(N.PARTITION_LAG, { group: N.LAG_GROUP }), 0, 'nothing left to fold');
    assert.ok(b.has(N.ACTIVE_SERIES) && b.has(N.SERIES_LIMITED) && b.has(N.PARTITION_LAG_SECONDS));
    for (const e of b.last.values()) assert.equal(e.labels.cluster, 'test', 'external labels on every self-metric');
  });

  test('partition lag reports the offsets committed but not yet folded', async () => {
    const t = await tables();
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    await ingest(t, 0, 5);
    const sink = new SelfSink();
    const f = flusher(store.ddb, t, sink, clock);
    await f.run(clock.now + 1);
    await ingest(t, 5, 7);
    clock.now += 3000;
    const monitor = (f as unknown as { deps: { selfMonitor: SelfMonitor } }).deps.selfMonitor;
    // what the flusher sees at its next fold, before folding
    await f.fold(clock.now);
    await monitor.collect(clock.now, clock.now + 1000, f);
    assert.equal(sink.sum(N.PARTITION_LAG, { partition: '0' }), 7);
    assert.ok(sink.sum(N.PARTITION_LAG_SECONDS, { partition: '1' }) >= 3);
  });

  test('remote-write outcomes land in Prometheus client names and failed collections', async () => {
    const m = new SelfMonitor({
      ddb: store.ddb,
      seriesTable: 'unused',
      sender: new SelfSink(),
      tenant: 'ops',
      externalLabels: {},
      log: silentLogger,
    });
    const base = { series: 2, samples: 10, histograms: 1, exemplars: 0, bytes: 300 };
    const result: SendResult = {
      endpoint: 'mimir',
      tenant: 'team-a',
      ok: false,
      requests: [
        { ...base, ok: true, attempts: 2, retries: 1, status: 204 },
        { ...base, ok: false, attempts: 3, retries: 2, status: 500, failure: '5xx' },
      ],
      delivered: { series: 2, samples: 10, histograms: 1, exemplars: 0 },
      dropped: [],
    } as unknown as SendResult;
    m.sent(result);
    const labels = { tenant: 'team-a', remote_name: 'mimir' };
    assert.equal(m.metrics.counter(N.RW_SAMPLES, labels), 20);
    assert.equal(m.metrics.counter(N.RW_SAMPLES_FAILED, labels), 10);
    assert.equal(m.metrics.counter(N.RW_HISTOGRAMS_FAILED, labels), 1);
    assert.equal(m.metrics.counter(N.RW_SAMPLES_RETRIED, labels), 30);
    assert.equal(m.metrics.counter(N.RW_BYTES, labels), 5 * 300, 'every attempt sends the body');
    assert.equal(m.metrics.counter(N.COLLECTIONS_FAILED, { tenant: 'team-a', error_type: 'remote_write' }), 1);
  });

  test('config: self_monitoring defaults on with the first endpoint; a bad endpoint name fails naming the key', () => {
    const on = parseConfig(
      'metrics_generator:\n  storage:\n    remote_write:\n      - url: http://127.0.0.1:9/api/v1/write\n',
    );
    assert.deepEqual(on.selfMonitoring, { enabled: true, remoteWriteEndpoint: '', tenant: '', externalLabels: {} });
    assert.throws(
      () =>
        parseConfig(
          'metrics_generator:\n  self_monitoring:\n    remote_write_endpoint: nope\n  storage:\n    remote_write:\n      - url: http://127.0.0.1:9/api/v1/write\n        name: mimir\n',
        ),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.path === 'metrics_generator.self_monitoring.remote_write_endpoint' &&
        /mimir/.test(e.message),
    );
    assert.throws(
      () => parseConfig('metrics_generator:\n  self_monitoring:\n    tenant: "bad/tenant"\n'),
      (e: unknown) => e instanceof ConfigError && e.path === 'metrics_generator.self_monitoring.tenant',
    );
  });
});
