// Kafka records -> service graphs, against span metrics on the same bytes: spans/s on one core.
// Each run is one batch: decode every record, pair client and server spans in memory, then drain
// with every pending edge expired (the root SERVER span of each random trace has no client and
// becomes a `user` virtual-node edge), so the store starts empty every run.
//
// The random spans carry `db.system` and `peer.service` (with random value types) as soon as they
// have 3-4 attributes, which under the default config makes every client span a database call.
// The `pairing` config looks for database and peer attributes the spans do not have, so client
// and server spans pair as in ordinary RPC traffic; `defaults` shows the database-edge path.
// Run alone: npx tsx bench/servicegraphs.ts

import { parseConfig } from '../lib/config/index.ts';
import type { KafkaRecord } from '../lib/decode/kafka-record.ts';
import { silentLogger } from '../lib/log/logger.ts';
import { SpanBatch } from '../lib/pipeline/span-batch.ts';
import type { EdgeHalf } from '../lib/servicegraph-model/half.ts';
import { HalfPairing } from '../lib/processors/servicegraphs/half-pairing.ts';
import type { SeriesIncrement } from '../lib/series/types.ts';
import { encodePushBytesRequest, encodeTempoTrace } from '../testing/build.ts';
import { randomTrace, seededRng } from '../testing/random-trace.ts';
import { formatRate, measure, printTable } from './harness.ts';

const SPANS_PER_RECORD = 200;
const RECORDS = 50;

function makeRecords(
  spansPerTrace: number,
  attrsPerSpan: number,
  services: number,
): { records: KafkaRecord[]; spans: number } {
  const rng = seededRng(spansPerTrace * 1000 + attrsPerSpan * 10 + services);
  const key = new TextEncoder().encode('bench');
  const records: KafkaRecord[] = [];
  let spans = 0;
  for (let r = 0; r < RECORDS; r++) {
    const traces: Uint8Array[] = [];
    for (let n = 0; n < SPANS_PER_RECORD; n += spansPerTrace) {
      traces.push(encodeTempoTrace(...randomTrace(rng, { spans: spansPerTrace, attrsPerSpan, services })));
      spans += spansPerTrace;
    }
    records.push({
      topic: 'bench',
      partition: 0,
      offset: r,
      timestampMs: 0,
      key,
      value: encodePushBytesRequest(traces),
    });
  }
  return { records, spans };
}

const PAIRING = '{database_name_attributes: [db.namespace], peer_attributes: [peer.name]}';

function contender(name: string, processors: string, serviceGraphs: string, records: KafkaRecord[], spans: number) {
  const config = parseConfig(`
metrics_generator: {processor: {service_graphs: ${serviceGraphs}}}
overrides: {defaults: {metrics_generator: {processors: ${processors}}}}`);
  const batch = new SpanBatch(config, { applySlack: false, log: silentLogger });
  return {
    name,
    run: () => {
      for (const r of records) batch.addRecord(r);
      batch.drain({ expireAll: true });
      return spans;
    },
  };
}

export function benchServiceGraphs(): void {
  console.log('\n## decode + service graphs vs decode + span metrics (default config, spans/s on one core)\n');
  const rows: string[][] = [];
  const cases: [number, number, number, string][] = [
    [10, 8, 4, 'pairing'],
    [10, 8, 4, 'defaults'],
    [1, 8, 4, 'pairing'],
    [100, 8, 4, 'pairing'],
    [10, 16, 4, 'pairing'],
    [10, 8, 50, 'pairing'],
  ];
  for (const [spansPerTrace, attrs, services, sg] of cases) {
    const { records, spans } = makeRecords(spansPerTrace, attrs, services);
    const sgConfig = sg === 'pairing' ? PAIRING : '{}';
    const [decode, graphs, spanMetrics, both] = measure([
      contender('decode only', '[]', sgConfig, records, spans),
      contender('service graphs', '[service-graphs]', sgConfig, records, spans),
      contender('span metrics', '[span-metrics]', sgConfig, records, spans),
      contender('both', '[span-metrics, service-graphs]', sgConfig, records, spans),
    ]);
    rows.push([
      `${spansPerTrace}`,
      `${attrs}`,
      `${services}`,
      sg,
      formatRate(decode.rate),
      formatRate(graphs.rate),
      formatRate(spanMetrics.rate),
      formatRate(both.rate),
      `${(graphs.rate / spanMetrics.rate).toFixed(2)}x`,
    ]);
  }
  printTable(
    [
      'spans/trace',
      'attrs/span',
      'services',
      'graphs config',
      'decode only',
      '+ service graphs',
      '+ span metrics',
      '+ both',
      'graphs / span metrics',
    ],
    rows,
  );
}

