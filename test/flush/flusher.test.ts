import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { InjectedCrash } from '../helpers/crash.ts';
import { CallFaults } from '../helpers/fault-store.ts';
import { eventOf, makeRecords, startStore, testContext, RECORD_TIME_MS } from '../helpers/ingest-harness.ts';
import { Clock, CheckingSender, flusherOn, freshTables as harnessTables, stateText } from './flusher-harness.ts';

describe('flusher', async () => {
  const store = await startStore();
  after(() => store.close());
  const freshTables = () => harnessTables(store.client, 'fl');

  async function ingest(tables: { deltas: string }, from: number, count: number): Promise<void> {
    const ctx = { ...testContext(store.ddb), table: tables.deltas };
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, from, count), makeRecords('traces', 1, from, count)));
  }

  test('counters never reset across invocations: state comes back from DynamoDB', async () => {
    const tables = await freshTables();
    const sender = new CheckingSender();
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const totals: number[] = [];
    for (let invocation = 0; invocation < 3; invocation++) {
      await ingest(tables, invocation * 10, 10);
      const f = flusherOn(store.ddb, tables, sender, clock); // a cold container every time
      await f.run(clock.now + 50_000);
      totals.push(sender.value('traces_spanmetrics_calls_total', 'team-a'));
      clock.now += 10_000;
    }
    assert.ok(totals[0] > 0);
    assert.ok(totals[0] < totals[1] && totals[1] < totals[2], `totals ${totals}`);
    // the reference: everything ingested, folded by one flusher in one go
    const ref = await freshTables();
    for (let i = 0; i < 3; i++) await ingest(ref, i * 10, 10);
    const refSender = new CheckingSender();
    await flusherOn(store.ddb, ref, refSender, new Clock(clock.now)).run(clock.now + 20_000);
    assert.equal(totals[2], refSender.value('traces_spanmetrics_calls_total', 'team-a'));
  });

  test('killed at every DynamoDB call of a save and restarted: same state, never out of order', async () => {
    // fault-free reference: two invocations
    const refTables = await freshTables();
    await ingest(refTables, 0, 12);
    const refClock = new Clock(RECORD_TIME_MS + 60_000);
    const refSender = new CheckingSender();
    await flusherOn(store.ddb, refTables, refSender, refClock).run(refClock.now + 40_000);
    await ingest(refTables, 12, 6);
    const refFinal = flusherOn(store.ddb, refTables, refSender, refClock);
    await refFinal.run(refClock.now + 40_000);
    const expected = stateText(refFinal);

    let saveCalls = 0;
    for (let k = 1; k === 1 || k <= saveCalls; k++) {
      const tables = await freshTables();
      await ingest(tables, 0, 12);
      const clock = new Clock(RECORD_TIME_MS + 60_000);
      const sender = new CheckingSender();
      const faults = new CallFaults({ k, when: 'before' });
      faults.armed = false;
      const first = flusherOn(faults.ddb(store.ddb), tables, sender, clock);
      await first.run(clock.now + 40_000, { persist: false });
      faults.armed = true;
      await assert.rejects(first.save(), InjectedCrash);
      faults.armed = false;
      await ingest(tables, 12, 6);
      const restarted = flusherOn(store.ddb, tables, sender, clock);
      await restarted.run(clock.now + 40_000);
      assert.equal(stateText(restarted), expected, `crash at save call ${k}`);
      if (k === 1) {
        // count the calls of one complete save for the loop bound
        const counting = new CallFaults();
        const probe = flusherOn(counting.ddb(store.ddb), tables, new CheckingSender(), clock);
        await probe.load();
        counting.calls = 0;
        await probe.save();
        saveCalls = counting.calls;
      }
    }
    assert.ok(saveCalls >= 2, `a save makes ${saveCalls} calls`);
  });
});

describe('flusher with a corrupt committed delta', async () => {
  const store = await startStore();
  after(() => store.close());

  test('is skipped, logged and counted; the deltas around it still fold', async () => {
    const { deltaPk } = await import('../../lib/store/keys.ts');
    const tables = await harnessTables(store.client, 'corrupt');
    const ctx = { ...testContext(store.ddb), table: tables.deltas };
    for (const [from, n] of [
      [0, 3],
      [3, 3],
      [6, 3],
    ])
      await ingestEvent(ctx, eventOf(makeRecords('traces', 0, from, n)));
    // damage the middle delta's only part
    const page = await store.ddb.query({
      TableName: tables.deltas,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: deltaPk('traces', 0) } },
    });
    const middle = page.Items!.find((i) => i.sk.S!.startsWith('00000000000000000003'))!;
    const bytes = Uint8Array.from(middle.d.B!);
    bytes[bytes.length - 1] ^= 0xff;
    await store.ddb.putItem({ TableName: tables.deltas, Item: { ...middle, d: { B: bytes } } });
    const errors: string[] = [];
    const metrics = new MetricsRecorder();
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const f = flusherOn(store.ddb, tables, new CheckingSender(), clock, {
      log: { ...silentLogger, error: (m, fields) => errors.push(`${m} ${JSON.stringify(fields)}`) },
      metrics,
    });
    await f.run(clock.now + 1000);
    assert.equal(metrics.total('CorruptDeltas'), 1);
    assert.equal(metrics.total('DeltasFolded'), 2);
    assert.match(errors[0], /"firstOffset":3,"lastOffset":5/);
  });
});
