import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { KafkaRecord } from '../../lib/decode/kafka-record.ts';
import { expandDeferredBatches } from '../../lib/local/kafka-batch-records.ts';
import { registerKafkaCodecs } from '../../lib/local/kafka-codecs.ts';
import { isDeferredBatchRecord, recordCount } from '../../lib/local/kafka-deferred-batch.ts';
import { type KafkaMessageLike, toKafkaRecords } from '../../lib/local/kafka-records.ts';
import { packPartitions, unpackPartitions } from '../../lib/local/packed-records.ts';

// kafkajs's own record-batch encoder and decoder (the code its consumer runs on every fetch)
const require = createRequire(import.meta.url);
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const Decoder = require('kafkajs/src/protocol/decoder.js');

const CODECS = { none: 0, gzip: 1, snappy: 2, lz4: 3 } as const;
const FIRST_OFFSET = 1000;
const FIRST_TIMESTAMP = 1_764_000_000_000;

/** Records with keys, values, repeated headers, a null key and offset gaps (a compacted batch). */
function recordSpecs() {
  return [0, 1, 2, 5, 6, 9].map((offsetDelta, i) => ({
    offsetDelta,
    timestampDelta: i * 3_000_000_000, // beyond 2^31 ms: varlong arithmetic
    key: i === 2 ? null : Buffer.from(`tenant-${i}`),
    value: Buffer.from(`value ${i} `.repeat(20 + i)),
    headers: i % 2 === 0 ? { 'X-Scope-OrgID': `t${i}`, other: [Buffer.from('a'), Buffer.from('b')] } : {},
  }));
}

/** A batch as kafkajs's fetch hands it to the consumer: its messages, decoded by kafkajs. */
async function fetchedBatch(compression: number): Promise<KafkaMessageLike[]> {
  const specs = recordSpecs();
  const encoded = await RecordBatch({
    compression,
    firstOffset: BigInt(FIRST_OFFSET).toString(),
    firstTimestamp: FIRST_TIMESTAMP,
    maxTimestamp: FIRST_TIMESTAMP + 15_000_000_000,
    lastOffsetDelta: specs[specs.length - 1].offsetDelta,
    records: specs.map((s) => Record(s)),
  });
  // preceded by other bytes, as a batch sits inside a fetch response
  const response = Buffer.concat([Buffer.from('fetch response bytes before the batch'), encoded.buffer]);
  const decoder = new Decoder(response);
  decoder.forward(response.length - encoded.buffer.length);
  return (await decodeRecordBatch(decoder)).records;
}

const comparable = (records: readonly KafkaRecord[]) =>
  records.map((r) => ({
    ...r,
    key: r.key && Buffer.from(r.key).toString(),
    value: r.value && Buffer.from(r.value).toString(),
    headers: r.headers?.map((h) => `${h.key}=${Buffer.from(h.value).toString()}`).sort(),
  }));

const noCorruptBatches = () => assert.fail('no batch is corrupt');

describe('compressed batches handed to ingest still compressed', () => {
  registerKafkaCodecs();

  for (const [name, codec] of Object.entries(CODECS).filter(([n]) => n !== 'none')) {
    test(`${name}: kafkajs sees the batch's extent, ingest gets exactly the records kafkajs decodes uncompressed`, async () => {
      const expected = toKafkaRecords('traces', 3, await fetchedBatch(CODECS.none));
      const messages = await fetchedBatch(codec);
      // kafkajs's view: one stand-in per record, first and last offsets as in the real batch
      assert.equal(messages.length, expected.length);
      assert.equal(messages[0].offset, String(FIRST_OFFSET));
      assert.equal(messages[messages.length - 1].offset, String(FIRST_OFFSET + 9));
      const handed = toKafkaRecords('traces', 3, messages);
      assert.equal(handed.length, 1);
      assert.ok(isDeferredBatchRecord(handed[0]));
      assert.equal(recordCount(handed), expected.length);
      // across the thread boundary and back, then decoded where ingest runs
      const [unpacked] = unpackPartitions(packPartitions([{ topic: 'traces', partition: 3, records: handed }]).packed);
      const got = expandDeferredBatches(unpacked, noCorruptBatches).records;
      assert.deepEqual(comparable(got), comparable(expected));
    });
  }

  test('records before the fetch position are dropped, as kafkajs drops them', async () => {
    const expected = toKafkaRecords('traces', 3, await fetchedBatch(CODECS.none)).filter(
      (r) => r.offset >= FIRST_OFFSET + 3,
    );
    const handed = toKafkaRecords('traces', 3, await fetchedBatch(CODECS.snappy), String(FIRST_OFFSET + 3));
    const got = expandDeferredBatches({ topic: 'traces', partition: 3, records: handed }, noCorruptBatches).records;
    assert.deepEqual(comparable(got), comparable(expected));
  });

  test('a batch that does not decompress is reported with its position and record count, the others go on', async () => {
    const [good] = toKafkaRecords('traces', 3, await fetchedBatch(CODECS.lz4));
    const [bad] = toKafkaRecords('traces', 3, await fetchedBatch(CODECS.snappy));
    const broken = { ...bad, offset: FIRST_OFFSET + 100, value: Buffer.from('not snappy at all') };
    const corrupt: unknown[] = [];
    const got = expandDeferredBatches({ topic: 'traces', partition: 3, records: [good, broken] }, (where) =>
      corrupt.push(where),
    ).records;
    assert.equal(got.length, recordSpecs().length);
    assert.deepEqual(corrupt, [{ topic: 'traces', partition: 3, offset: FIRST_OFFSET + 100, records: 6 }]);
  });
});
