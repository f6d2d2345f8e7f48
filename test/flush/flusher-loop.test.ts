// The flusher's loop as local mode drives it: tick() is the turn the Lambda's run repeats, and
// finish() is the last turn of a process (every tenant sent once more, due or not, through the
// same collection bookkeeping and metrics), then the save.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { eventOf, makeRecords, startStore, testContext, RECORD_TIME_MS } from '../helpers/ingest-harness.ts';
import { Clock, flusherOn, freshTables, CheckingSender } from './flusher-harness.ts';

describe('flusher loop: tick and finish', async () => {
  const store = await startStore();
  after(() => store.close());

  const setUp = async () => {
    const tables = await freshTables(store.client, 'loop');
    await ingestEvent({ ...testContext(store.ddb), table: tables.deltas }, eventOf(makeRecords('traces', 0, 0, 10)));
    const clock = new Clock(RECORD_TIME_MS + 1_000);
    const sender = new CheckingSender();
    const metrics = new MetricsRecorder();
    return { tables, clock, sender, metrics, f: flusherOn(store.ddb, tables, sender, clock, { metrics }) };
  };

  test('tick folds and sends a due tenant once; a second tick within the interval folds nothing and sends nothing', async () => {
    const { clock, sender, metrics, f } = await setUp();
    const first = await f.tick(clock.now, clock.now + 10_000, { recordReach: false });
    assert.ok(first.folded > 0);
    assert.equal(first.idle, false);
    const tenants = f.tenants().size;
    assert.ok(tenants > 0);
    assert.equal(sender.requests, tenants, 'one send per tenant');
    assert.ok(metrics.total('ActiveSeries') > 0);
    clock.now += 1_000;
    const second = await f.tick(clock.now, clock.now + 10_000, { recordReach: false });
    assert.equal(second.folded, 0);
    assert.equal(sender.requests, tenants, 'not due again before its collection interval');
    assert.ok(f.metricsText().includes('traces_spanmetrics_calls_total{'));
    assert.ok(f.seriesPerTenant().some(([, n]) => n > 0));
  });

  test('finish sends every tenant although none is due, with the same collection metrics, and saves', async () => {
    const { clock, sender, metrics, f } = await setUp();
    await f.tick(clock.now, clock.now + 10_000, { recordReach: false });
    const tenants = f.tenants().size;
    assert.equal(sender.requests, tenants);
    metrics.drain();
    clock.now += 1_000;
    await f.finish(10_000, { settleHalves: false });
    assert.equal(sender.requests, 2 * tenants, 'the last turn sends every tenant although none is due');
    assert.ok(metrics.total('ActiveSeries') > 0, 'and counts its active series as every collection does');
    assert.equal(f.currentEpoch, 1, 'then saves');
  });
});
