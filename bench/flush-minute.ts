// What one reference-workload minute costs the flusher in time: the real ingest writes two 15 s
// collection slots of deltas (12 partitions x 3 batches of 8,333 spans each, Zipf label sets) into
// the embedded DynamoDB, the real flusher folds the first slot (creating the series), then the
// second is timed as every later slot runs: fold its 36 deltas, collect, and send through the real
// remote-write client to a local HTTP receiver; then the save. Times are CPU time of this process
// (one core), which includes the emulator and the receiver: on a shared machine wall time
// measures the other processes too, and in Lambda the store's share is network time instead,
// billed either way. lib/cost/model.ts scales them by the Lambda memory's CPU share.

import { createServer, type Server } from 'node:http';
import { loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import type { GeneratorConfig } from '../lib/config/types.ts';
import { flusherTime, flusherWorkOnlyMs } from '../lib/cost/flusher-time.ts';
import type { Workload } from '../lib/cost/model.ts';
import { US_EAST_1 } from '../lib/cost/prices.ts';
import type { UnitFigures } from '../lib/cost/units.ts';
import { Flusher } from '../lib/flush/flusher.ts';
import { endpointsOf, RemoteWriteSender } from '../lib/flush/remote-sender.ts';
import { ingestContext, ingestEvent } from '../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../lib/ingest/msk-event.ts';
import { silentLogger } from '../lib/log/logger.ts';
import { publishMetrics } from '../lib/metrics/publish.ts';
import { MetricsRecorder } from '../lib/metrics/recorder.ts';
import { sdkDdb } from '../lib/store/ddb.ts';
import { createTable, type LocalDynamo } from '../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../lib/store/tables.ts';
import { printTable } from './harness.ts';

export interface FlusherMinute {
  readonly deltasPerSlot: number;
  readonly labelSets: number;
  /** Fold time per delta into existing series (decode, apply, the store's reads). */
  readonly foldMsPerDelta: number;
  /** Collect + validate + encode + compress + HTTP send, per active label set. */
  readonly collectUsPerLabelSet: number;
  /** The save after the minute's last collection, per active label set. */
  readonly saveUsPerLabelSet: number;
  /** CPU time over wall time of the timed part: below 1 when other processes had the core. */
  readonly cpuShareOfWall: number;
  /** Label sets the timed slot's deltas touched, on average per delta. */
  readonly touchedPerDelta: number;
  /** CloudWatch metrics the minute published (ingest + flusher), and how many carry a tenant. */
  readonly publishedMetrics: number;
  readonly publishedPerTenant: number;
  readonly publishedIds: readonly string[];
}

/** Distinct `Name{dims}` in EMF lines: what CloudWatch bills one custom metric for. */
export function publishedMetricIds(lines: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const line of lines) {
    const doc = JSON.parse(line);
    const spec = doc._aws.CloudWatchMetrics[0];
    const dims = [...(spec.Dimensions[0] as string[])]
      .sort()
      .map((k) => `${k}=${doc[k]}`)
      .join(',');
    for (const m of spec.Metrics) ids.add(`${m.Name}{${dims}}`);
  }
  return ids;
}

/** CPU time of this process (the flusher, the emulator and the receiver) and wall time, in ms. */
function times(): { cpu: number; wall: number } {
  const u = process.cpuUsage();
  return { cpu: (u.user + u.system) / 1000, wall: performance.now() };
}

