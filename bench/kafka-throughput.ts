// Group: local mode end to end from a pre-filled Kafka topic (librdkafka's mock cluster, 3
// brokers, snappy batches as Tempo's distributor writes them) through kafkajs, ingest into the
// embedded DynamoDB and commit, with 1, 8 and 48 partitions; each run then checks that the
// flusher folded exactly one call per span produced. Needs kcat and python3; skipped
// (with a note) without them.

import { createKafkaJsConsumer } from '../lib/local/kafkajs-consumer.ts';
import type { KafkaConsumerSlice } from '../lib/local/kafka-source.ts';
import { startLocalMode } from '../lib/local/local-mode.ts';
import { silentLogger } from '../lib/log/logger.ts';
import { buildResourceSpans, encodePushBytesRequest, encodeTempoTrace } from '../testing/build.ts';
import { randomInt, seededRng } from '../testing/random-trace.ts';
import {
  mockKafkaAvailable,
  startMockKafka,
  testSettings,
  type MockKafka,
  type MockMessage,
} from '../testing/kafka-mock-broker.ts';
import { compress as snappyCompress } from 'snappyjs';
import { printTable } from './harness.ts';
import { threadCpu, threadCpuSince, type ThreadCpu } from './thread-cpu.ts';

const SPANS_PER_RECORD = 100;
/**
 * The mock keeps only a partition's newest 5 MiB of record batches as stored (compressed): stay
 * well below that, estimated with the same codec in kcat-sized batches.
 */
const COMPRESSED_BYTES_PER_PARTITION = 4_000_000;
const KCAT_BATCH_BYTES = 1_000_000;
const SERVICES = 4;
/**
 * About 240 MB of records (2.3M spans) per topic, so that even one partition runs long enough for
 * a rate to mean something; BENCH_KAFKA_BYTES sets the uncompressed bytes per partition instead.
 */
const TOPIC_BYTES = 240_000_000;

function bytesPerPartition(partitions: number): number {
  return Number(process.env.BENCH_KAFKA_BYTES ?? TOPIC_BYTES / partitions);
}

/** Partitions of one service share their records: making them took most of the pre-fill time. */
const made = new Map<string, ReturnType<typeof records>>();
function sharedRecords(partition: number, nowMs: number, uncompressedBytes: number): ReturnType<typeof records> {
  const key = `${partition % SERVICES} ${uncompressedBytes}`;
  let r = made.get(key);
  if (r === undefined) made.set(key, (r = records(partition % SERVICES, nowMs, uncompressedBytes)));
  return r;
}

function records(
  partition: number,
  nowMs: number,
  uncompressedBytes: number,
): { messages: MockMessage[]; spans: number; bytes: number } {
  const rng = seededRng(partition + 1);
  const messages: MockMessage[] = [];
  let bytes = 0;
  let compressed = 0;
  let batch: Uint8Array[] = [];
  let batchBytes = 0;
  const endNs = BigInt(nowMs) * 1_000_000n;
  while (bytes < uncompressedBytes && compressed < COMPRESSED_BYTES_PER_PARTITION) {
    const spans = Array.from({ length: SPANS_PER_RECORD }, () => {
      const s = randomInt(rng, 200);
      return {
        name: `op-${s >> 1}`,
        kind: 2,
        status: { code: s & 1 },
        startNs: endNs - 20_000_000n,
        endNs,
        attributes: { 'http.method': 'GET', region: 'eu-west-1' },
      };
    });
    const value = encodePushBytesRequest([
      encodeTempoTrace(buildResourceSpans({ resource: { 'service.name': `svc-${partition % SERVICES}` }, spans })),
    ]);
    bytes += value.length;
    messages.push({ key: 'team-a', value });
    batch.push(value);
    batchBytes += value.length;
    if (batchBytes >= KCAT_BATCH_BYTES) {
      compressed += snappyCompress(Buffer.concat(batch)).length;
      batch = [];
      batchBytes = 0;
    }
  }
  return { messages, spans: messages.length * SPANS_PER_RECORD, bytes };
}

