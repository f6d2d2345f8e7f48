// Group 1: Kafka record -> span metrics, fast path vs protobufjs vs raw walk, same bytes.

import { parseConfig } from '../lib/config/index.ts';
import type { KafkaRecord } from '../lib/decode/kafka-record.ts';
import { silentLogger } from '../lib/log/logger.ts';
import { SpanBatch } from '../lib/pipeline/span-batch.ts';
import { encodePushBytesRequest, encodeTempoTrace } from '../testing/build.ts';
import { randomTrace, seededRng } from '../testing/random-trace.ts';
import { ProtobufjsSpanMetrics, rawWalk } from './baselines.ts';
import { formatRate, measure, printTable } from './harness.ts';

const SPANS_PER_RECORD = 200;
const RECORDS = 50;

/** Push-bytes records of about SPANS_PER_RECORD spans each, in traces of spansPerTrace spans. */
function makeRecords(spansPerTrace: number, attrsPerSpan: number): { records: KafkaRecord[]; spans: number } {
  const rng = seededRng(spansPerTrace * 100 + attrsPerSpan);
  const key = new TextEncoder().encode('bench');
  const records: KafkaRecord[] = [];
  let spans = 0;
  for (let r = 0; r < RECORDS; r++) {
    const traces: Uint8Array[] = [];
    for (let n = 0; n < SPANS_PER_RECORD; n += spansPerTrace) {
      traces.push(encodeTempoTrace(...randomTrace(rng, { spans: spansPerTrace, attrsPerSpan, services: 4 })));
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

export function benchDecodeSpanMetrics(): void {
  console.log('\n## decode + span metrics (default config, spans/s on one core)\n');
  const config = parseConfig('overrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}');
  const rows: string[][] = [];
  const cases: [number, number][] = [
    [10, 8],
    [1, 8],
    [100, 8],
    [10, 4],
    [10, 16],
  ];
  for (const [spansPerTrace, attrs] of cases) {
    const { records, spans } = makeRecords(spansPerTrace, attrs);
    const batch = new SpanBatch(config, { applySlack: false, log: silentLogger });
    const baseline = new ProtobufjsSpanMetrics();
    const [fast, pbjs, raw] = measure([
      {
        name: 'fast',
        run: () => {
          for (const r of records) batch.addRecord(r);
          batch.drain();
          return spans;
        },
      },
      {
        name: 'protobufjs',
        run: () => {
          let n = 0;
          for (const r of records) n += baseline.add(r.value!);
          baseline.reset();
          return n;
        },
      },
      {
        name: 'raw walk',
        run: () => {
          let n = 0;
          for (const r of records) n += rawWalk(r.value!);
          return n;
        },
      },
    ]);
    rows.push([
      `${spansPerTrace}`,
      `${attrs}`,
      formatRate(fast.rate),
      formatRate(pbjs.rate),
      formatRate(raw.rate),
      `${(fast.rate / pbjs.rate).toFixed(1)}x`,
      `${(raw.rate / fast.rate).toFixed(2)}x`,
    ]);
  }
  printTable(
    ['spans/trace', 'attrs/span', 'fast', 'protobufjs', 'raw walk', 'fast / protobufjs', 'raw walk / fast'],
    rows,
  );
}