async function receiver(): Promise<{ server: Server; url: string; requests: () => number }> {
  let n = 0;
  const server = createServer((req, res) => {
    req.on('data', () => {});
    req.on('end', () => {
      n++;
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`, requests: () => n };
}

/**
 * `batch(partition, index)` gives one partition batch of the reference workload, its records
 * written at `recordTimeMs`. Batches 0-2 of every partition are the first slot, 3-5 the timed one.
 */
export async function measureFlusherMinute(
  local: LocalDynamo,
  config: GeneratorConfig,
  partitions: number,
  batch: (partition: number, index: number) => KafkaEventRecord[],
  recordTimeMs: number,
): Promise<FlusherMinute> {
  await createTable(local.client, DELTAS_TABLE, 'minute-d');
  await createTable(local.client, SERIES_TABLE, 'minute-s');
  const ddb = sdkDdb(local.client);
  const ingestMetrics = new MetricsRecorder();
  const ingest = ingestContext({
    config,
    ddb,
    table: 'minute-d',
    log: silentLogger,
    metrics: ingestMetrics,
    nowMs: () => recordTimeMs,
  });
  const ingestSlot = async (slot: number) => {
    for (let b = slot * 3; b < slot * 3 + 3; b++) {
      const event: Record<string, KafkaEventRecord[]> = {};
      for (let p = 0; p < partitions; p++) event[`minute-${p}`] = batch(p, b);
      await ingestEvent(ingest, { records: event });
    }
  };
  const rw = await receiver();
  try {
    const metrics = new MetricsRecorder();
    const sender = new RemoteWriteSender(
      config,
      endpointsOf(config, { REMOTE_WRITE_URL: rw.url }),
      metrics,
      silentLogger,
    );
    // the wall clock (the remote-write client's deadlines are on it), moved a slot ahead below
    let ahead = 0;
    const clock = () => Date.now() + ahead;
    const f = new Flusher({
      ddb,
      deltasTable: 'minute-d',
      seriesTable: 'minute-s',
      config,
      sender,
      log: silentLogger,
      metrics,
      clock,
      sleep: async (ms) => void (ahead += ms),
    });
    await f.load();
    await ingestSlot(0);
    await f.fold(clock());
    await f.collectDue(clock(), clock() + 15_000);
    const emf: string[] = [];
    publishMetrics(ingestMetrics, 0, (l) => emf.push(l));
    await ingestSlot(1);
    const touched = ingestMetrics.total('DeltaSeries') / 3 / (partitions * 3); // calls, latency, size share a label set
    ahead += 15_000;
    const t0 = times();
    const folded = await f.fold(clock());
    const t1 = times();
    await f.collectDue(clock(), clock() + 15_000);
    const t2 = times();
    await f.save();
    const t3 = times();
    if (folded !== partitions * 3) throw new Error(`folded ${folded} deltas, expected ${partitions * 3}`);
    if (rw.requests() === 0) throw new Error('nothing was sent');
    publishMetrics(metrics, 0, (l) => emf.push(l));
    publishMetrics(ingestMetrics, 0, (l) => emf.push(l));
    const published = publishedMetricIds(emf);
    const labelSets = (f.tenants().get('team-a')?.size ?? 0) / 3;
    return {
      deltasPerSlot: folded,
      labelSets: Math.round(labelSets),
      foldMsPerDelta: (t1.cpu - t0.cpu) / folded,
      collectUsPerLabelSet: ((t2.cpu - t1.cpu) * 1000) / labelSets,
      saveUsPerLabelSet: ((t3.cpu - t2.cpu) * 1000) / labelSets,
      cpuShareOfWall: (t3.cpu - t0.cpu) / (t3.wall - t0.wall),
      touchedPerDelta: Math.round(touched),
      publishedMetrics: published.size,
      publishedPerTenant: [...published].filter((id) => id.includes('tenant=')).length,
      publishedIds: [...published].sort(),
    };
  } finally {
    await new Promise((r) => rw.server.close(r));
  }
}

/**
 * The flusher's monthly Lambda cost at the workload by memory: as it runs (one invocation a minute
 * staying in for its four collections) and what the same work would bill without the waits.
 */
export function printFlusherMinute(minute: FlusherMinute, units: UnitFigures, w: Workload): void {
  console.log(
    `\nflusher minute at the reference workload (CPU time, one core, load average ${loadavg()[0].toFixed(1)}; CPU was ${(minute.cpuShareOfWall * 100).toFixed(0)}% of wall): ` +
      `fold ${minute.foldMsPerDelta.toFixed(1)} ms per delta (${minute.touchedPerDelta} label sets touched), collect + send ${((minute.collectUsPerLabelSet * minute.labelSets) / 1000).toFixed(0)} ms, ` +
      `save ${((minute.saveUsPerLabelSet * minute.labelSets) / 1000).toFixed(0)} ms for ${minute.labelSets} label sets; ${minute.publishedMetrics} CloudWatch metrics published (${minute.publishedPerTenant} per tenant): ${minute.publishedIds.join(' ')}\n`,
  );
  const touched = minute.touchedPerDelta;
  const rows = [256, 384, 512, 768, 1024, 1769].map((memoryMb) => {
    const load = {
      deltasPerSecond: w.partitions / w.batchingWindowS,
      touchedPerDelta: touched,
      activeLabelSets: w.labelSets,
      memoryMb,
    };
    const t = flusherTime(load, units);
    const workMs = flusherWorkOnlyMs(load, units);
    const dollars = (ms: number) =>
      `$${((((ms / 1000) * memoryMb) / 1024) * 43_200 * US_EAST_1.lambdaGbSecond).toFixed(2)}`;
    return [
      String(memoryMb),
      `${(t.slotWorkMs / 1000).toFixed(1)} s${t.fallsBehind ? ' (falls behind)' : ''}`,
      `${(t.invocationMs / 1000).toFixed(1)} s`,
      dollars(t.invocationMs),
      `${(workMs / 1000).toFixed(1)} s`,
      dollars(workMs),
    ];
  });
  printTable(
    [
      'flusher MB',
      'work per 15 s collection',
      'invocation a minute (as built)',
      '$ per month',
      'work only (no waits)',
      '$ per month, work only',
    ],
    rows,
  );
}
