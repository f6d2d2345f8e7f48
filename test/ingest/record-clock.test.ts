// The delta's record clock (maxTimestampMs) becomes the flusher's shared data clock, by which
// every tenant's pending service-graph halves expire: only accepted records may move it, and never
// beyond the ingest's wall clock plus the ingestion slack.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import {
  RECORD_TIME_MS,
  committedDeltas,
  eventOf,
  makeRecords,
  startStore,
  testContext,
} from '../helpers/ingest-harness.ts';

const YEAR_MS = 365 * 86400_000;

describe('the record clock of a delta', async () => {
  const store = await startStore();
  after(() => store.close());

  test('a rejected record (bad tenant) does not move it', async () => {
    const [good, bad] = makeRecords('clock-a', 0, 0, 2);
    const poisoned = {
      ...bad,
      key: Buffer.from('bad tenant/../x').toString('base64'),
      timestamp: RECORD_TIME_MS + 10 * YEAR_MS,
    };
    const ctx = testContext(store.ddb);
    await ingestEvent(ctx, eventOf([good, poisoned]));
    const [delta] = await committedDeltas(store.ddb, 'clock-a');
    assert.equal(delta.badRecords.invalid_tenant, 1);
    assert.equal(delta.maxTimestampMs, RECORD_TIME_MS);
  });

  test('an accepted record from the far future moves it at most to the wall clock plus the slack', async () => {
    const [good, future] = makeRecords('clock-b', 0, 0, 2);
    const ctx = testContext(store.ddb);
    await ingestEvent(ctx, eventOf([good, { ...future, timestamp: RECORD_TIME_MS + YEAR_MS }]));
    const [delta] = await committedDeltas(store.ddb, 'clock-b');
    assert.deepEqual(delta.badRecords, {});
    // the ingest clock of testContext is RECORD_TIME_MS; the default slack is 30 s
    assert.equal(delta.maxTimestampMs, RECORD_TIME_MS + 30_000);
  });
});
