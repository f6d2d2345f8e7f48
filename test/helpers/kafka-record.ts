// A Kafka record with no key, value or headers, for tests of what is done with records by their
// position alone (batching, grouping, commit order).
import type { KafkaRecord } from '../../lib/decode/kafka-record.ts';

export const emptyRecord = (topic: string, partition: number, offset: number): KafkaRecord => ({
  topic,
  partition,
  offset,
  timestampMs: 0,
  key: null,
  value: null,
  headers: [],
});
