// A real Kafka wire-protocol broker for tests: librdkafka's mock cluster (Debian's librdkafka1,
// pulled in by kcat), started through testing/kafka-mock-cluster.py, with kcat as the
// producer so every codec (none, gzip, snappy, lz4, zstd) is written by a real Kafka client.
//
// Missing kcat or python3: `startMockKafka` returns undefined and the test skips, except under
// CI=true, where .ci/run installs kcat and a missing broker is a failure.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { KafkaRecord } from '../lib/decode/kafka-record.ts';
import { demoTraces } from '../lib/local/demo-traffic.ts';
import type { KafkaSettings } from '../lib/local/kafka-settings.ts';
import { PushBytesRequest } from '../lib/proto/index.ts';

export type KafkaCodecName = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const KAFKA_CODECS: readonly KafkaCodecName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export interface MockMessage {
  readonly key?: string;
  readonly value: Uint8Array;
  /** One header for every message of the produce call, e.g. the tenant header. */
  readonly header?: readonly [string, string];
}

export interface MockKafka {
  readonly bootstrap: string;
  readonly brokers: string[];
  createTopic(name: string, partitions: number): Promise<void>;
  brokerDown(id: number): Promise<void>;
  brokerUp(id: number): Promise<void>;
  /** Request errors for the next `count` requests of a Kafka API (e.g. 8 = OffsetCommit). */
  pushRequestErrors(apiKey: number, errorCode: number, count: number): Promise<void>;
  /** Produces the messages to one partition with kcat, in order, compressed with `codec`. */
  produce(topic: string, partition: number, messages: readonly MockMessage[], codec?: KafkaCodecName): Promise<void>;
  close(): Promise<void>;
}

const SCRIPT = new URL('./kafka-mock-cluster.py', import.meta.url).pathname;

export function mockKafkaAvailable(): boolean {
  const has = (cmd: string, arg: string) => spawnSync(cmd, [arg], { stdio: 'ignore' }).error === undefined;
  return has('kcat', '-V') && has('python3', '--version');
}

/** Test option: skip without a broker, except in CI. */
export function skipWithoutBroker(): { skip: string | false } {
  if (mockKafkaAvailable()) return { skip: false };
  if (process.env.CI === 'true')
    throw new Error('kcat (librdkafka mock cluster) or python3 is missing; .ci/run installs kcat');
  return { skip: 'kcat or python3 not installed (apt-get install kcat)' };
}

export async function startMockKafka(brokers = 3): Promise<MockKafka> {
  const child: ChildProcessWithoutNullStreams = spawn('python3', [SCRIPT, String(brokers)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const onExit = () => reject(new Error(`mock Kafka cluster exited: ${stderr}`));
      child.once('exit', onExit);
      waiting.push((line) => {
        child.off('exit', onExit);
        resolve(line);
      });
    });
  const first = await nextLine();
  if (!first.startsWith('bootstrap=')) throw new Error(`mock Kafka cluster did not start: ${first} ${stderr}`);
  const bootstrap = first.slice('bootstrap='.length);
  let chain: Promise<unknown> = Promise.resolve();
  const command = (line: string): Promise<void> => {
    const result = chain.then(async () => {
      const answer = nextLine();
      child.stdin.write(line + '\n');
      const reply = await answer;
      if (reply !== 'ok') throw new Error(`mock Kafka "${line}": ${reply}`);
    });
    chain = result.catch(() => {});
    return result;
  };
  const dir = mkdtempSync(join(tmpdir(), 'mock-kafka-'));
  let files = 0;
  return {
    bootstrap,
    brokers: bootstrap.split(','),
    createTopic: (name, partitions) => command(`topic ${name} ${partitions}`),
    brokerDown: (id) => command(`down ${id}`),
    brokerUp: (id) => command(`up ${id}`),
    pushRequestErrors: (apiKey, errorCode, count) => command(`errors ${apiKey} ${errorCode} ${count}`),
    async produce(topic, partition, messages, codec = 'none') {
      // kcat sends each file named on its command line as one message; one call per key/header run
      for (let i = 0; i < messages.length; ) {
        const { key, header } = messages[i];
        const paths: string[] = [];
        for (; i < messages.length && messages[i].key === key && messages[i].header === header; i++) {
          const path = join(dir, `m${files++}`);
          writeFileSync(path, messages[i].value);
          paths.push(path);
        }
        const args = [
          '-b',
          bootstrap,
          '-P',
          '-t',
          topic,
          '-p',
          String(partition),
          '-z',
          codec,
          '-X',
          'linger.ms=50',
          '-X',
          'batch.num.messages=100000',
        ];
        if (key !== undefined) args.push('-k', key);
        if (header !== undefined) args.push('-H', `${header[0]}=${header[1]}`);
        const out = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
          const p = spawn('kcat', [...args, ...paths], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
          let stderr = '';
          p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          p.on('exit', (status) => resolve({ status, stderr }));
        });
        if (out.status !== 0) throw new Error(`kcat produce failed (${out.status}): ${out.stderr}`);
        for (const p of paths) rmSync(p);
      }
    },
    async close() {
      child.stdin.end();
      await new Promise<void>((r) => (child.exitCode !== null ? r() : child.once('exit', () => r())));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Push-bytes records of `n` demo requests (one "GET /cart" root span each), key = tenant. */
export function pushBytesMessages(tenant: string, n: number): MockMessage[] {
  return demoTraces(n, Date.now()).map(({ traceId, trace }) => ({
    key: tenant,
    value: PushBytesRequest.encode({ traces: [trace], ids: [Buffer.from(traceId, 'hex')] }).finish(),
  }));
}

/**
 * Messages as ingest records, partition = index in `byPartition`, offsets from `from` on (the
 * messages `from` to `to` of each partition), stamped now.
 */
export function asIngestRecords(
  topic: string,
  byPartition: readonly (readonly MockMessage[])[],
  from = 0,
  to?: number,
): KafkaRecord[] {
  const now = Date.now();
  return byPartition.flatMap((messages, partition) =>
    messages.slice(from, to).map((m, i) => ({
      topic,
      partition,
      offset: from + i,
      timestampMs: now,
      key: m.key === undefined ? null : Buffer.from(m.key),
      value: m.value,
      headers: [],
    })),
  );
}

/** OTLP TracesData records (a tempopb.Trace is one), tenant in the X-Scope-OrgID header. */
export function otlpMessages(tenant: string, n: number): MockMessage[] {
  return demoTraces(n, Date.now()).map(({ trace }) => ({ value: trace, header: ['X-Scope-OrgID', tenant] as const }));
}

export function testSettings(kafka: MockKafka, topic: string, groupId: string): KafkaSettings {
  return {
    brokers: kafka.brokers,
    topic,
    groupId,
    clientId: 'test',
    ssl: false,
    leaveGroupOnShutdown: true,
    skipStaleBacklogOnStartup: false,
    sessionTimeoutMs: 6000,
  };
}
