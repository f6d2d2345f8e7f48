// Tenants are sent concurrently and fairly: against a local receiver answering in 50 ms, 1,000
// tenants are all sent within one 15 s collection interval; a tenant whose receiver hangs holds
// up no other tenant; and a flusher killed in the middle of a fan-out and restarted leaves the
// same state as a fault-free run, with no counter at the remote ever going backwards.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Flusher, SeriesSender } from '../../lib/flush/flusher.ts';
import { RemoteWriteSender } from '../../lib/flush/remote-sender.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../../lib/ingest/msk-event.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { BASE_NS, buildResourceSpans, encodePushBytesRequest, encodeTempoTrace } from '../../testing/build.ts';
import { CheckingSender } from '../helpers/checking-sender.ts';
import { Clock } from '../helpers/clock.ts';
import { InjectedCrash } from '../helpers/crash.ts';
import { wrapDdb } from '../../testing/ddb-wrapper.ts';
import { CONFIG, RECORD_TIME_MS, eventOf, startStore, testContext } from '../helpers/ingest-harness.ts';
import { endpointFor } from '../remote-write/receiver.ts';
import { flusherOn, freshTables, stateText } from './flusher-harness.ts';

const SPAN_NAMES = ['GET /a', 'GET /b', 'POST /c'];

/** One record per offset; the tenant and span name cycle with the offset. */
function records(tenants: readonly string[], partition: number, from: number, count: number): KafkaEventRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const offset = from + i;
    const trace = encodeTempoTrace(
      buildResourceSpans({
        resource: { 'service.name': `svc-${offset % 3}` },
        spans: [
          {
            name: SPAN_NAMES[offset % SPAN_NAMES.length],
            kind: 2,
            startNs: BASE_NS,
            endNs: BASE_NS + BigInt(1 + (offset % 7)) * 1_953_125n,
          },
        ],
      }),
    );
    return {
      topic: 'traces',
      partition,
      offset,
      timestamp: RECORD_TIME_MS,
      key: Buffer.from(tenants[offset % tenants.length]).toString('base64'),
      value: Buffer.from(encodePushBytesRequest([trace])).toString('base64'),
      headers: [],
    };
  });
}

