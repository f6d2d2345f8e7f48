// An idle stack must not pay for a full invocation every minute: with no series to send and
// nothing to fold, the flusher saves and returns at once; with series, it stays for the minute's
// collections and ends as soon as the last one that fits before its deadline is sent.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { isStaleNaN } from '../../lib/series/stale.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { eventOf, makeRecords, startStore, testContext, RECORD_TIME_MS } from '../helpers/ingest-harness.ts';
import { Clock, flusherOn, freshTables } from './flusher-harness.ts';

const RUN_MS = 55_000;

class CountingSender {
  series = 0;
  markers = 0;
  async send(_tenant: string, series: readonly CollectedSeries[]): Promise<void> {
    for (const s of series) {
      if (s.samples.some((p) => isStaleNaN(p.value))) this.markers++;
      else this.series++;
    }
  }
}

describe('flusher: early end when idle', async () => {
  const store = await startStore();
  after(() => store.close());

  test('an empty stack ends its invocation at once, and writes no state (nothing changed)', async () => {
    const tables = await freshTables(store.client, 'idle');
    const clock = new Clock(RECORD_TIME_MS);
    const f = flusherOn(store.ddb, tables, new CountingSender(), clock);
    const start = clock.now;
    await f.run(start + RUN_MS);
    assert.equal(clock.now, start, 'slept although there was nothing to send');
    assert.equal(f.currentEpoch, 0);
  });

  test('with active series it runs every collection of the invocation; once all are stale it ends early', async () => {
    const tables = await freshTables(store.client, 'idle');
    const ctx = { ...testContext(store.ddb), table: tables.deltas };
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, 0, 10)));
    const clock = new Clock(RECORD_TIME_MS + 1_000);
    const sender = new CountingSender();
    const f = flusherOn(store.ddb, tables, sender, clock);
    const start = clock.now;
    await f.run(start + RUN_MS);
    assert.ok(clock.now - start >= 45_000, `ran ${clock.now - start} ms with series to send`);
    assert.ok(sender.series > 0);
    // an hour without spans: every series goes stale, its markers go out, then nothing is left
    clock.now += 60 * 60_000;
    const sleptFrom = clock.now;
    await f.run(clock.now + RUN_MS);
    assert.ok(sender.markers > 0, 'no staleness markers');
    assert.equal(clock.now, sleptFrom, 'kept running with every series removed');
    // spans again: the next invocation folds them and runs its full course
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, 10, 10)));
    const before = sender.series;
    const resumed = clock.now;
    await f.run(clock.now + RUN_MS);
    assert.ok(sender.series > before);
    assert.ok(clock.now - resumed >= 45_000);
  });

  test('with series, the invocation ends right after the last collection before its deadline, not at the deadline', async () => {
    const tables = await freshTables(store.client, 'idle');
    const ctx = { ...testContext(store.ddb), table: tables.deltas };
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, 0, 10)));
    const clock = new Clock(RECORD_TIME_MS + 1_000);
    const collections: number[] = [];
    const sender = { send: async () => void collections.push(clock.now) };
    const f = flusherOn(store.ddb, tables, sender, clock);
    const start = clock.now;
    await f.run(start + RUN_MS);
    // one send per tenant per collection: the two tenants of the records share each time
    const times = [...new Set(collections)].map((t) => t - start);
    assert.deepEqual(times, [0, 15_000, 30_000, 45_000]);
    assert.equal(clock.now - start, 45_000, 'waited past the last collection');
    // the next invocation a minute after the first collects on the same 15 s grid
    clock.now = start + 60_000;
    await f.run(clock.now + RUN_MS);
    assert.equal(Math.min(...collections.filter((t) => t >= start + 60_000)) - start, 60_000);
  });
});
