// Group: how fast the flusher catches up on a backlog. The reference workload: 20,000 spans/s over
// 4,000 label sets with Zipf-distributed popularity, 12 partitions, a 5 s batching window, so every
// 5 s each partition commits one delta of ~8,333 spans. A sample of that backlog is ingested with
// the real ingest code into the embedded DynamoDB, then folded by the real flusher; the rate gives
// how long an hour of backlog (8,640 deltas) takes to fold. Goal: at most 6 minutes of invocations.

import { loadavg } from 'node:os';
import { decodeDelta, joinParts } from '../lib/delta/index.ts';
import { Flusher } from '../lib/flush/flusher.ts';
import { ingestContext, ingestEvent } from '../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../lib/ingest/msk-event.ts';
import { silentLogger } from '../lib/log/logger.ts';
import { MetricsRecorder } from '../lib/metrics/recorder.ts';
import { NO_CURSOR, readAllCursors } from '../lib/store/cursor.ts';
import { type Ddb, sdkDdb } from '../lib/store/ddb.ts';
import { readCommittedDeltas } from '../lib/store/delta-log.ts';
import { Registry } from '../lib/series/registry.ts';
import { createTable, startLocalDynamo } from '../lib/store/local-dynamo.ts';
import { DELTAS_TABLE, SERIES_TABLE } from '../lib/store/tables.ts';
import { BASE_NS } from '../testing/build.ts';
import { wrapDdb } from '../testing/ddb-wrapper.ts';
import { randomInt, seededRng } from '../testing/random-trace.ts';
import {
  SPAN_METRICS_CONFIG as CONFIG,
  WORKLOAD_NOW_MS as NOW_MS,
  workloadRecords,
  zipf,
} from '../testing/workload.ts';
import { printTable } from './harness.ts';

const SPANS_PER_SECOND = 20_000;
const LABEL_SETS = 4_000;
const PARTITIONS = 12;
const WINDOW_SECONDS = 5;
const SPANS_PER_DELTA = Math.round((SPANS_PER_SECOND * WINDOW_SECONDS) / PARTITIONS);
const DELTAS_PER_HOUR = (3600 / WINDOW_SECONDS) * PARTITIONS;
const SPANS_PER_RECORD = 50;
const SERVICES = 40;

const pick = zipf(LABEL_SETS);

/** One partition's batch of one window: SPANS_PER_DELTA spans in records of SPANS_PER_RECORD. */
function windowRecords(partition: number, window: number): KafkaEventRecord[] {
  return workloadRecords({
    topic: 'ref',
    partition,
    firstOffset: window * 1_000,
    spans: SPANS_PER_DELTA,
    spansPerRecord: SPANS_PER_RECORD,
    rng: seededRng(partition * 104_729 + window),
    draw: (rng) => {
      const s = pick(rng);
      return {
        service: `svc-${s % SERVICES}`,
        span: {
          name: `op-${s}`,
          kind: 1 + (s % 5),
          status: { code: s % 3 === 0 ? 2 : 0 },
          endNs: BASE_NS + BigInt(randomInt(rng, 900_000_000)),
          attributes: { 'http.method': 'GET' },
        },
      };
    },
  });
}

/** A flusher over the backlog table that sends nowhere: only folding is measured. */
function catchUpFlusher(ddb: Ddb, seriesTable: string): Flusher {
  return new Flusher({
    ddb,
    deltasTable: 'catchup-d',
    seriesTable,
    config: CONFIG,
    sender: { send: async () => {} },
    log: silentLogger,
    metrics: new MetricsRecorder(),
    clock: Date.now,
    sleep: async () => {},
  });
}

/**
 * A fixed computation (sorting doubles, string-keyed Map sets and gets) timed next to each round of
 * decode + apply: the ratio between the two cancels most of the machine's load, so figures of
 * runs on a busy shared machine can be compared.
 */
