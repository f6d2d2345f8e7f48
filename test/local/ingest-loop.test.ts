import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PartitionRecords } from '../../lib/ingest/ingest-partition.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { IngestBatcher } from '../../lib/local/ingest-batcher.ts';
import { IngestLoop } from '../../lib/local/ingest-loop.ts';
import { emptyRecord } from '../helpers/kafka-record.ts';

const rec = (partition: number, offset: number) => emptyRecord('local', partition, offset);
const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('ingest loop', () => {
  test('a wake-up with nothing queued does not stop later records from being ingested', async () => {
    // A window timer can fire after a running call already took its records: that wake-up finds
    // an empty queue. Records queued after it must still be ingested.
    const events: PartitionRecords[][] = [];
    const batcher = new IngestBatcher(async (e) => void events.push(e));
    const loop = new IngestLoop(batcher, 1, silentLogger);
    loop.now();
    batcher.enqueue([rec(0, 0)]);
    loop.now();
    await until(() => events.length > 0);
    assert.equal(events.length, 1, 'the record queued after an empty wake-up was ingested');
    batcher.enqueue([rec(0, 1)]);
    loop.soon();
    await until(() => events.length > 1);
    assert.equal(events.length, 2);
    await loop.stop();
  });
});
