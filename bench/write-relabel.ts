// write_relabel_configs: what relabeling costs per series in a flush, with and without the
// per-label-set cache, next to what encoding and compressing the same series costs. The label
// arrays are rebuilt every collection (as the registry does), so the cache is hit by content.

import { compress } from '../lib/remote-write/compress.ts';
import { encodeWriteRequest } from '../lib/remote-write/encode.ts';
import {
  Relabeler,
  relabelConfigOf,
  relabelSeries,
  type RelabelConfig,
  type RelabelConfigInput,
} from '../lib/remote-write/relabel.ts';
import { splitRequests } from '../lib/remote-write/split.ts';
import type { CollectedSeries } from '../lib/series/collected.ts';
import { labelsFromRecord } from '../lib/series/labels.ts';
import { formatRate, measure, printTable } from './harness.ts';

const SERIES = 100_000;
const NOW = 1_700_000_000_000;
const KINDS = ['SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_INTERNAL'];

/** A typical set: drop one family, rename a prefix, drop a label, derive one from two. */
const RULES: RelabelConfigInput[] = [
  { source_labels: ['__name__'], regex: 'traces_spanmetrics_size_total', action: 'drop' },
  { source_labels: ['__name__'], regex: 'traces_spanmetrics_(.*)', target_label: '__name__', replacement: 'spans_$1' },
  { regex: '__metrics_gen_instance', action: 'labeldrop' },
  { source_labels: ['service', 'span_kind'], regex: '(.+);SPAN_KIND_(.+)', target_label: 'role', replacement: '$1-$2' },
];

function series(): CollectedSeries[] {
  return Array.from({ length: SERIES }, (_, i) => ({
    labels: labelsFromRecord({
      __name__: 'traces_spanmetrics_calls_total',
      __metrics_gen_instance: 'flusher-0',
      service: `service-${i % 60}`,
      span_name: `GET /api/v1/resource-${Math.floor(i / 60)}`,
      span_kind: KINDS[i % KINDS.length],
      status_code: i % 7 === 0 ? 'STATUS_CODE_ERROR' : 'STATUS_CODE_UNSET',
    }),
    samples: [{ value: 1 + (i % 977) * 3, timestampMs: NOW }],
    exemplars: [],
  }));
}

/** The same series with fresh label arrays, as the next collection hands them over. */
const nextCollection = (s: readonly CollectedSeries[]) =>
  s.map((x) => ({ ...x, labels: x.labels.map((l) => ({ ...l })) }));

export function benchWriteRelabel(): void {
  console.log(
    `\n## write_relabel_configs (${SERIES / 1000}K series per flush, ${RULES.length} rules, series/s on one core)\n`,
  );
  const configs = RULES.map((r) => relabelConfigOf(r) as RelabelConfig);
  const base = series();
  const collections = [nextCollection(base), nextCollection(base)];
  let turn = 0;
  const cached = new Relabeler(configs);
  const uncached = new Relabeler(configs, 0);
  const [noCache, withCache, encode] = measure(
    [
      { name: 'relabel, no cache', run: () => relabelSeries(uncached, collections[turn++ % 2]).kept.length },
      { name: 'relabel, cache', run: () => relabelSeries(cached, collections[turn++ % 2]).kept.length },
      {
        name: 'encode+snappy',
        run: () => {
          for (const r of splitRequests(base, 2000)) compress(encodeWriteRequest(r));
          return base.length;
        },
      },
    ],
    { rounds: 3, roundMs: 1000 },
  );
  printTable(
    ['relabel, no cache', 'relabel, cache (steady state)', 'encode+snappy (reference)'],
    [[formatRate(noCache.rate), formatRate(withCache.rate), formatRate(encode.rate)]],
  );
}
