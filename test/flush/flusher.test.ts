import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Flusher, type SeriesSender } from '../../lib/flush/flusher.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { formatExposition } from '../../lib/series/exposition.ts';
import type { Ddb } from '../../lib/store/ddb.ts';
import { createTable } from '../../lib/store/local-dynamo.ts';
import { SERIES_TABLE } from '../../lib/store/tables.ts';
import {
  CONFIG,
  TABLE,
  eventOf,
  makeRecords,
  startStore,
  testContext,
  RECORD_TIME_MS,
} from '../helpers/ingest-harness.ts';
import { Clock, RecordingSender } from './flusher-harness.ts';

class InjectedCrash extends Error {
  override name = 'InjectedCrash';
}

describe('flusher', async () => {
  const store = await startStore();
  after(() => store.close());
  let seq = 0;

  async function freshTables(): Promise<{ deltas: string; series: string }> {
    const n = seq++;
    const deltas = `${TABLE}-${n}`;
    const series = `series-${n}`;
    await createTable(store.client, { ...SERIES_TABLE }, series);
    const { DELTAS_TABLE } = await import('../../lib/store/tables.ts');
    await createTable(store.client, DELTAS_TABLE, deltas);
    return { deltas, series };
  }

  function flusher(ddb: Ddb, tables: { deltas: string; series: string }, sender: SeriesSender, clock: Clock): Flusher {
    return new Flusher({
      ddb,
      deltasTable: tables.deltas,
      seriesTable: tables.series,
      config: CONFIG,
      sender,
      log: silentLogger,
      metrics: new MetricsRecorder(),
      clock: clock.read,
      sleep: clock.sleep,
    });
  }

  async function ingest(tables: { deltas: string }, from: number, count: number): Promise<void> {
    const ctx = { ...testContext(store.ddb), table: tables.deltas };
    await ingestEvent(ctx, eventOf(makeRecords('traces', 0, from, count), makeRecords('traces', 1, from, count)));
  }

  const state = (f: Flusher) =>
    [...f.tenants()]
      .map(([t, r]) => `# ${t}\n${formatExposition(r)}`)
      .sort()
      .join('\n');

  test('counters never reset across invocations: state comes back from DynamoDB', async () => {
    const tables = await freshTables();
    const sender = new RecordingSender();
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const totals: number[] = [];
    for (let invocation = 0; invocation < 3; invocation++) {
      await ingest(tables, invocation * 10, 10);
      const f = flusher(store.ddb, tables, sender, clock); // a cold container every time
      await f.run(clock.now + 50_000);
      totals.push(sender.value('traces_spanmetrics_calls_total', 'team-a'));
      clock.now += 10_000;
    }
    assert.ok(totals[0] > 0);
    assert.ok(totals[0] < totals[1] && totals[1] < totals[2], `totals ${totals}`);
    // the reference: everything ingested, folded by one flusher in one go
    const ref = await freshTables();
    for (let i = 0; i < 3; i++) await ingest(ref, i * 10, 10);
    const refSender = new RecordingSender();
    await flusher(store.ddb, ref, refSender, new Clock(clock.now)).run(clock.now + 20_000);
    assert.equal(totals[2], refSender.value('traces_spanmetrics_calls_total', 'team-a'));
  });

  test('killed at every DynamoDB call of a save and restarted: same state, never out of order', async () => {
    // fault-free reference: two invocations
    const refTables = await freshTables();
    await ingest(refTables, 0, 12);
    const refClock = new Clock(RECORD_TIME_MS + 60_000);
    const refSender = new RecordingSender();
    await flusher(store.ddb, refTables, refSender, refClock).run(refClock.now + 40_000);
    await ingest(refTables, 12, 6);
    const refFinal = flusher(store.ddb, refTables, refSender, refClock);
    await refFinal.run(refClock.now + 40_000);
    const expected = state(refFinal);

    let saveCalls = 0;
    for (let k = 1; k === 1 || k <= saveCalls; k++) {
      const tables = await freshTables();
      await ingest(tables, 0, 12);
      const clock = new Clock(RECORD_TIME_MS + 60_000);
      const sender = new RecordingSender();
      let armed = false;
      let calls = 0;
      const faulty = new Proxy(store.ddb, {
        get: (target, op: keyof Ddb) => async (input: never) => {
          if (armed && ++calls === k) throw new InjectedCrash(`crash at save call ${k}`);
          return (target[op] as (i: never) => Promise<unknown>)(input);
        },
      });
      const first = flusher(faulty, tables, sender, clock);
      await first.run(clock.now + 40_000, { persist: false });
      armed = true;
      await assert.rejects(first.save(), InjectedCrash);
      if (k === 1) saveCalls = calls; // fault-free calls of a save, measured once below
      armed = false;
      await ingest(tables, 12, 6);
      const restarted = flusher(store.ddb, tables, sender, clock);
      await restarted.run(clock.now + 40_000);
      assert.equal(state(restarted), expected, `crash at save call ${k}`);
      if (k === 1) {
        // count the calls of one complete save for the loop bound
        let n = 0;
        const counting = new Proxy(store.ddb, {
          get: (target, op: keyof Ddb) => async (input: never) => {
            n++;
            return (target[op] as (i: never) => Promise<unknown>)(input);
          },
        });
        const probe = flusher(counting, tables, new RecordingSender(), clock);
        await probe.load();
        n = 0;
        await probe.save();
        saveCalls = n;
      }
    }
    assert.ok(saveCalls >= 2, `a save makes ${saveCalls} calls`);
  });
});

describe('flusher with a corrupt committed delta', async () => {
  const store = await startStore();
  after(() => store.close());

  test('is skipped, logged and counted; the deltas around it still fold', async () => {
    const { DELTAS_TABLE } = await import('../../lib/store/tables.ts');
    const { deltaPk } = await import('../../lib/store/keys.ts');
    await createTable(store.client, DELTAS_TABLE, 'corrupt-d');
    await createTable(store.client, SERIES_TABLE, 'corrupt-s');
    const ctx = { ...testContext(store.ddb), table: 'corrupt-d' };
    for (const [from, n] of [
      [0, 3],
      [3, 3],
      [6, 3],
    ])
      await ingestEvent(ctx, eventOf(makeRecords('traces', 0, from, n)));
    // damage the middle delta's only part
    const page = await store.ddb.query({
      TableName: 'corrupt-d',
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: deltaPk('traces', 0) } },
    });
    const middle = page.Items!.find((i) => i.sk.S!.startsWith('00000000000000000003'))!;
    const bytes = Uint8Array.from(middle.d.B!);
    bytes[bytes.length - 1] ^= 0xff;
    await store.ddb.putItem({ TableName: 'corrupt-d', Item: { ...middle, d: { B: bytes } } });
    const errors: string[] = [];
    const metrics = new MetricsRecorder();
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const f = new Flusher({
      ddb: store.ddb,
      deltasTable: 'corrupt-d',
      seriesTable: 'corrupt-s',
      config: CONFIG,
      sender: new RecordingSender(),
      log: { ...silentLogger, error: (m, fields) => errors.push(`${m} ${JSON.stringify(fields)}`) },
      metrics,
      clock: clock.read,
      sleep: clock.sleep,
    });
    await f.run(clock.now + 1000);
    assert.equal(metrics.total('CorruptDeltas'), 1);
    assert.equal(metrics.total('DeltasFolded'), 2);
    assert.match(errors[0], /"firstOffset":3,"lastOffset":5/);
  });
});
