import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type GeneratorConfig, parseConfig } from '../../lib/config/index.ts';
import type { KafkaRecord } from '../../lib/decode/kafka-record.ts';
import { silentLogger, type Logger } from '../../lib/log/logger.ts';
import { SpanBatch } from '../../lib/pipeline/span-batch.ts';
import type { CounterIncrement, SeriesIncrement } from '../../lib/series/types.ts';
import {
  buildResourceSpans,
  encodePushBytesRequest,
  encodeTempoTrace,
  encodeTracesData,
  int,
  BASE_NS,
} from '../../testing/build.ts';

/** A config with these processors on for every tenant. */
function withProcessors(...processors: string[]): GeneratorConfig {
  return withGlobal({}, ...processors);
}

/** A config whose global `metrics_generator:` block is `mg`, with these processors on for every tenant. */
function withGlobal(mg: object, ...processors: string[]): GeneratorConfig {
  return parseConfig(
    JSON.stringify({ metrics_generator: mg, overrides: { defaults: { metrics_generator: { processors } } } }),
  );
}

const CONFIG = withProcessors('span-metrics-count');
const enc = new TextEncoder();
const NOW_MS = Number(BASE_NS / 1_000_000n) + 1000; // spans end at BASE_NS + 1 s

let offset = 0;
function record(value: Uint8Array | null, key: string | null = 'team-a', timestampMs = NOW_MS): KafkaRecord {
  return {
    topic: 'traces',
    partition: 3,
    offset: offset++,
    timestampMs,
    key: key === null ? null : enc.encode(key),
    value,
  };
}

function calls(increments: SeriesIncrement[] | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const inc of increments ?? []) {
    if (inc.type !== 'counter') continue;
    const name = inc.labels.find((l) => l.name === 'span_name')?.value ?? '';
    out[name] = (out[name] ?? 0) + (inc as CounterIncrement).value;
  }
  return out;
}

function pushBytes(...names: string[]): Uint8Array {
  return encodePushBytesRequest([encodeTempoTrace(buildResourceSpans({ spans: names.map((name) => ({ name })) }))]);
}

describe('SpanBatch', () => {
  test('aggregates per tenant across records and resets on drain', () => {
    const batch = new SpanBatch(CONFIG, { applySlack: true, log: silentLogger });
    batch.addRecord(record(pushBytes('a', 'b')));
    batch.addRecord(record(pushBytes('a')));
    batch.addRecord(record(pushBytes('a'), 'team-b'));
    const out = batch.drain();
    assert.deepEqual(calls(out.get('team-a')), { a: 2, b: 1 });
    assert.deepEqual(calls(out.get('team-b')), { a: 1 });
    assert.equal(batch.stats.spansReceived, 4);
    assert.equal(batch.drain().size, 0);
  });

  test('ingestion slack drops spans ending outside record time ± slack (30s default), inclusive bounds', () => {
    const batch = new SpanBatch(CONFIG, { applySlack: true, log: silentLogger });
    const endOf = (deltaMs: number) => BASE_NS + 1_000_000_000n + BigInt(deltaMs) * 1_000_000n;
    const value = encodePushBytesRequest([
      encodeTempoTrace(
        buildResourceSpans({
          spans: [
            { name: 'edge-early', endNs: endOf(-30_000) },
            { name: 'too-early', endNs: endOf(-30_001) },
            { name: 'edge-late', endNs: endOf(30_000) },
            { name: 'too-late', endNs: endOf(30_001) },
            { name: 'now', endNs: endOf(0) },
          ],
        }),
      ),
    ]);
    batch.addRecord(record(value));
    assert.deepEqual(calls(batch.drain().get('team-a')), { 'edge-early': 1, 'edge-late': 1, now: 1 });
    assert.equal(batch.stats.discarded('outside_metrics_ingestion_slack', 'all'), 2);
    assert.equal(batch.stats.spansReceived, 5);
  });

  test('per-tenant ingestion_time_range_slack override', () => {
    const cfg = parseConfig(`
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics-count]
      ingestion_time_range_slack: 1h
`);
    const batch = new SpanBatch(cfg, { applySlack: true, log: silentLogger });
    batch.addRecord(record(pushBytes('old'), 'team-a', NOW_MS + 10 * 60_000));
    assert.deepEqual(calls(batch.drain().get('team-a')), { old: 1 });
  });

  test('skipMetricsGeneration counts one skipped push per processor and produces nothing', () => {
    const cfg = withProcessors('span-metrics');
    const batch = new SpanBatch(cfg, { applySlack: true, log: silentLogger });
    const trace = encodeTempoTrace(buildResourceSpans({ spans: [{}] }));
    batch.addRecord(record(encodePushBytesRequest([trace, trace], { skipMetricsGeneration: true })));
    assert.equal(batch.drain().size, 0);
    assert.equal(batch.stats.skippedProcessorPushes, 2);
    assert.equal(batch.stats.spansReceived, 2);
  });

  test('codec otlp reads TracesData with the tenant from the header', () => {
    const cfg = withGlobal({ codec: 'otlp' }, 'span-metrics-count');
    const batch = new SpanBatch(cfg, { applySlack: true, log: silentLogger });
    const value = encodeTracesData(buildResourceSpans({ spans: [{ name: 'x' }] }));
    batch.addRecord({ ...record(value, null), headers: [{ key: 'X-Scope-OrgID', value: enc.encode('team-c') }] });
    assert.deepEqual(calls(batch.drain().get('team-c')), { x: 1 });
  });

  test('bad records among good ones: good fully captured, bad counted by reason and logged with position', () => {
    const lines: string[] = [];
    const log: Logger = { ...silentLogger, warn: (m, f) => lines.push(`${m} ${JSON.stringify(f)}`) };
    const batch = new SpanBatch(CONFIG, { applySlack: true, log, maxRecordBytes: 4096 });
    const good = pushBytes('good');
    const inputs: KafkaRecord[] = [
      record(good),
      record(new Uint8Array(0)),
      record(good.subarray(0, good.length - 4)),
      record(Uint8Array.from({ length: 64 }, (_, i) => (i * 37) & 0xff)),
      record(good, null),
      record(good, 'bad tenant!'),
      record(new Uint8Array(5000)),
      record(good),
    ];
    for (const r of inputs) batch.addRecord(r);
    assert.deepEqual(calls(batch.drain().get('team-a')), { good: 2 });
    assert.deepEqual(Object.fromEntries(batch.stats.badRecords), {
      empty_value: 1,
      malformed_protobuf: 2,
      missing_tenant: 1,
      invalid_tenant: 1,
      oversize_record: 1,
    });
    assert.equal(lines.length, 6);
    assert.match(lines[0], /traces-3@\d+.*empty_value/);
  });

  test('huge attribute values are truncated to the label limit, not a crash', () => {
    const cfg = withGlobal({ processor: { span_metrics: { dimensions: ['big'] } } }, 'span-metrics-count');
    const batch = new SpanBatch(cfg, { applySlack: true, log: silentLogger });
    const big = 'x'.repeat(1_000_000);
    batch.addRecord(
      record(
        encodePushBytesRequest([encodeTempoTrace(buildResourceSpans({ spans: [{ attributes: { big, n: int(1) } }] }))]),
      ),
    );
    const [inc] = batch.drain().get('team-a')!;
    assert.equal(inc.labels.find((l) => l.name === 'big')!.value.length, 2048);
  });

  test('invalid UTF-8 in a label value drops the span and counts it', () => {
    const batch = new SpanBatch(CONFIG, { applySlack: true, log: silentLogger });
    const value = pushBytes('ok', 'bad\u0001');
    // replace the \u0001 byte of the second name with 0xff (invalid UTF-8)
    const i = Buffer.from(value).indexOf(Buffer.from('bad\u0001'));
    value[i + 3] = 0xff;
    batch.addRecord(record(value));
    assert.deepEqual(calls(batch.drain().get('team-a')), { ok: 1 });
    assert.equal(batch.stats.discarded('invalid_utf8', 'span-metrics'), 1);
  });
});

