// One row of the registry-memory group, in a fresh process (run with --expose-gc): builds one
// tenant's registry of `labelSets` span-metrics label sets through the flusher's fold path (deltas
// encoded, decoded and applied as the flusher folds them), measures its heap after GC with the
// exemplars still pending, then times collect + remote-write encode and the state save encode,
// and prints one JSON line. bench/registry-memory.ts runs it and prints the table.

import { parseConfig } from '../lib/config/index.ts';
import { DEFAULT_SPAN_METRICS_BUCKETS } from '../lib/config/defaults.ts';
import { decodeDelta, encodeDelta, type DeltaContent } from '../lib/delta/index.ts';
import { compress } from '../lib/remote-write/compress.ts';
import { encodeWriteRequest } from '../lib/remote-write/encode.ts';
import { splitRequests } from '../lib/remote-write/split.ts';
import { Registry } from '../lib/series/registry.ts';
import type { Exemplar, SeriesIncrement } from '../lib/series/types.ts';
import { encodeState } from '../lib/store/snapshot-store.ts';

const LABEL_SETS_PER_DELTA = 2_000;
/** Folds per label set (each a later batch of the same label sets), observations per fold. */
const ROUNDS = 2;
const OBSERVATIONS = 4;
const NOW_MS = 1_780_000_000_000;
const KINDS = ['SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
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
  const m = process.memoryUsage();
  return m.heapUsed + m.external; // external: typed-array storage lives outside the V8 heap
}

function traceId(n: number): string {
  return ((n * 2654435761) >>> 0).toString(16).padStart(8, '0') + ((n * 40503 + 977) >>> 0).toString(16).padStart(8, '0') + '0123456789abcdef';
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
    out.push({ type: 'histogram', name: 'traces_spanmetrics_latency', labels, classic: { bounds, counts, sum, count: OBSERVATIONS, exemplars } });
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
  for (let from = 0; from < labelSets; from += LABEL_SETS_PER_DELTA) deltas.push(delta(from, Math.min(labelSets, from + LABEL_SETS_PER_DELTA), round));
}
const heapBefore = heapAfterGc();
const registry = new Registry(CONFIG.tenant('bench'));
const foldStarted = performance.now();
const foldCpu = cpuMs();
for (const bytes of deltas) for (const t of decodeDelta(bytes).tenants) registry.apply(t.increments, NOW_MS);
const foldCpuMs = cpuMs() - foldCpu;
const foldMs = performance.now() - foldStarted;
deltas.length = 0;
const heapHeld = heapAfterGc() - heapBefore;
const timeSeries = registry.size === 0 ? 0 : registry.activeSeries;

// The flusher's send: one collection, cut into requests of 2,000 samples, encoded and compressed.
const collectStarted = performance.now();
const collectCpu = cpuMs();
const collected = registry.collect(NOW_MS + 60_000);
let wireBytes = 0;
for (const request of splitRequests(collected, 2000)) wireBytes += compress(encodeWriteRequest(request)).length;
const collectCpuMs = cpuMs() - collectCpu;
const collectMs = performance.now() - collectStarted;
collected.length = 0;

const saveStarted = performance.now();
const saveCpu = cpuMs();
const state = encodeState({ epoch: 1, clockMs: NOW_MS, folded: [], tenants: { bench: registry.snapshot() } });
const saveCpuMs = cpuMs() - saveCpu;
const saveMs = performance.now() - saveStarted;
const heapAfterCollect = heapAfterGc() - heapBefore;

console.log(
  JSON.stringify({
    labelSets,
    timeSeries,
    heapHeldBytes: heapHeld,
    heapAfterCollectBytes: heapAfterCollect,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    foldMs,
    collectMs,
    saveMs,
    foldCpuMs,
    collectCpuMs,
    saveCpuMs,
    wireBytes,
    stateBytes: state.length,
  }),
);