function referenceProbe(): number {
  const rng = seededRng(7);
  const xs = new Float64Array(200_000);
  for (let i = 0; i < xs.length; i++) xs[i] = rng();
  xs.sort();
  const m = new Map<string, number>();
  for (let i = 0; i < 60_000; i++) m.set(`series-${i % 20_000}-${i}`, i);
  let hits = 0;
  for (let i = 0; i < 60_000; i++) if (m.get(`series-${i % 20_000}-${i}`) !== undefined) hits++;
  return hits + xs[0];
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

let recoveryLoadMs = 0;
let foldRate = 0;

export async function benchFlushCatchUp(): Promise<void> {
  const windows = 4;
  const deltas = windows * PARTITIONS;
  console.log(
    `\n## flusher catch-up: ${SPANS_PER_SECOND} spans/s, ${LABEL_SETS} Zipf label sets, ${PARTITIONS} partitions, ${WINDOW_SECONDS} s window (${SPANS_PER_DELTA} spans per delta); ${deltas} deltas folded (load average ${loadavg()[0].toFixed(1)})\n`,
  );
  const local = await startLocalDynamo();
  const rows: string[][] = [];
  const row = (name: string, seconds: number, what: string) => {
    const rate = deltas / seconds;
    rows.push([
      name,
      what,
      rate.toFixed(1),
      `${((rate * SPANS_PER_DELTA) / 1e3).toFixed(0)}K`,
      `${(DELTAS_PER_HOUR / rate / 60).toFixed(1)} min`,
    ]);
  };
  try {
    await createTable(local.client, DELTAS_TABLE, 'catchup-d');
    const ddb = sdkDdb(local.client);
    const ctx = ingestContext({
      config: CONFIG,
      ddb,
      table: 'catchup-d',
      log: silentLogger,
      metrics: new MetricsRecorder(),
      nowMs: () => NOW_MS,
    });
    let deltaBytes = 0;
    for (let w = 0; w < windows; w++) {
      const event: Record<string, KafkaEventRecord[]> = {};
      for (let p = 0; p < PARTITIONS; p++) event[`ref-${p}`] = windowRecords(p, w);
      for (const r of await ingestEvent(ctx, { records: event })) deltaBytes += r.committed?.bytes ?? 0;
    }
    console.log(`(delta size ${(deltaBytes / deltas / 1024).toFixed(1)} KB)\n`);

    // the flusher's fold, as an invocation runs it: cursors, slices from the emulator, decode, apply
    let best = { wall: Infinity, cpu: Infinity };
    let requests = 0;
    let lastFlusher: Flusher | undefined;
    let lastTable = '';
    for (let round = 0; round < 3; round++) {
      const table = `catchup-s-${round}`;
      await createTable(local.client, SERIES_TABLE, table);
      const counted = wrapDdb(ddb, (_op, run) => {
        requests++;
        return run();
      });
      const flusher = catchUpFlusher(counted, table);
      await flusher.load();
      requests = 0;
      const wall = performance.now();
      const cpu = cpuMs();
      const folded = await flusher.fold(NOW_MS);
      if (folded !== deltas) throw new Error(`folded ${folded} of ${deltas} deltas`);
      best = { wall: Math.min(best.wall, performance.now() - wall), cpu: Math.min(best.cpu, cpuMs() - cpu) };
      lastFlusher = flusher;
      lastTable = table;
    }
    // recovery after a crash between saves: load the last save, then refold what came after it
    await lastFlusher!.save();
    const loadStarted = performance.now();
    const fresh = catchUpFlusher(ddb, lastTable);
    await fresh.load();
    recoveryLoadMs = performance.now() - loadStarted;
    foldRate = deltas / (best.wall / 1000);
    row('flusher fold on the emulator', best.wall / 1000, 'wall');
    row('flusher fold on the emulator', best.cpu / 1000, 'CPU (incl. the emulator)');
    console.log(
      `(fold: ${requests} DynamoDB requests for ${deltas} deltas, ${(requests / deltas).toFixed(2)} per delta)\n`,
    );

    // decode + apply alone: the flusher's own work per delta, without the emulator
    const committed = [];
    for (const { partition, cursor } of await readAllCursors(ddb, 'catchup-d')) {
      committed.push(...(await readCommittedDeltas(ddb, 'catchup-d', 'ref', partition, NO_CURSOR, cursor)));
    }
    let bestCpu = Infinity;
    let bestRatio = Infinity;
    for (let round = 0; round < 5; round++) {
      const probeStart = cpuMs();
      referenceProbe();
      const probe = cpuMs() - probeStart;
      const registry = new Registry(CONFIG.tenant('team-a'));
      const cpu = cpuMs();
      for (const c of committed)
        for (const t of decodeDelta(joinParts(c.parts)).tenants) registry.apply(t.increments, NOW_MS);
      const took = cpuMs() - cpu;
      bestCpu = Math.min(bestCpu, took);
      bestRatio = Math.min(bestRatio, took / deltas / probe);
    }
    row('decode + apply only', bestCpu / 1000, 'CPU');
    console.log(
      `(decode + apply per delta = ${bestRatio.toFixed(3)} x the reference probe's CPU time, best of 5 interleaved rounds; load-independent, lower is faster)\n`,
    );
  } finally {
    await local.close();
  }
  printTable(['fold', 'time', 'deltas/s', 'spans/s folded', '1 h backlog folds in'], rows);
  console.log(
    `\n(1 h of backlog = ${DELTAS_PER_HOUR} deltas; goal: at most 6 min of flusher invocations; fold: best of 3 rounds)`,
  );
  // a new container after a crash between saves: load the save, refold N minutes of deltas
  const perMinute = DELTAS_PER_HOUR / 60;
  console.log(
    `\n### recovery from a save N minutes old (load ${recoveryLoadMs.toFixed(0)} ms for ${LABEL_SETS} label sets, then ${perMinute} deltas a minute at ${foldRate.toFixed(1)} deltas/s)\n`,
  );
  printTable(
    ['save age', 'deltas to refold', 'recovery (load + refold)'],
    [1, 5, 15, 30].map((n) => [
      `${n} min`,
      String(n * perMinute),
      `${((recoveryLoadMs + ((n * perMinute) / foldRate) * 1000) / 1000).toFixed(1)} s`,
    ]),
  );
}