test('at the end of an ingest batch, unpaired service-graph halves are handed over with their record time; root servers expire at once', () => {
  const cfg = withProcessors('service-graphs');
  const batch = new SpanBatch(cfg, { applySlack: true, log: silentLogger });
  // a client span whose server half is not in this batch, and a root server span (no parent)
  batch.addRecord(
    record(
      encodePushBytesRequest([
        encodeTempoTrace(
          buildResourceSpans({
            resource: { 'service.name': 'web' },
            spans: [{ kind: 3, name: 'call', spanId: 'aa00000000000001' }],
          }),
        ),
      ]),
      'team-a',
      NOW_MS - 500,
    ),
  );
  batch.addRecord(
    record(
      encodePushBytesRequest([
        encodeTempoTrace(
          buildResourceSpans({ resource: { 'service.name': 'api' }, spans: [{ kind: 2, name: 'root' }] }),
        ),
      ]),
    ),
  );
  const pending = batch.takePending().get('team-a');
  assert.ok(pending !== undefined);
  assert.equal(pending.halves.length, 1);
  const half = pending.halves[0];
  assert.equal(half.clientService, 'web');
  assert.equal(half.serverService, '');
  assert.equal(half.arrivalMs, NOW_MS - 500, 'arrival is the Kafka record timestamp, the same on a retry');
  assert.equal(Buffer.from(half.key.subarray(half.traceIdLength)).toString('hex'), 'aa00000000000001');
  const text = batch
    .drain({ nowMs: NOW_MS })
    .get('team-a')!
    .map((i) => `${i.name}${JSON.stringify(i.labels)}`)
    .join('\n');
  assert.match(
    text,
    /^traces_service_graph_request_total\[\{"name":"client","value":"user"\},\{"name":"connection_type","value":"virtual_node"\},\{"name":"server","value":"api"\}\]$/m,
  );
  assert.equal(batch.takePending().size, 0, 'nothing is handed over twice');
  // Tempo's self-monitoring: both edges were new edges of this batch; nothing expired unmatched
  const counters = batch.serviceGraphCounters();
  assert.equal(counters.edges, 2);
  assert.equal(counters.expiredEdges.size, 0);
});
