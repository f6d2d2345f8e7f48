// A refused or failed remote write never loses cumulative state: the next collection sends the
// full cumulative values again, and failures are counted by class.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { RemoteWriteSender } from '../../lib/flush/remote-sender.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { CONFIG, eventOf, makeRecords, startStore, testContext, RECORD_TIME_MS } from '../helpers/ingest-harness.ts';
import { Clock } from '../helpers/clock.ts';
import { endpointFor, seriesOf, startReceiver } from '../remote-write/receiver.ts';
import { flusherOn, freshTables } from './flusher-harness.ts';

test('400 then 503s: not retried / retried, counted by class, and the next collection sends the same cumulative values', async () => {
  const store = await startStore();
  const receiver = await startReceiver();
  after(async () => {
    await receiver.close();
    await store.close();
  });
  const tables = await freshTables(store.client, 'rf');
  await ingestEvent({ ...testContext(store.ddb), table: tables.deltas }, eventOf(makeRecords('rf', 0, 0, 8)));

  const clock = new Clock(RECORD_TIME_MS + 60_000);
  const metrics = new MetricsRecorder();
  const sender = new RemoteWriteSender(
    CONFIG,
    [endpointFor(receiver.url, { maxSamplesPerSend: 100_000 })],
    metrics,
    silentLogger,
    { now: clock.read, sleep: clock.sleep },
  );
  const flusher = flusherOn(store.ddb, tables, sender, clock, { metrics });
  // first collection refused with 400 for both tenants
  receiver.reply({ status: 400, body: 'bad sample' }, { status: 400, body: 'bad sample' });
  await flusher.run(clock.now + 1_000);
  assert.equal(metrics.total('RemoteWriteFailures'), 2, 'one refused request per tenant');
  assert.equal(receiver.received.length, 2, '400 is not retried');
  const refused = seriesOf(receiver.received[0].request);
  receiver.reset();

  clock.now += 15_000;
  await flusher.run(clock.now + 1_000);
  const delivered = seriesOf(receiver.received[0].request);
  const latestValue = (series: typeof refused, name: string) =>
    series.filter((s) => s.labels.__name__ === name).reduce((n, s) => n + (s.samples.at(-1)?.value ?? 0), 0);
  assert.ok(latestValue(refused, 'traces_spanmetrics_calls_total') > 0);
  assert.equal(
    latestValue(delivered, 'traces_spanmetrics_calls_total'),
    latestValue(refused, 'traces_spanmetrics_calls_total'),
  );
  assert.ok(metrics.total('SamplesSent') > 0);
});
