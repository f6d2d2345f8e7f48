// Saves decoupled from invocations: with a persist interval the flusher folds and sends every
// run and saves once per interval; a container that starts after a crash between saves recovers
// from the last save and the retained deltas, and ends where a fault-free run ends.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { meteredDdb } from '../../lib/store/ddb.ts';
import { DEFAULT_PERSIST_INTERVAL_SECONDS } from '../../lib/env/contract.ts';
import { persistIntervalFromEnv } from '../../lib/flush/persist-policy.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { RECORD_TIME_MS, eventOf, makeRecords, startStore, testContext } from '../helpers/ingest-harness.ts';
import { Clock, CheckingSender, flusherOn, freshTables, stateText, type Tables } from './flusher-harness.ts';
import { slowQueries } from '../../testing/ddb-wrapper.ts';

const MINUTE = 60_000;

describe('flusher persist interval', async () => {
  const store = await startStore();
  after(() => store.close());

  /** One ingest batch per minute: partition minute % 2, 3 records. */
  async function ingestMinute(tables: Tables, minute: number): Promise<void> {
    const partition = minute % 2;
    await ingestEvent(
      { ...testContext(store.ddb), table: tables.deltas },
      eventOf(makeRecords('traces', partition, Math.floor(minute / 2) * 3, 3)),
    );
  }

  test('each run folds and sends; the state is saved once per interval', async () => {
    const tables = await freshTables(store.client, 'pi');
    const start = RECORD_TIME_MS + MINUTE;
    const clock = new Clock(start);
    const sender = new CheckingSender();
    const f = flusherOn(store.ddb, tables, sender, clock, { persistIntervalMs: 5 * MINUTE });
    const epochs: number[] = [];
    for (let minute = 0; minute <= 10; minute++) {
      clock.now = start + minute * MINUTE;
      await ingestMinute(tables, minute);
      const before = sender.value('calls_total');
      await f.run(clock.now + 1_000);
      assert.ok(sender.value('calls_total') > before, `minute ${minute}: the new spans were sent`);
      epochs.push(f.currentEpoch);
    }
    assert.deepEqual(epochs, [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3]);
  });

  test('a crash between saves: the next container recovers from the last save, never sends a counter lower, and ends equal to the fault-free run', async () => {
    const start = RECORD_TIME_MS + MINUTE;
    // fault-free: one container, saving every run
    const refTables = await freshTables(store.client, 'pi-ref');
    const refClock = new Clock(start);
    const ref = flusherOn(store.ddb, refTables, new CheckingSender(), refClock);
    for (let minute = 0; minute <= 10; minute++) {
      refClock.now = start + minute * MINUTE;
      await ingestMinute(refTables, minute);
      await ref.run(refClock.now + 1_000);
    }

    const tables = await freshTables(store.client, 'pi-crash');
    const clock = new Clock(start);
    const sender = new CheckingSender(); // one remote: fails on a counter going down or a timestamp going back
    const metrics = new MetricsRecorder();
    let flusher = flusherOn(store.ddb, tables, sender, clock, { persistIntervalMs: 5 * MINUTE, metrics });
    const sentAfter: number[] = [];
    for (let minute = 0; minute <= 10; minute++) {
      clock.now = start + minute * MINUTE;
      await ingestMinute(tables, minute);
      // the container dies after minute 7's run, two minutes after the last save: its memory is lost
      if (minute === 8)
        flusher = flusherOn(store.ddb, tables, sender, clock, { persistIntervalMs: 5 * MINUTE, metrics });
      await flusher.run(clock.now + 1_000);
      sentAfter.push(sender.value('calls_total'));
    }
    assert.equal(
      flusher.currentEpoch,
      3,
      'saved at minutes 0, 5 and 10 (the new container keeps the interval of the saved header)',
    );
    for (let i = 1; i < sentAfter.length; i++)
      assert.ok(sentAfter[i] > sentAfter[i - 1], `minute ${i}: ${sentAfter[i - 1]} -> ${sentAfter[i]}`);
    assert.equal(stateText(flusher), stateText(ref));
    const reloaded = flusherOn(store.ddb, tables, new CheckingSender(), clock);
    await reloaded.load();
    assert.equal(stateText(reloaded), stateText(ref), 'the saved state equals the fault-free run');
  });

  test('a container taking over whose refold is cut by its deadline holds its collections until it has folded as far as any run sent from', async () => {
    const tables = await freshTables(store.client, 'pi-hold');
    const start = RECORD_TIME_MS + MINUTE;
    const clock = new Clock(start);
    const sent = new Map<string, number>();
    let decreases = 0;
    const sender = {
      send: async (tenant: string, series: readonly CollectedSeries[]) => {
        for (const s of series) {
          if (!s.labels.some((l) => l.name === '__name__' && l.value.endsWith('_total'))) continue;
          const id = tenant + JSON.stringify(s.labels);
          for (const p of s.samples) {
            if (Number.isNaN(p.value)) continue; // a staleness marker
            if (p.value < (sent.get(id) ?? 0)) decreases++;
            sent.set(id, Math.max(p.value, sent.get(id) ?? 0));
          }
        }
      },
    };
    const a = flusherOn(store.ddb, tables, sender, clock, { persistIntervalMs: 5 * MINUTE });
    for (let minute = 0; minute <= 7; minute++) {
      clock.now = start + minute * MINUTE;
      await ingestMinute(tables, minute);
      await a.run(clock.now + 1_000);
    }
    assert.equal(a.currentEpoch, 2, 'saved at minutes 0 and 5; minutes 6 and 7 only in memory and sent');
    const calls = () => [...sent].filter(([id]) => id.includes('calls_total')).reduce((n, [, v]) => n + v, 0);
    const sentByA = calls();
    // the next container reads deltas slowly: each run folds one delta per partition at most
    const slow = slowQueries(store.ddb, tables.deltas, clock, 2_000);
    const metrics = new MetricsRecorder();
    const b = flusherOn(slow, tables, sender, clock, { persistIntervalMs: 5 * MINUTE, sliceDeltas: 1, metrics });
    for (let minute = 8; minute <= 20; minute++) {
      clock.now = start + minute * MINUTE;
      await b.run(clock.now + 5_000);
    }
    assert.ok(metrics.total('CollectionsHeld') > 0, 'the cut refold held its collections');
    assert.equal(decreases, 0, 'no counter was sent lower than before');
    assert.equal(calls(), sentByA, 'caught up: sends again, and what it sends is what the first container had sent');
    assert.ok(b.currentEpoch > 2, 'and saved its progress');
  });

  test('an idle stack writes no state: once its last change is saved, later runs only claim the header', async () => {
    const tables = await freshTables(store.client, 'pi-idle');
    const start = RECORD_TIME_MS + MINUTE;
    const clock = new Clock(start);
    const writes = new MetricsRecorder<string>();
    const ddb = meteredDdb(store.ddb, {
      consumed: (c, op) =>
        op === 'putItem' || op === 'updateItem' ? writes.add(c.TableName ?? '', c.CapacityUnits ?? 0) : undefined,
    });
    const f = flusherOn(ddb, tables, new CheckingSender(), clock, { persistIntervalMs: 5 * MINUTE });
    await ingestMinute(tables, 0);
    await f.run(clock.now + 1_000);
    assert.equal(f.currentEpoch, 1);
    const afterSave = writes.total(tables.series);
    for (let minute = 1; minute <= 12; minute++) {
      clock.now = start + minute * MINUTE;
      await f.run(clock.now + 1_000);
    }
    assert.equal(f.currentEpoch, 1, 'nothing changed, nothing saved');
    assert.equal(writes.total(tables.series) - afterSave, 12, 'one write unit a run: the header claim');
  });

  test('PERSIST_INTERVAL_SECONDS: default, accepted values, and a bad value named at start', () => {
    assert.equal(persistIntervalFromEnv({}), DEFAULT_PERSIST_INTERVAL_SECONDS * 1000);
    assert.equal(persistIntervalFromEnv({ PERSIST_INTERVAL_SECONDS: '0' }), 0);
    assert.equal(persistIntervalFromEnv({ PERSIST_INTERVAL_SECONDS: '600' }), 600_000);
    for (const bad of ['-5', '1.5', '5m', '1801']) {
      assert.throws(
        () => persistIntervalFromEnv({ PERSIST_INTERVAL_SECONDS: bad }),
        (e: Error) => e.message.startsWith('PERSIST_INTERVAL_SECONDS:') && e.message.includes(`"${bad}"`),
      );
    }
  });
});