export async function benchKafkaThroughput(): Promise<void> {
  console.log('\n## local mode from a pre-filled Kafka topic (mock broker, snappy, 100 spans/record)');
  if (!mockKafkaAvailable()) {
    console.log('skipped: kcat or python3 missing (apt-get install kcat)');
    return;
  }
  const rows: string[][] = [];
  for (const partitions of (process.env.BENCH_KAFKA_PARTITIONS ?? '1,8,48').split(',').map(Number)) {
    const kafka = await startMockKafka(3);
    try {
      const topic = `bench-${partitions}`;
      await kafka.createTopic(topic, partitions);
      const now = Date.now();
      let spans = 0;
      let bytes = 0;
      // a few kcat processes at a time: 48 at once would starve the 2 cores
      for (let p = 0; p < partitions; p += 4) {
        await Promise.all(
          Array.from({ length: Math.min(4, partitions - p) }, (_, i) => {
            const r = sharedRecords(p + i, now, bytesPerPartition(partitions));
            spans += r.spans;
            bytes += r.bytes;
            return kafka.produce(topic, p + i, r.messages, 'snappy');
          }),
        );
      }
      if (process.env.BENCH_KAFKA_NOOP) rows.push(await consumerAlone(kafka, topic, partitions, spans, bytes));
      // BENCH_KAFKA_RUNS=N: N runs over the same pre-filled topic (a fresh group and store each)
      const runs = Number(process.env.BENCH_KAFKA_RUNS ?? 1);
      for (let run = 1; run <= runs; run++)
        rows.push(await localModeRun(kafka, topic, `bench-${partitions}-${run}`, { partitions, spans, bytes }));
    } finally {
      made.clear();
      await kafka.close();
    }
  }
  printTable(
    [
      'partitions',
      'topic size',
      'spans',
      'ingested',
      'join',
      'first batch fetched to last span ingested',
      'spans/s (flowing)',
      'spans/s (incl. join)',
      'CPU of one core',
      'main thread CPU per span',
      'other threads CPU per span',
    ],
    rows,
  );
}

interface Topic {
  readonly partitions: number;
  readonly spans: number;
  readonly bytes: number;
}

/** Local mode consuming the whole pre-filled topic once, as one table row. */
async function localModeRun(kafka: MockKafka, topic: string, groupId: string, t: Topic): Promise<string[]> {
  const { partitions, spans } = t;
  const profiler = process.env.BENCH_PROFILE ? await startProfile() : undefined;
  const fetched = { at: 0 };
  const started = performance.now();
  const local = await startLocalMode({
    port: 0,
    demo: false,
    partitions: 1,
    batchWindowMs: 1000,
    topic: 'local',
    log: silentLogger,
    progress: () => {},
    env: {},
    // BENCH_INGEST_THREADS=N: N ingest threads (default: by the machine's cores)
    ingestThreads: process.env.BENCH_INGEST_THREADS ? Number(process.env.BENCH_INGEST_THREADS) : undefined,
    // the spans were stamped before producing: allow for the minutes pre-filling takes
    inlineConfig:
      'metrics_generator: {metrics_ingestion_time_range_slack: 1h}\noverrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}',
    kafka: {
      consumer: () =>
        firstFetchStamped(createKafkaJsConsumer(testSettings(kafka, topic, groupId), silentLogger), fetched),
      topic,
      leaveGroupOnShutdown: true,
    },
  });
  const joined = performance.now();
  const cpu0 = process.cpuUsage();
  const threads0 = threadCpu();
  while (local.stats().spans < spans && performance.now() - joined < 120_000)
    await new Promise((r) => setTimeout(r, 5));
  const first = fetched.at;
  const done = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const threads = threadCpuSince(threads0);
  // BENCH_THREADS=1: every thread's CPU seconds while flowing (which is which: by thread id order)
  if (process.env.BENCH_THREADS) {
    // in the main isolate's clock, to line this phase up with --trace-gc's timestamps
    console.log(`  flowing from ${Math.round(first || joined)} ms to ${Math.round(done)} ms`);
    for (const [tid, s] of threads?.byThread ?? [])
      if (s >= 0.01) console.log(`  thread ${tid}${tid === process.pid ? ' (main)' : ''}: ${s.toFixed(2)} s`);
  }
  const got = local.stats().spans;
  await profiler?.(`/tmp/kafka-bench-${partitions}.cpuprofile`);
  // end to end: the flusher folds every ingested span into the calls counters (checked after the
  // clock stopped, so the fold's delay does not count against the rate)
  const foldedBy = performance.now() + 30_000;
  while (callsTotal(local.metricsText()) < got && performance.now() < foldedBy)
    await new Promise((r) => setTimeout(r, 50));
  const folded = callsTotal(local.metricsText());
  await local.stop();
  if (folded !== got) throw new Error(`the flusher folded ${folded} calls for ${got} spans ingested`);
  return tableRow(String(partitions), t, got, { started, joined, first: first || joined, done }, cpu, threads);
}

