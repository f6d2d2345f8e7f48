// A bad or missing environment variable fails the start of a function (or of local mode's Kafka
// input) with an error that begins with the variable's name and says what it must be, in the
// words config-file errors use: `NAME: must be ..., got "..."`.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { lambdaFlushContainer } from '../../lib/flush/flush-handler.ts';
import { lambdaIngestContainer } from '../../lib/ingest/ingest-handler.ts';
import { kafkaSettingsFromEnv } from '../../lib/local/kafka-settings.ts';

const KAFKA = { KAFKA_BROKERS: 'b-1.kafka:9092', KAFKA_TOPIC: 'tempo-ingest', KAFKA_GROUP_ID: 'local-gen' };

describe('a bad environment fails the start naming the variable', () => {
  const ingestStart: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['required table missing', {}, /^DELTAS_TABLE: must be set/],
    ['required table empty', { DELTAS_TABLE: '' }, /^DELTAS_TABLE: must be set/],
    [
      'positive number of days',
      { DELTAS_TABLE: 'd', DELTA_TTL_DAYS: 'a week' },
      /^DELTA_TTL_DAYS: must be a positive number of days, got "a week"$/,
    ],
    ['zero days', { DELTAS_TABLE: 'd', DELTA_TTL_DAYS: '0' }, /^DELTA_TTL_DAYS: must be a positive number of days/],
  ];
  for (const [name, env, message] of ingestStart) {
    test(`ingest: ${name}`, async () => {
      await assert.rejects(lambdaIngestContainer(env, { ddb: {} as never })(), (e: Error) => message.test(e.message));
    });
  }

  const flushStart: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['required table missing', { DELTAS_TABLE: 'd' }, /^SERIES_TABLE: must be set/],
    [
      'whole number in range',
      { DELTAS_TABLE: 'd', SERIES_TABLE: 's', PERSIST_INTERVAL_SECONDS: '5m' },
      /^PERSIST_INTERVAL_SECONDS: must be a whole number of seconds from 0 to 1800, got "5m"$/,
    ],
  ];
  for (const [name, env, message] of flushStart) {
    test(`flush: ${name}`, async () => {
      await assert.rejects(lambdaFlushContainer(env, { ddb: {} as never })(), (e: Error) => message.test(e.message));
    });
  }

  test('local Kafka input: true or false', () => {
    assert.throws(
      () => kafkaSettingsFromEnv({ ...KAFKA, KAFKA_SSL: 'yes' }),
      (e: Error) => e.name === 'KafkaSettingsError' && /^KAFKA_SSL: must be true or false, got "yes"$/.test(e.message),
    );
  });

  test('local Kafka input: whole number in range', () => {
    assert.throws(
      () => kafkaSettingsFromEnv({ ...KAFKA, KAFKA_SESSION_TIMEOUT_MS: '10s' }),
      (e: Error) =>
        /^KAFKA_SESSION_TIMEOUT_MS: must be a whole number of milliseconds from 6000 to 3600000, got "10s"$/.test(
          e.message,
        ),
    );
  });
});
