// Against a real Prometheus (Debian's prometheus package; README, "Development"), when its binary is installed:
// what the client sends is accepted (counters, staleness markers, exemplars, integer native
// histograms) and reads back, and a malformed histogram really is the 500 validation prevents.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RemoteWriteClient } from '../../lib/remote-write/client.ts';
import { compress } from '../../lib/remote-write/compress.ts';
import { encodeWriteRequest } from '../../lib/remote-write/encode.ts';
import { PROTOCOL_HEADERS } from '../../lib/remote-write/headers.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { labelsFromRecord } from '../../lib/series/labels.ts';
import { newNativeForFactor, observeNative, toNativeSample } from '../../lib/series/native-histogram.ts';
import { staleNaN } from '../../lib/series/stale.ts';
import { endpointFor } from './receiver.ts';

const installed = spawnSync('prometheus', ['--version']).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('real Prometheus', { skip: installed ? false : 'prometheus binary not installed' }, () => {
  let dir: string;
  let proc: ChildProcess;
  let base: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rw-prom-'));
    writeFileSync(join(dir, 'prometheus.yml'), 'global: {scrape_interval: 1h}\nscrape_configs: []\n');
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    proc = spawn(
      'prometheus',
      [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--web.enable-remote-write-receiver',
        '--enable-feature=native-histograms,exemplar-storage',
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      const ready = await fetch(`${base}/-/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('prometheus did not become ready in 10 s');
  });

  after(() => {
    proc?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = async (q: string, atMs: number) => {
    const r = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(q)}&time=${atMs / 1000}`);
    return ((await r.json()) as { data: { result: { metric: Record<string, string>; value?: [number, string] }[] } })
      .data.result;
  };

  test('counters, staleness markers, exemplars and native histograms are accepted and read back', async () => {
    const now = Date.now() - 60_000;
    const name = (n: string, extra: Record<string, string> = {}) =>
      labelsFromRecord({ __name__: n, service: 'api', ...extra });
    const native = newNativeForFactor(1.1);
    for (const v of [0, 0.002, 0.01, 0.3, 0.3, 2, -1]) observeNative(native, v, 1);
    const series: CollectedSeries[] = [
      {
        labels: name('rw_calls_total'),
        samples: [
          { value: 0, timestampMs: now - 1000 },
          { value: 5, timestampMs: now },
        ],
        exemplars: [
          { labels: [{ name: 'traceID', value: '0af7651916cd43dd8448eb211c80319c' }], value: 1, timestampMs: now },
        ],
      },
      {
        labels: name('rw_gone_total'),
        samples: [
          { value: 3, timestampMs: now - 1000 },
          { value: staleNaN(), timestampMs: now, stale: true },
        ],
        exemplars: [],
      },
      { labels: name('rw_latency'), samples: [], exemplars: [], histograms: [toNativeSample(native, now)] },
    ];
    const client = new RemoteWriteClient(endpointFor(`${base}/api/v1/write`), {
      addOrgIdHeader: true,
      logger: silentLogger,
    });
    const result = await client.send('team-a', series, { deadlineMs: Date.now() + 10_000 });
    assert.deepEqual(
      result.requests.map((r) => [r.ok, r.status]),
      [[true, 204]],
    );

    assert.equal((await query('rw_calls_total', now))[0]?.value?.[1], '5');
    assert.equal((await query('rw_gone_total', now - 1000))[0]?.value?.[1], '3');
    assert.deepEqual(await query('rw_gone_total', now + 1000), [], 'the staleness marker ends the series');
    assert.equal((await query('histogram_count(rw_latency)', now))[0]?.value?.[1], '7');
    assert.equal((await query('histogram_sum(rw_latency)', now))[0]?.value?.[1], String(native.sum));

    const ex = await fetch(
      `${base}/api/v1/query_exemplars?query=rw_calls_total&start=${(now - 5000) / 1000}&end=${(now + 5000) / 1000}`,
    );
    const exemplars = (await ex.json()) as { data: { exemplars: { labels: Record<string, string> }[] }[] };
    assert.equal(exemplars.data[0]?.exemplars[0]?.labels.traceID, '0af7651916cd43dd8448eb211c80319c');
  });

  test('a malformed histogram gets a 500 when sent unvalidated; the client drops it and the rest lands', async () => {
    const now = Date.now() - 30_000;
    const bad: CollectedSeries = {
      labels: labelsFromRecord({ __name__: 'rw_bad' }),
      samples: [],
      exemplars: [],
      histograms: [
        {
          count: 3,
          sum: 1,
          schema: 0,
          zeroThreshold: 0,
          zeroCount: 0,
          negativeSpans: [],
          negativeDeltas: [],
          positiveSpans: [{ offset: 0, length: 1 }],
          positiveDeltas: [3, -1],
          timestampMs: now,
        },
      ],
    };
    const raw = await fetch(`${base}/api/v1/write`, {
      method: 'POST',
      headers: PROTOCOL_HEADERS,
      body: compress(encodeWriteRequest([bad])),
    });
    await raw.arrayBuffer();
    assert.equal(raw.status, 500);

    const good: CollectedSeries = {
      labels: labelsFromRecord({ __name__: 'rw_good' }),
      samples: [{ value: 1, timestampMs: now }],
      exemplars: [],
    };
    const client = new RemoteWriteClient(endpointFor(`${base}/api/v1/write`), {
      addOrgIdHeader: false,
      logger: silentLogger,
    });
    const result = await client.send('single-tenant', [bad, good], { deadlineMs: Date.now() + 10_000 });
    assert.equal(result.ok, true);
    assert.equal(result.dropped.length, 1);
    assert.equal((await query('rw_good', now))[0]?.value?.[1], '1');
  });

  test('an out-of-order sample is a 400: reported, not retried', async () => {
    const now = Date.now() - 20_000;
    const client = new RemoteWriteClient(endpointFor(`${base}/api/v1/write`), {
      addOrgIdHeader: false,
      logger: silentLogger,
    });
    const s = (value: number, at: number): CollectedSeries => ({
      labels: labelsFromRecord({ __name__: 'rw_ooo' }),
      samples: [{ value, timestampMs: at }],
      exemplars: [],
    });
    assert.equal((await client.send('t', [s(2, now)], { deadlineMs: Date.now() + 10_000 })).ok, true);
    const result = await client.send('t', [s(1, now - 5000)], { deadlineMs: Date.now() + 10_000 });
    assert.deepEqual(
      result.requests.map((r) => [r.status, r.failure, r.attempts]),
      [[400, '4xx', 1]],
    );
    assert.match(result.requests[0].error ?? '', /out of order/);
  });
});
