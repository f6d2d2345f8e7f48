import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionsOf } from '../../lib/ingest/msk-event.ts';
import { toEventRecords, toKafkaEvent } from '../../lib/local/kafka-records.ts';

describe('kafka records in event-source shape', () => {
  test('kafkajs messages become event records that the ingest event parser reads back byte for byte', () => {
    const records = toEventRecords('traces', 3, [
      { offset: '41', timestamp: '1700000000001', key: Buffer.from('tenant'), value: Buffer.from([0, 255, 10]), headers: { h: Buffer.from([1, 2]), s: 'ok', gone: undefined } },
      { offset: '42', timestamp: '1700000000002', key: null, value: null },
    ]);
    const [p] = partitionsOf(toKafkaEvent(records));
    assert.equal(p.topic, 'traces');
    assert.equal(p.partition, 3);
    assert.deepEqual(
      p.records.map((r) => ({ ...r, key: r.key && [...r.key], value: r.value && [...r.value], headers: r.headers?.map((h) => [h.key, [...h.value]]) })),
      [
        { topic: 'traces', partition: 3, offset: 41, timestampMs: 1700000000001, key: [...Buffer.from('tenant')], value: [0, 255, 10], headers: [['h', [1, 2]], ['s', [111, 107]]] },
        { topic: 'traces', partition: 3, offset: 42, timestampMs: 1700000000002, key: null, value: null, headers: [] },
      ],
    );
  });

  test('an event groups records under topic-partition, keeping their order', () => {
    const r = (topic: string, partition: number, offset: number) => ({ topic, partition, offset, timestamp: 0, key: null, value: null, headers: [] });
    const event = toKafkaEvent([r('a', 0, 5), r('a', 1, 0), r('a', 0, 6), r('b', 0, 1)]);
    assert.deepEqual(Object.keys(event.records).sort(), ['a-0', 'a-1', 'b-0']);
    assert.deepEqual(event.records['a-0'].map((x) => x.offset), [5, 6]);
  });
});
