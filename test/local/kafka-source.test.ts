import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KafkaRecord } from '../../lib/decode/kafka-record.ts';
import { type KafkaSourceOptions, startKafkaSource } from '../../lib/local/kafka-source.ts';
import type { Logger } from '../../lib/log/logger.ts';
import { FakeKafkaConsumer } from '../helpers/fake-kafka-consumer.ts';

const TOPIC = 'traces';

function captureLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return { lines, info: push('info'), warn: push('warn'), error: push('error') };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), `timed out waiting for ${what}`);
}

/** A deliver() whose outcome the test decides, one call at a time. */
function controlledDeliver() {
  const calls: { records: readonly KafkaRecord[]; resolve: () => void; reject: (e: Error) => void }[] = [];
  const deliver = (records: readonly KafkaRecord[]) =>
    new Promise<void>((resolve, reject) => calls.push({ records, resolve, reject }));
  return { calls, deliver };
}

/** A source on a fake consumer (`recordsPerBatch` records a fetch) whose deliveries the test answers. */
async function controlledSource(recordsPerBatch?: number, options: Partial<KafkaSourceOptions> = {}) {
  const consumer = new FakeKafkaConsumer(TOPIC, recordsPerBatch);
  const { calls, deliver } = controlledDeliver();
  const log = captureLog();
  const source = await startKafkaSource({
    consumer,
    topic: TOPIC,
    deliver,
    log,
    leaveGroupOnShutdown: true,
    ...options,
  });
  return { consumer, calls, log, source };
}

/** Records of one byte each, all of tenant `t`. */
const oneByteRecords = (...values: number[]) => values.map((v) => ({ key: Buffer.from('t'), value: Buffer.from([v]) }));

