// One-off group (not in `npm run bench`): the binary state format at 1M series, streamed from a
// generator as a registry yielding its series lazily would hand them over: encode time, state
// bytes, decode time, and the process's peak RSS. Run: npx tsx bench/state-format-1m.ts [series]

import type { SeriesSnapshot } from '../lib/series/registry-state.ts';
import { StateDecoder, encodeStateStream } from '../lib/store/state-codec.ts';

const BOUNDS = [0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384];

function* series(labelSets: number): Generator<SeriesSnapshot> {
  for (let i = 0; i < labelSets; i++) {
    const labels = [
      { name: 'service', value: `svc-${i % 200}` },
      { name: 'span_kind', value: 'SPAN_KIND_SERVER' },
      { name: 'span_name', value: `GET /api/v1/resource-${i}` },
      { name: 'status_code', value: 'STATUS_CODE_OK' },
    ];
    const common = { labels, lastUpdatedMs: 1_700_000_000_000 + i, overflow: false };
    yield { ...common, type: 'counter', name: 'traces_spanmetrics_calls_total', value: 3 + (i % 97), zeroSent: true };
    const counts: number[] = BOUNDS.map((_, b): number => ((i + b) % 5 === 0 ? 2 : 0)).concat([1]);
    yield {
      ...common,
      type: 'histogram',
      name: 'traces_spanmetrics_latency',
      classic: {
        bounds: BOUNDS,
        counts,
        sum: 0.123 * (i + 1),
        count: counts.reduce((a, b) => a + b, 0),
        zeroSent: true,
      },
      native: null,
    };
    yield { ...common, type: 'counter', name: 'traces_spanmetrics_size_total', value: 200 + i, zeroSent: true };
  }
}

const total = Number(process.argv[2] ?? 1_000_000);
const labelSets = Math.ceil(total / 3);
let t = performance.now();
let made = 0;
for (const _ of series(labelSets)) made++;
const generateMs = performance.now() - t;
t = performance.now();
const blocks: Buffer[] = [];
let bytes = 0;
for (const b of encodeStateStream({
  epoch: 1,
  clockMs: 1,
  folded: [],
  tenants: [['t', { version: 1, lastSentMs: 0, seriesLimitedTotal: 0, tombstones: [], series: series(labelSets) }]],
})) {
  blocks.push(b);
  bytes += b.length;
}
const encodeMs = performance.now() - t;
const afterEncode = process.memoryUsage().rss;
t = performance.now();
const d = new StateDecoder();
for (const b of blocks) d.push(b);
const state = d.finish();
const decodeMs = performance.now() - t;
console.log(
  `${state.tenants.t.series.length} series (${labelSets} label sets): making the ${made} snapshot objects alone ${(generateMs / 1000).toFixed(1)} s; making + encoding ${(encodeMs / 1000).toFixed(1)} s, ${(bytes / 1e6).toFixed(1)} MB (${(bytes / labelSets).toFixed(1)} bytes per label set, ${blocks.length} chunks), RSS after encode ${(afterEncode / 1e6).toFixed(0)} MB; decode ${(decodeMs / 1000).toFixed(1)} s, RSS with the decoded state ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
);
