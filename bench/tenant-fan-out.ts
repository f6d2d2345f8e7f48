// Tenant fan-out: how many tenants one flusher sends per 15 s collection interval when every
// remote-write request takes 50 ms at the receiver (a local node:http server that waits 50 ms
// before answering 204). Each tenant sends 20 counter series through the real remote-write client.
// *one after another* is the flusher's former behaviour (measured on 100 tenants and scaled to the
// interval); *fan-out* is lib/flush/tenant-fan-out.ts on 1,000 tenants, also with one tenant whose
// receiver never answers (remote_timeout 5 s).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from '../lib/config/index.ts';
import { RemoteWriteSender } from '../lib/flush/remote-sender.ts';
import { DEFAULT_SEND_CONCURRENCY, TenantFanOut, type TenantSend } from '../lib/flush/tenant-fan-out.ts';
import { silentLogger } from '../lib/log/logger.ts';
import { MetricsRecorder } from '../lib/metrics/recorder.ts';
import type { CollectedSeries } from '../lib/series/collected.ts';
import { labelsFromRecord } from '../lib/series/labels.ts';
import { printTable } from './harness.ts';

const INTERVAL_MS = 15_000;
const RESPONSE_MS = 50;
const SERIES_PER_TENANT = 20;
const HANGING = 'tenant-hanging';

async function receiver(): Promise<{
  url: string;
  delivered: Set<string>;
  lastAt: () => number;
  close: () => Promise<void>;
}> {
  const delivered = new Set<string>();
  let lastAt = 0;
  const server: Server = createServer((req, res) => {
    const tenant = String(req.headers['x-scope-orgid']);
    req.resume();
    req.on('end', () => {
      if (tenant === HANGING) return; // never answers
      setTimeout(() => {
        delivered.add(tenant);
        lastAt = Date.now();
        res.writeHead(204).end();
      }, RESPONSE_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`,
    delivered,
    lastAt: () => lastAt,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function seriesOf(tenant: string, now: number): CollectedSeries[] {
  return Array.from({ length: SERIES_PER_TENANT }, (_, i) => ({
    labels: labelsFromRecord({ __name__: 'traces_spanmetrics_calls_total', service: `svc-${i}`, tenant_hint: tenant }),
    samples: [{ value: i + 1, timestampMs: now }],
    exemplars: [],
  }));
}

/** Sends `tenants` through a pool of `concurrency`; returns the wall time and the tenants delivered. */
async function round(
  tenants: string[],
  concurrency: number,
): Promise<{ ms: number; delivered: number; lastDeliveryMs: number }> {
  const rx = await receiver();
  try {
    const config = parseConfig('');
    const sender = new RemoteWriteSender(
      config,
      [{ url: rx.url, headers: {}, remoteTimeoutMs: 5_000, maxSamplesPerSend: 2000 }],
      new MetricsRecorder(),
      silentLogger,
    );
    const pool = new TenantFanOut(
      { sender, log: silentLogger, metrics: new MetricsRecorder(), clock: Date.now },
      concurrency,
    );
    const started = Date.now();
    const sends: TenantSend[] = tenants.map((tenant) => ({
      tenant,
      chunks: () => [seriesOf(tenant, started)],
      deadlineMs: started + INTERVAL_MS,
    }));
    await pool.sendAll(sends);
    return { ms: Date.now() - started, delivered: rx.delivered.size, lastDeliveryMs: rx.lastAt() - started };
  } finally {
    await rx.close();
  }
}

export async function benchTenantFanOut(): Promise<void> {
  console.log(
    `\n## tenant fan-out: tenants sent per ${INTERVAL_MS / 1000} s interval at ${RESPONSE_MS} ms per request (local receiver, ${SERIES_PER_TENANT} series per tenant)\n`,
  );
  const names = (n: number) => Array.from({ length: n }, (_, i) => `tenant-${String(i).padStart(4, '0')}`);
  const rows: string[][] = [];
  const sequential = await round(names(100), 1);
  const perTenant = sequential.ms / 100;
  rows.push([
    'one after another (before)',
    '100',
    `${(sequential.ms / 1000).toFixed(1)} s`,
    `${Math.floor(INTERVAL_MS / perTenant)} (scaled)`,
  ]);
  const fan = await round(names(1000), DEFAULT_SEND_CONCURRENCY);
  rows.push([
    `fan-out, ${DEFAULT_SEND_CONCURRENCY} in flight`,
    '1000',
    `${(fan.ms / 1000).toFixed(1)} s`,
    `${fan.delivered} sent; capacity ${Math.floor((1000 * INTERVAL_MS) / fan.ms)}`,
  ]);
  const hung = await round([HANGING, ...names(1000)], DEFAULT_SEND_CONCURRENCY);
  rows.push([
    `fan-out, one receiver hanging`,
    '1000 + 1',
    `others done in ${(hung.lastDeliveryMs / 1000).toFixed(1)} s; the hanging one ends at the deadline (${(hung.ms / 1000).toFixed(1)} s)`,
    `${hung.delivered} of the 1000 others sent`,
  ]);
  printTable(['sending', 'tenants', 'wall time', `tenants per ${INTERVAL_MS / 1000} s interval`], rows);
}