describe('kafka source', () => {
  test('subscribes from the earliest offset with auto-commit and auto-resolve off', async () => {
    const { consumer, source } = await controlledSource();
    await source.close();
    assert.deepEqual(consumer.events, [
      'connect',
      `subscribe ${TOPIC} fromBeginning=true`,
      'run autoCommit=false autoResolve=false',
      'pause',
      'disconnect',
    ]);
  });

  test('a failed subscribe disconnects before the error propagates', async () => {
    const consumer = new FakeKafkaConsumer(TOPIC);
    consumer.subscribe = async () => {
      throw new Error('This server does not host this topic-partition');
    };
    await assert.rejects(
      startKafkaSource({
        consumer,
        topic: TOPIC,
        deliver: async () => {},
        log: captureLog(),
        leaveGroupOnShutdown: true,
      }),
      /does not host this topic-partition/,
    );
    assert.deepEqual(consumer.events, ['connect', 'disconnect']);
  });

  test('hands each partition batch over as ingest records (its bytes as fetched) and commits it only after delivery succeeded', async () => {
    const { consumer, calls, source } = await controlledSource();
    consumer.produce(0, [
      {
        key: Buffer.from('tenant-a'),
        value: Buffer.from([1, 2, 3]),
        timestampMs: 1_700_000_000_123,
        headers: { 'X-Scope-OrgID': 'team', multi: [Buffer.from([7]), 'é'] },
      },
      { value: Buffer.from([4]), timestampMs: 1_700_000_000_124 },
    ]);
    consumer.produce(1, [{ key: Buffer.from('tenant-b'), value: Buffer.from([9]), timestampMs: 1_700_000_000_200 }]);
    await until(() => calls.length === 2, 'both partitions delivered');

    const byPartition = new Map(calls.map((c) => [c.records[0].partition, c]));
    const bytes = (b: Uint8Array | null | undefined) => (b == null ? b : [...b]);
    assert.deepEqual(
      byPartition.get(0)!.records.map((r) => ({
        ...r,
        key: bytes(r.key),
        value: bytes(r.value),
        headers: r.headers?.map((h) => [h.key, [...h.value]]),
      })),
      [
        {
          topic: TOPIC,
          partition: 0,
          offset: 0,
          timestampMs: 1_700_000_000_123,
          key: [...Buffer.from('tenant-a')],
          value: [1, 2, 3],
          headers: [
            ['X-Scope-OrgID', [...Buffer.from('team')]],
            ['multi', [7]],
            ['multi', [0xc3, 0xa9]],
          ],
        },
        { topic: TOPIC, partition: 0, offset: 1, timestampMs: 1_700_000_000_124, key: null, value: [4], headers: [] },
      ],
    );
    assert.deepEqual(
      byPartition.get(1)!.records.map((r) => [r.partition, r.offset]),
      [[1, 0]],
    );

    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(consumer.commits, [], 'nothing is committed while ingest has not answered');
    byPartition.get(1)!.resolve();
    await until(() => consumer.commits.length === 1, 'partition 1 commit');
    assert.deepEqual(
      consumer.commits,
      [{ topic: TOPIC, partition: 1, offset: '1' }],
      'the committed offset is the next one to read',
    );
    byPartition.get(0)!.resolve();
    await until(() => consumer.commits.length === 2, 'partition 0 commit');
    assert.deepEqual(consumer.commits[1], { topic: TOPIC, partition: 0, offset: '2' });
    assert.equal(source.committedRecords, 3);
    await source.close();
  });

  test('a failed ingest commits nothing and the same batch is delivered again', async () => {
    const { consumer, calls, log, source } = await controlledSource(undefined, { retryDelayMs: () => 1 });
    consumer.produce(0, oneByteRecords(1, 2));
    await until(() => calls.length === 1, 'first delivery');
    calls[0].reject(new Error('dynamo down'));
    await until(() => calls.length === 2, 'retry');
    assert.deepEqual(calls[1].records, calls[0].records);
    assert.deepEqual(consumer.commits, []);
    assert.ok(log.lines.some((l) => l.startsWith('warn ingest failed; retrying')));
    calls[1].resolve();
    await until(() => consumer.commits.length === 1, 'commit after the retry');
    assert.deepEqual(consumer.commits, [{ topic: TOPIC, partition: 0, offset: '2' }]);
    assert.equal(consumer.handedOut.length, 1, 'retried in place, not re-fetched');
    await source.close();
  });

  test('a partition is fetched again while its batch is ingested; later batches wait their turn and each commit follows its ingest', async () => {
    const { consumer, calls, source } = await controlledSource(1, { retryDelayMs: () => 1 });
    consumer.produce(0, oneByteRecords(1, 2, 3));
    await until(() => consumer.handedOut.length === 3, 'all three batches fetched while the first ingest runs');
    assert.equal(calls.length, 1, 'the later batches are not ingested before the first one succeeded');
    assert.deepEqual(consumer.commits, []);
    calls[0].reject(new Error('dynamo down'));
    await until(() => calls.length === 2, 'retry');
    assert.deepEqual(
      calls[1].records.map((r) => r.offset),
      [0],
      'the retry holds the failed batch only',
    );
    calls[1].resolve();
    await until(() => calls.length === 3, 'the waiting batches delivered');
    assert.deepEqual(consumer.commits, [{ topic: TOPIC, partition: 0, offset: '1' }]);
    assert.deepEqual(
      calls[2].records.map((r) => r.offset),
      [1, 2],
      'batches that queued up meanwhile go in one ingest call',
    );
    calls[2].resolve();
    await until(() => consumer.commits.length === 2, 'second commit');
    assert.deepEqual(consumer.commits[1], { topic: TOPIC, partition: 0, offset: '3' });
    assert.equal(source.committedRecords, 3);
    await source.close();
  });

  test('a partition holds at most batchesInFlightPerPartition uncommitted batches', async () => {
    const { consumer, calls, source } = await controlledSource(1, { batchesInFlightPerPartition: 2 });
    consumer.produce(0, oneByteRecords(1, 2, 3, 4, 5));
    await until(() => consumer.handedOut.length === 3, 'fetching up to the window');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(consumer.handedOut.length, 3, 'the third batch waits for room: nothing more is fetched');
    for (let answered = 0; answered < 5; answered++) {
      await until(() => calls.length > answered, `delivery ${answered + 1}`);
      // two held (one ingesting, one queued) plus the one kafkajs hands over and that waits for room
      assert.ok(
        consumer.handedOut.length - source.committedRecords <= 3,
        `at most the window ahead: ${consumer.handedOut.length} fetched, ${source.committedRecords} committed`,
      );
      calls[answered].resolve();
    }
    await until(() => source.committedRecords === 5, 'everything committed');
    await source.close();
  });

  test('a partition holds at most bytesInFlightPerPartition bytes of uncommitted records', async () => {
    // each record: a one-byte key and a one-byte value, one record per batch
    const { consumer, calls, source } = await controlledSource(1, { bytesInFlightPerPartition: 4 });
    consumer.produce(0, oneByteRecords(1, 2, 3, 4, 5));
    await until(() => consumer.handedOut.length === 3, 'fetching up to the byte window');
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(consumer.handedOut.length, 3, 'two batches (4 bytes) held, the third waits for room');
    for (let answered = 0; source.committedRecords < 5; answered++) {
      await until(() => calls.length > answered, `delivery ${answered + 1}`);
      assert.ok(
        consumer.handedOut.length - source.committedRecords <= 3,
        `at most the byte window ahead: ${consumer.handedOut.length} fetched, ${source.committedRecords} committed`,
      );
      calls[answered].resolve();
      await until(() => calls.length > answered + 1 || source.committedRecords === 5, 'next delivery');
    }
    await source.close();
  });

  test('an ingest call takes at most half the window, so the partition keeps fetching while it runs', async () => {
    const { consumer, calls, source } = await controlledSource(1, { batchesInFlightPerPartition: 4 });
    consumer.produce(0, oneByteRecords(1, 2, 3, 4, 5, 6, 7, 8, 9));
    const sizes: number[] = [];
    for (let answered = 0; source.committedRecords < 9; answered++) {
      await until(() => calls.length > answered, `delivery ${answered + 1}`);
      // let fetching fill the window before answering, as a slow ingest would
      const committed = source.committedRecords;
      await until(() => consumer.handedOut.length - committed >= Math.min(4, 9 - committed), 'the window filled');
      sizes.push(calls[answered].records.length);
      calls[answered].resolve();
      await until(() => source.committedRecords >= sizes.reduce((a, b) => a + b, 0), `commit ${answered + 1}`);
    }
    // all at once would alternate 1, 3, 1, 3 ... (the full window in one call blocks fetching)
    assert.deepEqual(sizes, [1, 2, 2, 2, 2]);
    await source.close();
  });

  test('close while a batch waits for room: the waiting batch is not taken, the one in flight is committed', async () => {
    const { consumer, calls, source } = await controlledSource(1, { batchesInFlightPerPartition: 1 });
    consumer.produce(0, oneByteRecords(1, 2));
    await until(() => consumer.handedOut.length === 2 && calls.length === 1, 'second batch waiting for room');
    const closed = source.close();
    calls[0].resolve();
    await closed;
    assert.equal(calls.length, 1, 'the waiting batch was not delivered');
    assert.deepEqual(consumer.commits, [{ topic: TOPIC, partition: 0, offset: '1' }]);
    assert.equal(consumer.events.at(-1), 'disconnect');
  });

  test('close: no new batches after pause, the batch in flight is committed, then the consumer disconnects', async () => {
    const { consumer, calls, log, source } = await controlledSource(undefined, { leaveGroupOnShutdown: false });
    consumer.produce(0, oneByteRecords(1));
    await until(() => calls.length === 1, 'delivery');
    source.pause();
    consumer.produce(1, oneByteRecords(2));
    const closed = source.close();
    await new Promise((r) => setTimeout(r, 30));
    assert.ok(!consumer.events.includes('disconnect'), 'does not disconnect under a batch in flight');
    calls[0].resolve(); // what local mode's final ingest does
    await closed;
    assert.equal(calls.length, 1, 'the batch produced after pause was not taken');
    assert.deepEqual(consumer.events.slice(-2), [`commit ${TOPIC}-0@1`, 'disconnect']);
    assert.ok(
      log.lines.some((l) => l.includes('leave_consumer_group_on_shutdown is false')),
      'says that kafkajs leaves the group anyway',
    );
  });

  test('a batch whose ingest keeps failing is left uncommitted when stopping', async () => {
    const { consumer, calls, source } = await controlledSource(undefined, { retryDelayMs: () => 60_000 });
    consumer.produce(0, oneByteRecords(1));
    await until(() => calls.length === 1, 'delivery');
    calls[0].reject(new Error('dynamo down'));
    await new Promise((r) => setTimeout(r, 20)); // now sleeping before the retry
    const started = Date.now();
    await source.close();
    assert.ok(Date.now() - started < 1000, 'the retry pause is cut short by close');
    assert.deepEqual(consumer.commits, []);
    assert.equal(consumer.events.at(-1), 'disconnect');
  });

  test('a crash that stops the consumer for good: a fresh consumer joins and takes the batches', async () => {
    const crashed = new FakeKafkaConsumer(TOPIC);
    const fresh = new FakeKafkaConsumer(TOPIC);
    const made = [crashed, fresh];
    const { calls, deliver } = controlledDeliver();
    const log = captureLog();
    const source = await startKafkaSource({
      consumer: () => made.shift()!,
      topic: TOPIC,
      deliver,
      log,
      leaveGroupOnShutdown: true,
      restartDelayMs: () => 1,
    });
    crashed.crash(new Error('Snappy compression not implemented'));
    fresh.produce(0, oneByteRecords(1));
    await until(() => calls.length === 1, 'delivery by the fresh consumer');
    calls[0].resolve();
    await until(() => fresh.commits.length === 1, 'commit by the fresh consumer');
    assert.equal(source.restarts, 1);
    assert.ok(crashed.events.includes('disconnect'), 'the crashed consumer is disconnected');
    assert.ok(log.lines.some((l) => l.startsWith('error kafka consumer crashed')));
    await source.close();
    assert.equal(fresh.events.at(-1), 'disconnect');
  });

  test('close after a crash that left no consumer to pause still completes', async () => {
    const { consumer, source } = await controlledSource();
    consumer.crash(new Error('Snappy compression not implemented'));
    await source.close();
    assert.equal(consumer.events.at(-1), 'disconnect');
  });

  test('close gives up after its timeout when a batch never finishes', async () => {
    const { consumer, calls, log, source } = await controlledSource();
    consumer.produce(0, oneByteRecords(1));
    await until(() => calls.length === 1, 'delivery');
    await source.close(50); // the delivery is never answered: a stalled ingest or fetch
    assert.deepEqual(consumer.commits, []);
    assert.ok(log.lines.some((l) => l.startsWith('warn kafka consumer did not close in time')));
  });
});
