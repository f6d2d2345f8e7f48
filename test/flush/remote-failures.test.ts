// A refused or failed remote write never loses cumulative state: the next collection sends the
// full cumulative values again, and failures are counted by class.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Flusher } from '../../lib/flush/flusher.ts';
import { RemoteWriteSender } from '../../lib/flush/remote-sender.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { createTable } from '../../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../../lib/store/tables.ts';
import { CONFIG, eventOf, makeRecords, startStore, testContext, RECORD_TIME_MS } from '../helpers/ingest-harness.ts';
import { endpointFor, seriesOf, startReceiver } from '../remote-write/receiver.ts';

test('400 then 503s: not retried / retried, counted by class, and the next collection sends the same cumulative values', async () => {
  const store = await startStore();
  const receiver = await startReceiver();
  after(async () => {
    await receiver.close();
    await store.close();
  });
  await createTable(store.client, DELTAS_TABLE, 'rf-deltas');
  await createTable(store.client, SERIES_TABLE, 'rf-series');
  await ingestEvent({ ...testContext(store.ddb), table: 'rf-deltas' }, eventOf(makeRecords('rf', 0, 0, 8)));

  const clock = { now: RECORD_TIME_MS + 60_000 };
  const metrics = new MetricsRecorder();
  const sender = new RemoteWriteSender(
    CONFIG,
    [endpointFor(receiver.url, { maxSamplesPerSend: 100_000 })],
    metrics,
    silentLogger,
    {
      now: () => clock.now,
      sleep: async (ms) => {
        clock.now += ms;
      },
    },
  );
  const flusher = new Flusher({
    ddb: store.ddb,
    deltasTable: 'rf-deltas',
    seriesTable: 'rf-series',
    config: CONFIG,
    sender,
    log: silentLogger,
    metrics,
    clock: () => clock.now,
    sleep: async (ms) => {
      clock.now += ms;
    },
  });
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
  const valueOf = (series: typeof refused, name: string) =>
    series.filter((s) => s.labels.__name__ === name).reduce((n, s) => n + (s.samples.at(-1)?.value ?? 0), 0);
  assert.ok(valueOf(refused, 'traces_spanmetrics_calls_total') > 0);
  assert.equal(
    valueOf(delivered, 'traces_spanmetrics_calls_total'),
    valueOf(refused, 'traces_spanmetrics_calls_total'),
  );
  assert.ok(metrics.total('SamplesSent') > 0);
});