/**
 * The two tiers: each trace's resources alternate between two partitions' batches, so most edges
 * leave the ingest as halves. Ingest: decode + in-batch pairing + handing the halves over, spans/s
 * (against the same spans as whole traces in one batch). Flusher: pairing those halves, halves/s.
 */
export function benchCrossBatch(): void {
  console.log(
    '\n## service graphs across batches: ingest with halves handed over, and the flusher pairing them (one core)\n',
  );
  const rng = seededRng(77);
  const key = new TextEncoder().encode('bench');
  const whole: KafkaRecord[] = [];
  const split: KafkaRecord[][] = [[], []];
  let spans = 0;
  for (let r = 0; r < RECORDS; r++) {
    const traces: Uint8Array[] = [];
    const halves: Uint8Array[][] = [[], []];
    for (let n = 0; n < SPANS_PER_RECORD; n += 10) {
      const resources = randomTrace(rng, { spans: 10, attrsPerSpan: 8, services: 4 });
      traces.push(encodeTempoTrace(...resources));
      for (let p = 0; p < 2; p++) {
        const part = resources.filter((_, i) => i % 2 === p);
        if (part.length > 0) halves[p].push(encodeTempoTrace(...part));
      }
      spans += 10;
    }
    whole.push({ topic: 'bench', partition: 0, offset: r, timestampMs: 1, key, value: encodePushBytesRequest(traces) });
    for (let p = 0; p < 2; p++)
      split[p].push({
        topic: 'bench',
        partition: p,
        offset: r,
        timestampMs: 1,
        key,
        value: encodePushBytesRequest(halves[p]),
      });
  }
  const config = parseConfig(`
metrics_generator: {processor: {service_graphs: ${PAIRING}}}
overrides: {defaults: {metrics_generator: {processors: [service-graphs]}}}`);
  const tenant = config.tenant('bench');
  const ingest = (partitions: KafkaRecord[][]) => {
    const halves: EdgeHalf[] = [];
    for (const records of partitions) {
      const batch = new SpanBatch(config, { applySlack: false, log: silentLogger });
      for (const r of records) batch.addRecord(r);
      for (const p of batch.takePending().values()) halves.push(...p.halves);
      batch.drain();
    }
    return halves;
  };
  const handedOver = ingest(split);
  const [wholeRate, splitRate] = measure([
    {
      name: 'whole traces, one batch',
      run: () => {
        ingest([whole]);
        return spans;
      },
    },
    {
      name: 'split over two batches',
      run: () => {
        ingest(split);
        return spans;
      },
    },
  ]);
  const [pairing] = measure([
    {
      name: 'flusher pairing',
      run: () => {
        const p = new HalfPairing(tenant, { discard: () => {} });
        const out: SeriesIncrement[] = [];
        for (const h of handedOver) p.addHalf(h);
        p.expire(Number.MAX_SAFE_INTEGER);
        p.drain(out);
        return handedOver.length;
      },
    },
  ]);
  printTable(
    [
      'spans',
      'halves handed over',
      'ingest, whole traces (spans/s)',
      'ingest, split (spans/s)',
      'split / whole',
      'flusher pairing (halves/s)',
    ],
    [
      [
        `${spans}`,
        `${handedOver.length}`,
        formatRate(wholeRate.rate),
        formatRate(splitRate.rate),
        `${(splitRate.rate / wholeRate.rate).toFixed(2)}x`,
        formatRate(pairing.rate),
      ],
    ],
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchServiceGraphs();
  benchCrossBatch();
}
