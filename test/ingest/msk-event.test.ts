import { test } from 'node:test';
import assert from 'node:assert/strict';
import { partitionsOf } from '../../lib/ingest/msk-event.ts';

test('MSK event records are grouped per topic-partition, base64-decoded, offset-ordered and de-duplicated', () => {
  const rec = (topic: string, partition: number, offset: number) => ({
    topic,
    partition,
    offset,
    timestamp: 1700000000000,
    timestampType: 'CREATE_TIME',
    key: Buffer.from('team-a').toString('base64'),
    value: Buffer.from([1, 2, 3]).toString('base64'),
    headers: [{ 'X-Scope-OrgID': [116, 45, 49] }],
  });
  const parts = partitionsOf({
    records: {
      'traces-0': [rec('traces', 0, 11), rec('traces', 0, 10), rec('traces', 0, 11)],
      'traces-1': [rec('traces', 1, 3)],
    },
  });
  assert.deepEqual(
    parts.map((p) => [p.topic, p.partition, p.records.map((r) => r.offset)]),
    [
      ['traces', 0, [10, 11]],
      ['traces', 1, [3]],
    ],
  );
  const r = parts[0].records[0];
  assert.equal(Buffer.from(r.key!).toString(), 'team-a');
  assert.deepEqual([...r.value!], [1, 2, 3]);
  assert.deepEqual(r.headers, [{ key: 'X-Scope-OrgID', value: Uint8Array.from([116, 45, 49]) }]);
  assert.equal(r.timestampMs, 1700000000000);
});

test('null keys and values stay null (bad records downstream, not a crash here)', () => {
  const [p] = partitionsOf({
    records: { 't-0': [{ topic: 't', partition: 0, offset: 1, timestamp: 0, key: null, value: null }] },
  });
  assert.equal(p.records[0].key, null);
  assert.equal(p.records[0].value, null);
});
