// The fan-out pool on its own: bounded concurrency, least recently started first (tenants left
// out of one round go first in the next), one failing or stuck tenant never stops the others.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TenantFanOut, type TenantSend, type TenantSender } from '../../lib/flush/tenant-fan-out.ts';
import type { Logger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { labelsFromRecord } from '../../lib/series/labels.ts';

const ONE: CollectedSeries[] = [
  { labels: labelsFromRecord({ __name__: 'x_total' }), samples: [{ value: 1, timestampMs: 1 }], exemplars: [] },
];

function logs() {
  const lines: string[] = [];
  const logger: Logger = {
    info: (m) => lines.push(`info ${m}`),
    warn: (m, f) => lines.push(`warn ${m} ${JSON.stringify(f)}`),
    error: (m, f) => lines.push(`error ${m} ${JSON.stringify(f)}`),
  };
  return { lines, logger };
}

const jobs = (tenants: string[], deadlineMs: number): TenantSend[] =>
  tenants.map((tenant) => ({ tenant, chunks: () => [ONE], deadlineMs }));

describe('tenant fan-out pool', () => {
  test('never more than `concurrency` sends in flight, and every tenant is sent', async () => {
    let inFlight = 0;
    let peak = 0;
    const sent: string[] = [];
    const sender: TenantSender = {
      async send(tenant) {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 1 + (tenant.length % 3)));
        inFlight--;
        sent.push(tenant);
      },
    };
    const pool = new TenantFanOut({ sender, log: logs().logger, metrics: new MetricsRecorder(), clock: Date.now }, 4);
    const tenants = Array.from({ length: 30 }, (_, i) => `t${i}`);
    await pool.sendAll(jobs(tenants, Date.now() + 10_000));
    assert.equal(peak, 4);
    assert.deepEqual([...sent].sort(), [...tenants].sort());
  });

  test('tenants that got no slot before the deadline are sent first in the next round', async () => {
    const clock = { now: 0 };
    const rounds: string[][] = [];
    const sender: TenantSender = {
      async send(tenant) {
        rounds[rounds.length - 1].push(tenant);
        clock.now += 10; // each send takes 10 ms of the round
      },
    };
    const { lines, logger } = logs();
    const metrics = new MetricsRecorder();
    const pool = new TenantFanOut({ sender, log: logger, metrics, clock: () => clock.now }, 1);
    const tenants = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let r = 0; r < 3; r++) {
      rounds.push([]);
      await pool.sendAll(jobs(tenants, clock.now + 30)); // room for three sends per round
    }
    assert.deepEqual(rounds, [
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
      ['a', 'b', 'c'],
    ]);
    assert.equal(metrics.total('RemoteWriteFailures'), 9);
    assert.equal(metrics.get('RemoteWriteFailures', { tenant: 'd', endpoint: 'all', class: 'no_slot' }), 2);
    assert.match(lines.find((l) => l.includes('no send slot')) ?? '', /"skipped":3,"tenants":\["d","e","f"\]/);
  });

  test('a tenant whose send throws is logged and counted; the others are still sent', async () => {
    const sent: string[] = [];
    const sender: TenantSender = {
      async send(tenant) {
        if (tenant === 'bad') throw new Error('bug in one tenant');
        sent.push(tenant);
      },
    };
    const { lines, logger } = logs();
    const metrics = new MetricsRecorder();
    await new TenantFanOut({ sender, log: logger, metrics, clock: Date.now }, 2).sendAll(
      jobs(['x', 'bad', 'y', 'z'], Date.now() + 1000),
    );
    assert.deepEqual(sent.sort(), ['x', 'y', 'z']);
    assert.equal(metrics.get('RemoteWriteFailures', { tenant: 'bad', endpoint: 'all', class: 'send_error' }), 1);
    assert.ok(
      lines.some((l) => l.startsWith('error') && l.includes('"tenant":"bad"') && l.includes('bug in one tenant')),
    );
  });

  test('a send that ignores its deadline gives up its slot shortly after it', async () => {
    const sent: string[] = [];
    const sender: TenantSender = {
      send: (tenant) => {
        if (tenant === 'stuck') return new Promise<void>(() => {});
        sent.push(tenant);
        return Promise.resolve();
      },
    };
    const metrics = new MetricsRecorder();
    const started = Date.now();
    await new TenantFanOut({ sender, log: logs().logger, metrics, clock: Date.now }, 1).sendAll(
      jobs(['stuck', 'next'], started + 50),
    );
    // with one slot, `next` waits for the stuck send to be abandoned at its deadline plus the grace
    assert.deepEqual(sent, []);
    assert.equal(metrics.get('RemoteWriteFailures', { tenant: 'stuck', endpoint: 'all', class: 'overdue' }), 1);
    assert.equal(
      metrics.get('RemoteWriteFailures', { tenant: 'next', endpoint: 'all', class: 'no_slot' }),
      1,
      'next had no time left once the slot was free',
    );
  });

  test("series are collected only when the tenant's send starts, and empty ones are not sent", async () => {
    const events: string[] = [];
    const sender: TenantSender = {
      async send(tenant) {
        events.push(`send ${tenant}`);
      },
    };
    const lazy = (tenant: string, series: CollectedSeries[]): TenantSend => ({
      tenant,
      chunks: () => {
        events.push(`collect ${tenant}`);
        return [series];
      },
      deadlineMs: Date.now() + 1000,
    });
    await new TenantFanOut({ sender, log: logs().logger, metrics: new MetricsRecorder(), clock: Date.now }, 1).sendAll([
      lazy('a', ONE),
      lazy('empty', []),
      lazy('b', ONE),
    ]);
    assert.deepEqual(events, ['collect a', 'send a', 'collect empty', 'collect b', 'send b']);
  });
});
