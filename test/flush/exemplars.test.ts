// Exemplars end to end: ingest deltas carry one exemplar per series and the saved state none, yet
// every histogram that observed traced spans in a collection interval sends at least one exemplar
// in that interval, warm container or cold.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SeriesSender } from '../../lib/flush/flusher.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { eventOf, makeRecords, startStore, testContext, RECORD_TIME_MS } from '../helpers/ingest-harness.ts';
import { Clock, flusherOn, freshTables } from './flusher-harness.ts';

/** Keeps each send's series, per collection (one send per tenant per collection here). */
class CollectionSender implements SeriesSender {
  readonly sends: { tenant: string; series: readonly CollectedSeries[] }[] = [];
  async send(tenant: string, series: readonly CollectedSeries[]): Promise<void> {
    this.sends.push({ tenant, series });
  }
}

const nameOf = (s: CollectedSeries) => s.labels.find((l) => l.name === '__name__')?.value ?? '';
/** The series identity without __name__ and le: one histogram. */
const histogramId = (tenant: string, s: CollectedSeries) =>
  tenant + JSON.stringify(s.labels.filter((l) => l.name !== '__name__' && l.name !== 'le'));

describe('exemplars through ingest and flusher', async () => {
  const store = await startStore();
  after(() => store.close());

  test('every histogram whose count grew in a collection sends at least one exemplar in it', async () => {
    const tables = await freshTables(store.client, 'ex');
    const ctx = { ...testContext(store.ddb), table: tables.deltas };
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const sender = new CollectionSender();
    let flusher = flusherOn(store.ddb, tables, sender, clock);
    const counts = new Map<string, number>();
    let grown = 0;
    for (let round = 0; round < 4; round++) {
      // several batches per partition within the interval: the registry folds many deltas
      for (let b = 0; b < 3; b++) {
        const from = round * 30 + b * 10;
        await ingestEvent(ctx, eventOf(makeRecords('traces', 0, from, 10), makeRecords('traces', 1, from, 10)));
      }
      if (round === 2) flusher = flusherOn(store.ddb, tables, sender, clock); // a cold container: state from DynamoDB
      const sent = sender.sends.length;
      await flusher.run(clock.now + 14_000); // exactly one collection, then the save
      const collection = sender.sends.slice(sent);
      assert.ok(collection.length > 0);
      const withExemplar = new Set<string>();
      const grew: string[] = [];
      for (const { tenant, series } of collection) {
        for (const s of series) {
          const name = nameOf(s);
          if (!name.includes('latency')) continue;
          if (s.exemplars.length > 0) withExemplar.add(histogramId(tenant, s));
          const count = name.endsWith('_count') ? s.samples.at(-1)?.value : s.histograms?.at(-1)?.count; // after any initial zero
          if (count === undefined) continue;
          const id = histogramId(tenant, s) + (s.histograms === undefined ? '' : '#native');
          if (count > (counts.get(id) ?? 0)) grew.push(histogramId(tenant, s));
          counts.set(id, count);
        }
      }
      assert.ok(grew.length > 0, `round ${round}: nothing grew`);
      grown += grew.length;
      for (const id of grew) assert.ok(withExemplar.has(id), `round ${round}: ${id} grew but sent no exemplar`);
      clock.now += 15_000; // the next collection interval
    }
    assert.ok(grown > 20, `only ${grown} histograms grew`);
  });
});
