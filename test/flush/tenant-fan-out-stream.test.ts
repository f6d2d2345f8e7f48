// A sender that takes pieces gets a tenant's collection as it is rendered: each piece is sent
// before the next is rendered (peak memory is one piece, not the tenant), and a send that runs
// past its deadline stops pulling, so nothing renders in the background afterwards.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TenantFanOut, type TenantSend, type TenantSender } from '../../lib/flush/tenant-fan-out.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { labelsFromRecord } from '../../lib/series/labels.ts';

const piece = (i: number): CollectedSeries[] => [
  { labels: labelsFromRecord({ __name__: `m${i}` }), samples: [{ value: i, timestampMs: 1 }], exemplars: [] },
];

function rendered(events: string[], pieces: number): TenantSend['chunks'] {
  return function* () {
    yield []; // no staleness markers this round: an empty piece is skipped
    for (let i = 0; i < pieces; i++) {
      events.push(`render ${i}`);
      yield piece(i);
    }
  };
}

describe('tenant fan-out, streamed', () => {
  test('each piece is sent before the next is rendered', async () => {
    const events: string[] = [];
    const sender: TenantSender = {
      send: async () => assert.fail('a sender that takes pieces gets pieces'),
      async sendChunks(_tenant, chunks) {
        for (const c of chunks) {
          await new Promise((r) => setImmediate(r));
          events.push(`send ${c[0].labels[0].value}`);
        }
      },
    };
    await new TenantFanOut({ sender, log: silentLogger, metrics: new MetricsRecorder(), clock: Date.now }).sendAll([
      { tenant: 'a', chunks: rendered(events, 3), deadlineMs: Date.now() + 5000 },
    ]);
    assert.deepEqual(events, ['render 0', 'send m0', 'render 1', 'send m1', 'render 2', 'send m2']);
  });

  test('a sender without pieces gets the whole collection once; an empty one sends nothing', async () => {
    const sent: string[][] = [];
    const sender: TenantSender = { send: async (_t, series) => void sent.push(series.map((s) => s.labels[0].value)) };
    const pool = new TenantFanOut({ sender, log: silentLogger, metrics: new MetricsRecorder(), clock: Date.now });
    await pool.sendAll([
      { tenant: 'a', chunks: rendered([], 3), deadlineMs: Date.now() + 5000 },
      { tenant: 'empty', chunks: rendered([], 0), deadlineMs: Date.now() + 5000 },
    ]);
    assert.deepEqual(sent, [['m0', 'm1', 'm2']]);
  });

  test('a send past its deadline stops pulling the collection', async () => {
    const events: string[] = [];
    let release!: () => void;
    const hung = new Promise<void>((r) => (release = r));
    const sender: TenantSender = {
      send: async () => {},
      async sendChunks(_tenant, chunks) {
        for (const c of chunks) {
          events.push(`send ${c[0].labels[0].value}`);
          await hung; // a receiver the sender does not time out
        }
      },
    };
    const metrics = new MetricsRecorder();
    // deadline already near: the overdue guard fires after the grace period
    await new TenantFanOut({ sender, log: silentLogger, metrics, clock: Date.now }).sendAll([
      { tenant: 'a', chunks: rendered(events, 3), deadlineMs: Date.now() + 10 },
    ]);
    release();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(events, ['render 0', 'send m0'], 'nothing rendered after the slot was given up');
  });
});
