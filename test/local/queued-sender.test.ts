import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { QueuedSender } from '../../lib/local/queued-sender.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';

/** A sender whose calls the test answers; `batch` tags each collection. */
function controlled() {
  const calls: { tenant: string; batch: number; done: () => void }[] = [];
  return {
    calls,
    send: (tenant: string, series: readonly CollectedSeries[]) =>
      new Promise<void>((done) => calls.push({ tenant, batch: series.length, done })),
  };
}
const collection = (n: number) => Array.from({ length: n }, () => ({}) as CollectedSeries);
const tick = () => new Promise((r) => setTimeout(r, 5));

describe('queued remote write', () => {
  test('send returns at once; a tenant whose endpoint hangs holds back only its own sends, in order', async () => {
    const target = controlled();
    const sender = new QueuedSender(target, silentLogger);
    await sender.send('slow', collection(1), 0);
    await sender.send('slow', collection(2), 0);
    await sender.send('fast', collection(3), 0);
    await tick();
    assert.deepEqual(
      target.calls.map((c) => `${c.tenant}:${c.batch}`),
      ['slow:1', 'fast:3'],
      'the second slow send waits for the first',
    );
    target.calls[1].done();
    await sender.send('fast', collection(4), 0);
    await tick();
    assert.deepEqual(
      target.calls.map((c) => `${c.tenant}:${c.batch}`),
      ['slow:1', 'fast:3', 'fast:4'],
    );
    assert.equal(await sender.drain(20), 3, 'drain gives up at its timeout and says what is still waiting');
    target.calls[0].done();
    await tick();
    assert.equal(target.calls[3].batch, 2);
    for (const c of target.calls) c.done();
    assert.equal(await sender.drain(1000), 0);
  });

  test('far behind, the oldest waiting collections are dropped (each newer one carries the same counters)', async () => {
    const target = controlled();
    const sender = new QueuedSender(target, silentLogger);
    for (let i = 1; i <= 12; i++) await sender.send('t', collection(i), 0);
    assert.equal(sender.dropped, 3, 'one in flight, eight waiting');
    for (let i = 0; i < 9; i++) {
      await tick();
      target.calls[i].done();
    }
    await sender.drain(1000);
    assert.deepEqual(
      target.calls.map((c) => c.batch),
      [1, 5, 6, 7, 8, 9, 10, 11, 12],
    );
  });
});
