// One row of the registry-memory group, in a fresh process (run with --expose-gc): builds one
// tenant's registry of `labelSets` span-metrics label sets through the flusher's fold path (deltas
// encoded, decoded and applied as the flusher folds them), measures its heap after GC with the
// exemplars still pending, then times collect + remote-write (streamed in the flusher's pieces: validate, split, encode, compress), the state save encode and
// the load of that state into a new registry, and prints one JSON line. bench/registry-memory.ts runs it and prints the table.

import { parseConfig } from '../lib/config/index.ts';
import { DEFAULT_SPAN_METRICS_BUCKETS } from '../lib/config/defaults.ts';
import { decodeDelta, encodeDelta, type DeltaContent } from '../lib/delta/index.ts';
import { COLLECT_CHUNK_SERIES } from '../lib/flush/flusher.ts';
import { silentLogger } from '../lib/log/logger.ts';
import { RemoteWriteClient, type PostFn } from '../lib/remote-write/index.ts';
import { Registry } from '../lib/series/registry.ts';
import type { Exemplar, SeriesIncrement } from '../lib/series/types.ts';
import { decodeStateStream, encodeStateStream } from '../lib/store/state-codec.ts';

const LABEL_SETS_PER_DELTA = 2_000;
/** Folds per label set (each a later batch of the same label sets), observations per fold. */
const ROUNDS = 2;
const OBSERVATIONS = 4;
const NOW_MS = 1_780_000_000_000;
const KINDS = [
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
const CONFIG = parseConfig('overrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}');

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('registry-memory-child: run node with --expose-gc');

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function heapAfterGc(): number {
  gc!();
  gc!();
  // The V8 heap only: the registry holds no typed arrays, and `external` would also count the
  // save's freed buffers, whose release lags behind the collection.
  return process.memoryUsage().heapUsed;
}

function traceId(n: number): string {
  return (
    ((n * 2654435761) >>> 0).toString(16).padStart(8, '0') +
    ((n * 40503 + 977) >>> 0).toString(16).padStart(8, '0') +
    '0123456789abcdef'
  );
}

/** The span-metrics increments of label sets [from, to) in fold `round`, as one batch would hold them. */
function increments(from: number, to: number, round: number): SeriesIncrement[] {
  const bounds = DEFAULT_SPAN_METRICS_BUCKETS;
  const out: SeriesIncrement[] = [];
  for (let i = from; i < to; i++) {
    const labels = [
      { name: 'service', value: `service-${i % 200}` },
      { name: 'span_kind', value: KINDS[i % KINDS.length] },
      { name: 'span_name', value: `GET /api/v1/resource-${Math.floor(i / 5)}` },
      { name: 'status_code', value: i % 7 === 0 ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_UNSET' },
    ];
    const counts = new Array<number>(bounds.length + 1).fill(0);
    const exemplars: (Exemplar | undefined)[] = new Array<undefined>(bounds.length + 1).fill(undefined);
    let sum = 0;
    for (let k = 0; k < OBSERVATIONS; k++) {
      const b = (i + round * 3 + k * 2) % counts.length;
      const value = b < bounds.length ? bounds[b] * 0.75 : 20;
      counts[b]++;
      sum += value;
      exemplars[b] = { traceId: traceId(i * 31 + round * 7 + k), value };
    }
    out.push({ type: 'counter', name: 'traces_spanmetrics_calls_total', labels, value: OBSERVATIONS });
    out.push({
      type: 'histogram',
      name: 'traces_spanmetrics_latency',
      labels,
      classic: { bounds, counts, sum, count: OBSERVATIONS, exemplars },
    });
    out.push({ type: 'counter', name: 'traces_spanmetrics_size_total', labels, value: OBSERVATIONS * 1234 });
  }
  return out;
}

function delta(from: number, to: number, round: number): Uint8Array {
  const content: DeltaContent = {
    topic: 'bench',
    partition: 0,
    firstOffset: from,
    lastOffset: to - 1,
    minTimestampMs: NOW_MS,
    maxTimestampMs: NOW_MS,
    records: to - from,
    spans: (to - from) * OBSERVATIONS,
    badRecords: {},
    spansDiscarded: {},
    tenants: [{ tenant: 'bench', increments: increments(from, to, round) }],
  };
  return encodeDelta(content);
}

const labelSets = Number(process.argv[2]);
if (!(labelSets > 0)) throw new Error('usage: registry-memory-child.ts <label sets>');

// Deltas are encoded up front (as the delta table holds them) so only decode + apply is timed.
const deltas: Uint8Array[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (let from = 0; from < labelSets; from += LABEL_SETS_PER_DELTA)
    deltas.push(delta(from, Math.min(labelSets, from + LABEL_SETS_PER_DELTA), round));
}
/** The flusher's fold: decode each delta, apply each tenant's increments. */
function fold(registry: Registry, from: readonly Uint8Array[]): void {
  for (const bytes of from) for (const t of decodeDelta(bytes).tenants) registry.apply(t.increments, NOW_MS);
}

// Warm-up on a throwaway registry, so compiled code and the codec's buffers are not counted.
fold(new Registry(CONFIG.tenant('bench')), [delta(0, Math.min(labelSets, LABEL_SETS_PER_DELTA), 0)]);
const heapBefore = heapAfterGc();
let registry: Registry | undefined = new Registry(CONFIG.tenant('bench'));
const foldStarted = performance.now();
const foldCpu = cpuMs();
fold(registry, deltas);
const foldCpuMs = cpuMs() - foldCpu;
const foldMs = performance.now() - foldStarted;
const heapHeld = heapAfterGc() - heapBefore; // the deltas are in both figures
deltas.length = 0;
const timeSeries = registry.size === 0 ? 0 : registry.activeSeries;

// Each step runs in a function of its own, so nothing it made outlives it in this frame.
const cpuTimedAsync = async <T>(run: () => Promise<T>): Promise<{ result: T; ms: number; cpuMs: number }> => {
  const started = performance.now();
  const cpu = cpuMs();
  const result = await run();
  return { result, cpuMs: cpuMs() - cpu, ms: performance.now() - started };
};
const cpuTimed = <T>(run: () => T): { result: T; ms: number; cpuMs: number } => {
  const started = performance.now();
  const cpu = cpuMs();
  const result = run();
  return { result, cpuMs: cpuMs() - cpu, ms: performance.now() - started };
};

/**
 * The flusher's send: one collection pulled in the flusher's pieces into a remote-write send
 * session (validate, requests of 2,000 samples, encode, compress) whose receiver answers at once.
 */
async function collectAndEncode(r: Registry): Promise<number> {
  let wireBytes = 0;
  const post: PostFn = async (_url, _headers, body) => {
    wireBytes += body.length;
    return { status: 204, retryAfter: null, body: '' };
  };
  const client = new RemoteWriteClient(
    { url: 'http://127.0.0.1:9/api/v1/write', headers: {}, remoteTimeoutMs: 30_000, maxSamplesPerSend: 2000 },
    { addOrgIdHeader: true, post, logger: silentLogger },
  );
  const session = client.open('bench', { deadlineMs: Date.now() + 600_000 });
  for (const chunk of r.collectChunks(NOW_MS + 60_000, COLLECT_CHUNK_SERIES)) await session.add(chunk);
  await session.finish();
  return wireBytes;
}

const collect = await cpuTimedAsync(() => collectAndEncode(registry!));
const heapAfterCollect = heapAfterGc() - heapBefore;
// the flusher's save: the binary state format, written chunk by chunk
const save = cpuTimed(() =>
  Buffer.concat([
    ...encodeStateStream({ epoch: 1, clockMs: NOW_MS, folded: [], tenants: { bench: registry!.snapshot() } }),
  ]),
);
const state = save.result;

// The next invocation's load: the saved state decoded and restored (no exemplars are saved).
registry = undefined;
const load = cpuTimed(() => new Registry(CONFIG.tenant('bench'), decodeStateStream([state]).tenants.bench));
const heapRestored = heapAfterGc() - heapBefore;
const restored = load.result;
if (restored.size === 0) throw new Error('restored registry is empty');

console.log(
  JSON.stringify({
    labelSets,
    timeSeries,
    heapHeldBytes: heapHeld,
    heapAfterCollectBytes: heapAfterCollect,
    heapRestoredBytes: heapRestored,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    foldMs,
    collectMs: collect.ms,
    saveMs: save.ms,
    foldCpuMs,
    collectCpuMs: collect.cpuMs,
    saveCpuMs: save.cpuMs,
    restoreMs: load.ms,
    restoreCpuMs: load.cpuMs,
    wireBytes: collect.result,
    stateBytes: state.length,
  }),
);
