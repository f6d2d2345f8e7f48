// Local mode's Kafka consumer against a real Kafka wire-protocol broker (librdkafka's mock
// cluster, 3 brokers), records produced by kcat with every codec Kafka has.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createKafkaJsConsumer } from '../../lib/local/kafkajs-consumer.ts';
import type { LocalMode } from '../../lib/local/local-mode.ts';
import { consoleLogger, silentLogger } from '../../lib/log/logger.ts';
import {
  KAFKA_CODECS,
  otlpMessages,
  pushBytesMessages,
  skipWithoutBroker,
  startMockKafka,
  testSettings,
  type MockKafka,
} from '../../testing/kafka-mock-broker.ts';
import { startTestLocalMode } from '../helpers/local-mode.ts';

const ROOT =
  'traces_spanmetrics_calls_total{service="frontend",span_kind="SPAN_KIND_SERVER",span_name="GET /cart",status_code="STATUS_CODE_UNSET"}';

async function until(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; ) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** The root span's call count on /metrics (one tenant per test). */
function rootCalls(local: LocalMode): number | undefined {
  const line = local
    .metricsText()
    .split('\n')
    .find((l) => l.startsWith(`${ROOT} `));
  return line === undefined ? undefined : Number(line.slice(ROOT.length + 1));
}

describe('local mode on a real Kafka-protocol broker', skipWithoutBroker(), () => {
  let kafka: MockKafka;
  before(async () => {
    kafka = await startMockKafka(3);
  });
  after(() => kafka?.close());

  for (const codec of (process.env.ONLY_CODEC ? [process.env.ONLY_CODEC] : ['push-bytes', 'otlp']) as (
    | 'push-bytes'
    | 'otlp'
  )[]) {
    test(`${codec} records in every compression codec are counted exactly`, async () => {
      const topic = `codecs-${codec}`;
      await kafka.createTopic(topic, KAFKA_CODECS.length);
      let produced = 0;
      await Promise.all(
        KAFKA_CODECS.map((z, partition) => {
          // Observed with kcat -H: header-carrying records arrive about one per fetch (the mock
          // serves one record batch per partition per fetch), so the otlp topic stays small.
          const n = (codec === 'otlp' ? 4 : 20) + partition;
          produced += n;
          return kafka.produce(
            topic,
            partition,
            codec === 'push-bytes' ? pushBytesMessages('team-a', n) : otlpMessages('team-a', n),
            z,
          );
        }),
      );
      const tStart = Date.now();
      const local = await startTestLocalMode({
        log: process.env.DEBUG_KAFKA_TEST ? consoleLogger : silentLogger,
        inlineConfig: `metrics_generator: {codec: ${codec}}\noverrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}`,
        kafka: {
          consumer: createKafkaJsConsumer(testSettings(kafka, topic, `g-${codec}`), silentLogger),
          topic,
          leaveGroupOnShutdown: true,
        },
      });
      const t0 = Date.now();
      if (process.env.DEBUG_KAFKA_TEST) console.log(`started in ${t0 - tStart} ms`);
      const probe = process.env.DEBUG_KAFKA_TEST
        ? setInterval(() => console.log(Date.now() - t0, rootCalls(local), JSON.stringify(local.stats())), 1000)
        : undefined;
      try {
        await until(() => rootCalls(local) === produced, `${produced} root spans (have ${rootCalls(local)})`, 15_000);
      } finally {
        clearInterval(probe);
        const t1 = Date.now();
        await local.stop();
        if (process.env.DEBUG_KAFKA_TEST) console.log(`counted in ${t1 - t0} ms, stopped in ${Date.now() - t1} ms`);
      }
    });
  }

  test('bad records are counted and skipped, and every broker down for 10 s loses nothing', async () => {
    const topic = 'faults';
    await kafka.createTopic(topic, 3);
    await kafka.produce(
      topic,
      0,
      [
        ...pushBytesMessages('team-a', 10),
        { key: 'team-a', value: Buffer.from([0x0a, 0xff, 0xff, 0x01]) },
        ...pushBytesMessages('team-a', 5),
      ],
      'snappy',
    );
    await kafka.produce(
      topic,
      1,
      [{ key: 'bad tenant!', value: pushBytesMessages('x', 1)[0].value }, ...pushBytesMessages('team-a', 7)],
      'lz4',
    );
    const local = await startTestLocalMode({
      inlineConfig: 'overrides: {defaults: {metrics_generator: {processors: [span-metrics]}}}',
      kafka: {
        consumer: () => createKafkaJsConsumer(testSettings(kafka, topic, 'g-faults'), silentLogger),
        topic,
        leaveGroupOnShutdown: true,
      },
    });
    try {
      await until(() => rootCalls(local) === 22, '22 good root spans');
      assert.equal(local.stats().badRecords, 2, 'the undecodable record and the bad tenant');
      for (const id of [1, 2, 3]) await kafka.brokerDown(id);
      await new Promise((r) => setTimeout(r, 10_000));
      for (const id of [1, 2, 3]) await kafka.brokerUp(id);
      await kafka.produce(topic, 2, pushBytesMessages('team-a', 9), 'zstd');
      await until(() => rootCalls(local) === 31, '31 root spans after the outage', 45_000);
    } finally {
      await local.stop();
    }
  });
});