/** A remote-write receiver that answers every request after `delayMs`, except those of `hang`. */
async function slowReceiver(delayMs: number, hang?: string) {
  const events: string[] = [];
  const perTenant = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const tenant = String(req.headers['x-scope-orgid']);
    req.resume();
    req.on('end', () => {
      events.push(`received ${tenant}`);
      perTenant.set(tenant, (perTenant.get(tenant) ?? 0) + 1);
      if (tenant === hang) {
        res.on('close', () => events.push(`gave up ${tenant}`));
        return; // never answers: the client's own timeout ends it
      }
      setTimeout(() => res.writeHead(204).end(), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`,
    events,
    perTenant,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('tenant fan-out against a local receiver', async () => {
  const store = await startStore();
  after(() => store.close());

  const senderTo = (url: string, remoteTimeoutMs: number) =>
    new RemoteWriteSender(CONFIG, [endpointFor(url, { remoteTimeoutMs })], new MetricsRecorder(), silentLogger);

  async function flusherWith(tenants: readonly string[], sender: SeriesSender): Promise<Flusher> {
    const tables = await freshTables(store.client, 'fan');
    await ingestEvent(
      { ...testContext(store.ddb), table: tables.deltas },
      eventOf(records(tenants, 0, 0, tenants.length)),
    );
    // real time: the receiver answers after real delays
    const f = flusherOn(store.ddb, tables, sender, new Clock(0), {
      clock: Date.now,
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
    await f.fold(Date.now());
    return f;
  }

  test('1,000 tenants at 50 ms per request are all sent within one 15 s interval', async () => {
    const rx = await slowReceiver(50);
    try {
      const tenants = Array.from({ length: 1000 }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
      const f = await flusherWith(tenants, senderTo(rx.url, 15_000));
      const now = Date.now();
      await f.collectDue(now, now + 15_000);
      assert.equal(rx.perTenant.size, 1000, `tenants sent in the interval: ${rx.perTenant.size}`);
      assert.deepEqual(new Set(rx.perTenant.values()), new Set([1]), 'each tenant once');
    } finally {
      await rx.close();
    }
  });

  test('a tenant whose receiver hangs delays no other tenant: all are delivered before its request times out', async () => {
    const rx = await slowReceiver(50, 'a-hanging');
    try {
      const tenants = ['a-hanging', ...Array.from({ length: 40 }, (_, i) => `b-${i}`)];
      const f = await flusherWith(tenants, senderTo(rx.url, 1_000));
      const now = Date.now();
      await f.collectDue(now, now + 1_200);
      const gaveUp = rx.events.indexOf('gave up a-hanging');
      assert.ok(gaveUp >= 0, 'the hanging request ends at its own timeout');
      const before = rx.events.slice(0, gaveUp).filter((e) => e.startsWith('received b-')).length;
      assert.equal(before, 40, `tenants delivered while the hanging one waited: ${before} of 40`);
    } finally {
      await rx.close();
    }
  });
});

/**
 * What the remote keeps, checked as CheckingSender does. A send takes a few event-loop turns (so
 * sends of a round overlap), and after `crashAt` sends the process is dead: that send and every
 * later one, and every DynamoDB call, throw.
 */
class CrashingRemote implements SeriesSender {
  private readonly remote = new CheckingSender();
  sends = 0;
  dead = false;
  crashAt = Infinity;
  async send(tenant: string, series: readonly CollectedSeries[]): Promise<void> {
    const n = ++this.sends;
    for (let i = 0; i < 1 + (n % 3); i++) await new Promise((r) => setImmediate(r));
    if (n === this.crashAt) this.dead = true;
    if (this.dead) throw new InjectedCrash(`process gone at send ${n}`);
    await this.remote.send(tenant, series);
  }
}

describe('tenant fan-out under faults', async () => {
  const store = await startStore();
  after(() => store.close());
  const TENANTS = ['t-0', 't-1', 't-2', 't-3'];
  const tablesOfScenario = () => freshTables(store.client, 'fanf');

  const ingest = (tables: { deltas: string }, from: number, count: number) =>
    ingestEvent(
      { ...testContext(store.ddb), table: tables.deltas },
      eventOf(records(TENANTS, 0, from, count), records(TENANTS, 1, from, count)),
    );

  test('staleness markers go out through the same concurrent fan-out', async () => {
    const tables = await tablesOfScenario();
    await ingest(tables, 0, 8);
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    let inFlight = 0;
    let peak = 0;
    const markers = new Map<string, number>();
    const sender: SeriesSender = {
      async send(tenant, series) {
        peak = Math.max(peak, ++inFlight);
        for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
        inFlight--;
        const stale = series.filter((s) => s.samples.some((p) => Number.isNaN(p.value))).length;
        if (stale > 0) markers.set(tenant, (markers.get(tenant) ?? 0) + stale);
      },
    };
    const f = flusherOn(store.ddb, tables, sender, clock);
    await f.fold(clock.now);
    await f.collectDue(clock.now, clock.now + 15_000);
    assert.equal(markers.size, 0);
    // nothing new for longer than stale_duration (15 m): the sweep removes every series
    clock.now += 20 * 60_000;
    peak = 0;
    await f.collectDue(clock.now, clock.now + 15_000);
    assert.deepEqual([...markers.keys()].sort(), TENANTS);
    assert.ok(peak > 1, `marker sends in flight at once: ${peak}`);
  });

  test('killed at every send of a concurrent fan-out and restarted: same state, no counter backwards', async () => {
    // fault-free reference: three invocations, each folding new records
    const refTables = await tablesOfScenario();
    const refClock = new Clock(RECORD_TIME_MS + 60_000);
    const refRemote = new CrashingRemote();
    await ingest(refTables, 0, 8);
    await flusherOn(store.ddb, refTables, refRemote, refClock).run(refClock.now + 20_000);
    const sendsBefore = refRemote.sends;
    await ingest(refTables, 8, 8);
    await flusherOn(store.ddb, refTables, refRemote, refClock).run(refClock.now + 20_000);
    const sendsOfSecond = refRemote.sends - sendsBefore;
    await ingest(refTables, 16, 8);
    const refFinal = flusherOn(store.ddb, refTables, refRemote, refClock);
    await refFinal.run(refClock.now + 20_000);
    const expected = stateText(refFinal);
    assert.ok(sendsOfSecond >= 2 * TENANTS.length, `the second invocation sends ${sendsOfSecond} times`);

    for (let k = 1; k <= sendsOfSecond; k++) {
      const tables = await tablesOfScenario();
      const clock = new Clock(RECORD_TIME_MS + 60_000);
      const remote = new CrashingRemote();
      const dying = wrapDdb(store.ddb, (_op, run) => {
        if (remote.dead) throw new InjectedCrash('process gone');
        return run();
      });
      await ingest(tables, 0, 8);
      await flusherOn(dying, tables, remote, clock).run(clock.now + 20_000);
      await ingest(tables, 8, 8);
      remote.crashAt = remote.sends + k;
      await assert.rejects(
        flusherOn(dying, tables, remote, clock).run(clock.now + 20_000),
        InjectedCrash,
        `crash at send ${k}`,
      );
      // the next scheduled invocation, in a new container, a minute later
      clock.now += 60_000;
      remote.dead = false;
      remote.crashAt = Infinity;
      await ingest(tables, 16, 8);
      const restarted = flusherOn(store.ddb, tables, remote, clock);
      await restarted.run(clock.now + 20_000);
      assert.equal(stateText(restarted), expected, `crash at send ${k} of the second invocation`);
    }
  });
});
