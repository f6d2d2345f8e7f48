// Local mode with a Kafka topic (a fake kafkajs consumer) feeding the real ingest and flush code:
// records reach the series, offsets are committed, and shutdown remote-writes everything that was
// delivered before it disconnects.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { demoTraces } from '../../lib/local/demo-traffic.ts';
import type { LocalMode, LocalModeOptions } from '../../lib/local/local-mode.ts';
import { PushBytesRequest } from '../../lib/proto/index.ts';
import { FakeKafkaConsumer, type ProducedMessage } from '../helpers/fake-kafka-consumer.ts';
import { startTestLocalMode } from '../helpers/local-mode.ts';
import { startWriteRecorder } from '../helpers/write-recorder.ts';

const TOPIC = 'tempo-ingest';
const ROOT_CALLS =
  'traces_spanmetrics_calls_total{service="frontend",span_kind="SPAN_KIND_SERVER",span_name="GET /cart",status_code="STATUS_CODE_UNSET"}';

/** Push-bytes records of `n` demo requests (one root span each), as Tempo's distributor writes them. */
function pushBytes(tenant: string, n: number): ProducedMessage[] {
  return demoTraces(n, Date.now()).map(({ traceId, trace }) => ({
    key: Buffer.from(tenant),
    value: Buffer.from(PushBytesRequest.encode({ traces: [trace], ids: [Buffer.from(traceId, 'hex')] }).finish()),
  }));
}

async function until(cond: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Local mode without demo traffic or progress lines, consuming the fake topic. */
function startQuiet(consumer: FakeKafkaConsumer, options: Partial<LocalModeOptions>): Promise<LocalMode> {
  return startTestLocalMode({
    batchWindowMs: 50,
    kafka: { consumer, topic: TOPIC, leaveGroupOnShutdown: true },
    ...options,
  });
}

describe('local mode consuming a Kafka topic', () => {
  test('records from every partition reach the series and their offsets are committed', async () => {
    const consumer = new FakeKafkaConsumer(TOPIC);
    const local = await startQuiet(consumer, { partitions: 2 });
    try {
      consumer.produce(0, pushBytes('team-kafka', 5));
      consumer.produce(1, pushBytes('team-kafka', 3));
      await until(() => consumer.commits.length === 2, 'both partitions committed');
      assert.deepEqual(consumer.commits.map((c) => `${c.partition}@${c.offset}`).sort(), ['0@5', '1@3']);
      await until(() => local.metricsText().includes(`${ROOT_CALLS} 8`), `${ROOT_CALLS} 8 on /metrics`);
      const metrics = await (await fetch(`http://127.0.0.1:${local.port}/metrics`)).text();
      assert.ok(metrics.includes(`${ROOT_CALLS} 8\n`), metrics.slice(0, 1500));
    } finally {
      await local.stop();
    }
  });

  test('a topic named like the receiver topic is refused, naming KAFKA_TOPIC', async () => {
    await assert.rejects(
      startTestLocalMode({
        batchWindowMs: 50,
        topic: 'same',
        kafka: { consumer: new FakeKafkaConsumer('same'), topic: 'same', leaveGroupOnShutdown: false },
        env: process.env,
      }),
      /KAFKA_TOPIC "same" is the name of local mode's own receiver topic/,
    );
  });

  test('stop: the batch handed over last is ingested and committed, the consumer disconnects, and the final remote write carries it', async () => {
    const consumer = new FakeKafkaConsumer(TOPIC);
    const timeline = consumer.events; // the consumer's calls and the remote writes, in order
    const recorder = await startWriteRecorder(() => timeline.push('remote-write'));
    // no batch window passes during the test: the only collection is the shutdown's
    const local = await startQuiet(consumer, {
      partitions: 2,
      batchWindowMs: 600_000,
      env: { REMOTE_WRITE_URL: recorder.url },
    });
    // Kafka batches are ingested at once: stop in the tick the batch is handed over, so its
    // ingest call is still running when stop() begins.
    let stopped: Promise<void> | undefined;
    let commitsAtStop: unknown[] | undefined;
    consumer.afterHandOut = () => {
      commitsAtStop ??= [...consumer.commits];
      stopped ??= local.stop();
    };
    try {
      consumer.produce(0, pushBytes('team-kafka', 4));
      await until(() => stopped !== undefined, 'the batch handed to local mode');
      assert.deepEqual(commitsAtStop, [], 'not committed before it is ingested');
    } finally {
      await (stopped ?? local.stop());
      await recorder.close();
    }
    const tail = timeline.slice(timeline.indexOf('pause'));
    assert.deepEqual(tail.filter((e) => e !== 'remote-write').slice(1), [`commit ${TOPIC}-0@4`, 'disconnect']);
    // the group is left as soon as the offsets are committed, not after a remote write that may hang
    assert.ok(
      tail.lastIndexOf('remote-write') > tail.indexOf(`commit ${TOPIC}-0@4`),
      `final remote write after the commit: ${tail.join(' | ')}`,
    );
    assert.equal(recorder.latest(ROOT_CALLS), 4, 'the final remote write carries the last batch');
  });

  test('stop remote-writes series whose collection interval is not due yet', async () => {
    const consumer = new FakeKafkaConsumer(TOPIC);
    const recorder = await startWriteRecorder();
    const local = await startQuiet(consumer, { env: { REMOTE_WRITE_URL: recorder.url } });
    try {
      consumer.produce(0, pushBytes('team-kafka', 2));
      // a new tenant is collected at once; the next collection is 15 s (Tempo's default) away
      await until(() => recorder.latest(ROOT_CALLS) === 2, 'first collection');
      consumer.produce(0, pushBytes('team-kafka', 3));
      await until(() => consumer.commits.some((c) => c.offset === '5'), 'second batch ingested');
      assert.equal(recorder.latest(ROOT_CALLS), 2);
    } finally {
      await local.stop();
      await recorder.close();
    }
    assert.equal(recorder.latest(ROOT_CALLS), 5);
  });

  test('stop after the consumer crashed still ingests, remote-writes and exits (receiver data included)', async () => {
    const consumer = new FakeKafkaConsumer(TOPIC);
    const recorder = await startWriteRecorder();
    const local = await startQuiet(consumer, { batchWindowMs: 600_000, env: { REMOTE_WRITE_URL: recorder.url } });
    try {
      consumer.crash(new Error('Snappy compression not implemented'));
      const body = JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'receiver-svc' } }] },
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '0102030405060708090a0b0c0d0e0f10',
                    spanId: '0102030405060708',
                    name: 'recv',
                    kind: 2,
                    startTimeUnixNano: String(BigInt(Date.now() - 1000) * 1_000_000n),
                    endTimeUnixNano: String(BigInt(Date.now()) * 1_000_000n),
                  },
                ],
              },
            ],
          },
        ],
      });
      const res = await fetch(`http://127.0.0.1:${local.port}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      assert.equal(res.status, 200);
    } finally {
      await local.stop();
      await recorder.close();
    }
    assert.equal(
      recorder.latest(
        'traces_spanmetrics_calls_total{service="receiver-svc",span_kind="SPAN_KIND_SERVER",span_name="recv",status_code="STATUS_CODE_UNSET"}',
      ),
      1,
    );
  });
});