/** The sum of every traces_spanmetrics_calls_total series in Prometheus text. */
function callsTotal(text: string): number {
  let sum = 0;
  for (const line of text.split('\n'))
    if (line.startsWith('traces_spanmetrics_calls_total{')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  return sum;
}

/** One row: `joined` is when consuming began, `first` when the first batch was handed over. */
function tableRow(
  label: string,
  { spans, bytes }: Topic,
  got: number,
  at: { started: number; joined: number; first: number; done: number },
  cpu: NodeJS.CpuUsage,
  threads: ThreadCpu | undefined,
): string[] {
  const flowing = (at.done - at.first) / 1000;
  return [
    label,
    `${(bytes / 1e6).toFixed(1)} MB`,
    spans.toLocaleString('en-US'),
    got === spans ? 'all' : `${got} of ${spans}`,
    `${((at.joined - at.started) / 1000).toFixed(1)} s`,
    `${flowing.toFixed(2)} s`,
    `${Math.round(got / flowing / 1000).toLocaleString('en-US')}K`,
    `${Math.round(got / ((at.done - at.started) / 1000) / 1000).toLocaleString('en-US')}K`,
    `${Math.round(((cpu.user + cpu.system) / 1000 / (at.done - at.first)) * 100)}%`,
    ...perSpan(threads, got),
  ];
}

/** CPU microseconds per span of the main thread and of every other thread (ingest thread, GC, ...). */
function perSpan(threads: ThreadCpu | undefined, spans: number): string[] {
  if (threads === undefined || spans === 0) return ['n/a', 'n/a'];
  return [`${((threads.mainS * 1e6) / spans).toFixed(2)} µs`, `${((threads.otherS * 1e6) / spans).toFixed(2)} µs`];
}

/** Stamps when kafkajs hands over the first batch: the flowing phase starts there, not at the first ingest. */
function firstFetchStamped(consumer: KafkaConsumerSlice, fetched: { at: number }): KafkaConsumerSlice {
  const run = consumer.run.bind(consumer);
  consumer.run = (options) =>
    run({
      ...options,
      eachBatch(payload) {
        if (fetched.at === 0) fetched.at = performance.now();
        return options.eachBatch(payload);
      },
    });
  return consumer;
}

/**
 * BENCH_KAFKA_NOOP=1: the same topic read by kafkajs alone (codecs registered, every batch resolved
 * at once, nothing ingested or committed): the ceiling the mock broker and kafkajs set together.
 */
async function consumerAlone(
  kafka: MockKafka,
  topic: string,
  partitions: number,
  spans: number,
  bytes: number,
): Promise<string[]> {
  const consumer = createKafkaJsConsumer(testSettings(kafka, topic, `noop-${partitions}`), silentLogger);
  let records = 0;
  let first = 0;
  const started = performance.now();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 64,
    async eachBatch({ batch, resolveOffset }) {
      if (first === 0) first = performance.now();
      records += batch.messages.length;
      resolveOffset(batch.lastOffset());
    },
  });
  const cpu0 = process.cpuUsage();
  const threads0 = threadCpu();
  while (records * SPANS_PER_RECORD < spans && performance.now() - started < 120_000)
    await new Promise((r) => setTimeout(r, 5));
  const done = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const threads = threadCpuSince(threads0);
  await consumer.disconnect();
  const got = records * SPANS_PER_RECORD;
  const at = { started, joined: first, first: first || started, done };
  return tableRow(`${partitions} (kafkajs alone)`, { partitions, spans, bytes }, got, at, cpu, threads);
}

/** BENCH_PROFILE=1: a CPU profile of the consuming phase only (not of pre-filling). */
async function startProfile(): Promise<(path: string) => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (path) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(path, JSON.stringify(profile));
    session.disconnect();
  };
}

if (import.meta.url === `file://${process.argv[1]}`) await benchKafkaThroughput();
