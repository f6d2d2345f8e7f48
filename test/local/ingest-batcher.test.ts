import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PartitionRecords } from '../../lib/ingest/ingest-partition.ts';
import { IngestBatcher } from '../../lib/local/ingest-batcher.ts';
import { emptyRecord } from '../helpers/kafka-record.ts';

type Call = PartitionRecords[];
const rec = emptyRecord;
const offsets = (call: Call) =>
  Object.fromEntries(call.map((p) => [`${p.topic}-${p.partition}`, p.records.map((r) => r.offset)]));

describe('ingest batcher', () => {
  test('one ingest call per window with owned and delivered records grouped by topic-partition', async () => {
    const events: Call[] = [];
    const batcher = new IngestBatcher(async (e) => void events.push(e));
    batcher.enqueue([rec('local', 0, 0), rec('local', 1, 0)]);
    const delivered = batcher.deliver([rec('kafka', 2, 7), rec('kafka', 2, 8)]);
    batcher.enqueue([rec('local', 0, 1)]);
    assert.equal(batcher.pending, 5);
    await batcher.ingestQueued();
    await delivered;
    assert.equal(events.length, 1);
    assert.deepEqual(offsets(events[0]), { 'local-0': [0, 1], 'local-1': [0], 'kafka-2': [7, 8] });
    assert.equal(batcher.pending, 0);
    await batcher.ingestQueued();
    assert.equal(events.length, 1, 'nothing queued: no ingest call');
  });

  test('a failed call rejects the deliveries and keeps the owned records, ahead of newer ones', async () => {
    let fail = true;
    const events: Call[] = [];
    const batcher = new IngestBatcher(async (e) => {
      events.push(e);
      if (fail) throw new Error('throttled');
    });
    batcher.enqueue([rec('local', 0, 0)]);
    const delivered = batcher.deliver([rec('kafka', 0, 3)]);
    await assert.rejects(batcher.ingestQueued(), /throttled/);
    await assert.rejects(delivered, /throttled/);
    batcher.enqueue([rec('local', 0, 1)]);
    assert.equal(batcher.pending, 2, "the delivery is its owner's to retry");
    fail = false;
    await batcher.ingestQueued();
    assert.deepEqual(offsets(events[1]), { 'local-0': [0, 1] });
  });

  test("one request's worth of records of any size is queued (no spread of it into a call)", async () => {
    // 125,000 records overflowed the stack when they were spread into push(); a 8 MiB OTLP
    // request can hold several hundred thousand one-span traces.
    const count = 400_000;
    const records = Array.from({ length: count }, (_, i) => rec('local', 0, i));
    const events: Call[] = [];
    const batcher = new IngestBatcher(async (e) => void events.push(e));
    batcher.enqueue([rec('local', 1, 0)]);
    batcher.enqueue(records);
    assert.equal(batcher.pending, count + 1);
    await batcher.ingestQueued();
    const received = events[0].find((p) => p.partition === 0)!.records;
    assert.equal(received.length, count);
    assert.equal(received[count - 1].offset, count - 1);
  });
});
