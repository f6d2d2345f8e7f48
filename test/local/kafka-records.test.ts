import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { groupByPartition } from '../../lib/ingest/msk-event.ts';
import { toKafkaRecords } from '../../lib/local/kafka-records.ts';
import { packPartitions, unpackPartitions } from '../../lib/local/packed-records.ts';
import type { PartitionRecords } from '../../lib/ingest/ingest-partition.ts';
import { emptyRecord } from '../helpers/kafka-record.ts';

const plain = (partitions: PartitionRecords[]) =>
  partitions.map((p) => ({
    ...p,
    records: p.records.map((r) => ({
      ...r,
      key: r.key && [...r.key],
      value: r.value && [...r.value],
      headers: r.headers?.map((h) => [h.key, [...h.value]]),
    })),
  }));

describe('kafka records as the ingest code reads them', () => {
  test('kafkajs messages become records with their bytes, numeric offsets and every header value', () => {
    const records = toKafkaRecords('traces', 3, [
      {
        offset: '41',
        timestamp: '1700000000001',
        key: Buffer.from('tenant'),
        value: Buffer.from([0, 255, 10]),
        headers: { h: Buffer.from([1, 2]), s: 'ok', gone: undefined, multi: [Buffer.from([7]), 'é'] },
      },
      { offset: '42', timestamp: '1700000000002', key: null, value: null },
    ]);
    assert.deepEqual(plain(groupByPartition(records)), [
      {
        topic: 'traces',
        partition: 3,
        records: [
          {
            topic: 'traces',
            partition: 3,
            offset: 41,
            timestampMs: 1700000000001,
            key: [...Buffer.from('tenant')],
            value: [0, 255, 10],
            headers: [
              ['h', [1, 2]],
              ['s', [111, 107]],
              ['multi', [7]],
              ['multi', [0xc3, 0xa9]],
            ],
          },
          {
            topic: 'traces',
            partition: 3,
            offset: 42,
            timestampMs: 1700000000002,
            key: null,
            value: null,
            headers: [],
          },
        ],
      },
    ]);
  });

  test('records are grouped per topic-partition in offset order, a repeated offset once', () => {
    const r = emptyRecord;
    const groups = groupByPartition([r('a', 0, 6), r('a', 1, 0), r('a', 0, 5), r('b', 0, 1), r('a', 0, 6)]);
    assert.deepEqual(
      groups.map((g) => [g.topic, g.partition, g.records.map((x) => x.offset)]),
      [
        ['a', 0, [5, 6]],
        ['a', 1, [0]],
        ['b', 0, [1]],
      ],
    );
  });

  test('packed for the ingest thread and unpacked, every record reads back byte for byte', () => {
    const partitions = groupByPartition([
      ...toKafkaRecords('traces', 0, [
        {
          offset: '7',
          timestamp: '1700000000001',
          key: Buffer.from('team-a'),
          value: Buffer.from([1, 2, 3]),
          headers: { 'X-Scope-OrgID': 'x', multi: [Buffer.from([9]), Buffer.alloc(0)] },
        },
        { offset: '8', timestamp: '1700000000002', key: null, value: Buffer.alloc(0) },
        { offset: '9', timestamp: '1700000000003', key: Buffer.alloc(0), value: null },
      ]),
      ...toKafkaRecords('other', 5, [{ offset: '123456789012', timestamp: '0', key: null, value: Buffer.from('v') }]),
    ]);
    const { packed, transfer } = packPartitions(partitions);
    assert.equal(transfer.length, 6, 'per partition, numbers, header lengths and bytes move as three buffers');
    assert.deepEqual(plain(unpackPartitions(structuredClone(packed, { transfer }))), plain(partitions));
  });
});
