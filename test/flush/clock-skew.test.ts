// One flusher run on a host whose clock is an hour ahead must not stamp samples an hour ahead (and
// save that as every series' floor): stamps stay within the ingestion slack of DynamoDB's clock.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { trackServerClock } from '../../lib/store/ddb.ts';
import { eventOf, makeRecords, startStore, testContext } from '../helpers/ingest-harness.ts';
import { CheckingSender, flusherOn, freshTables } from './flusher-harness.ts';

const HOUR_MS = 3600_000;
const SLACK_MS = 30_000;

test('a host clock 1 h ahead: samples stamped at most the slack ahead of the DynamoDB clock, also in later runs', async () => {
  const store = await startStore();
  after(() => store.close());
  const serverClock = trackServerClock(store.client);
  const tables = await freshTables(store.client, 'skew');
  const ingest = (from: number) =>
    ingestEvent({ ...testContext(store.ddb), table: tables.deltas }, eventOf(makeRecords('traces', 0, from, 6)));
  await ingest(0);

  const ahead = { now: () => Date.now() + HOUR_MS };
  const sender = new CheckingSender();
  const skewed = flusherOn(
    store.ddb,
    tables,
    sender,
    { now: 0, read: ahead.now, sleep: async () => undefined } as never,
    { referenceClock: serverClock.nowMs },
  );
  await skewed.run(ahead.now() + 1000);
  assert.ok(sender.timestamps.length > 0);
  // 1 s of Date-header resolution on top of the slack
  const limit = Date.now() + SLACK_MS + 1000;
  assert.ok(Math.max(...sender.timestamps) <= limit, `stamped ${Math.max(...sender.timestamps) - Date.now()} ms ahead`);

  // the next run on a correct host (cold, from the saved state) stamps near the real time
  await ingest(6);
  const correct = { now: () => Date.now() };
  const later = new CheckingSender();
  await flusherOn(store.ddb, tables, later, { now: 0, read: correct.now, sleep: async () => undefined } as never, {
    referenceClock: serverClock.nowMs,
  }).run(Date.now() + 1000);
  assert.ok(later.timestamps.length > 0);
  assert.ok(
    Math.max(...later.timestamps) <= Date.now() + SLACK_MS + 1000,
    `later run stamped ${Math.max(...later.timestamps) - Date.now()} ms ahead`,
  );
});
