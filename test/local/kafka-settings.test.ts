import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kafkaSettingsFromEnv, DEFAULT_KAFKA_CLIENT_ID } from '../../lib/local/kafka-settings.ts';
import { kafkaKeysOfConfigText } from '../../lib/local/kafka-config-keys.ts';
import { kafkaJsConfig } from '../../lib/local/kafkajs-consumer.ts';
import { silentLogger } from '../../lib/log/logger.ts';

const BASE = {
  KAFKA_BROKERS: 'b-1.kafka:9092, 10.0.0.5:9094,[::1]:9092',
  KAFKA_TOPIC: 'tempo-ingest',
  KAFKA_GROUP_ID: 'local-gen',
};

describe('KAFKA_* settings', () => {
  test('no KAFKA_BROKERS: no Kafka', () => {
    assert.equal(kafkaSettingsFromEnv({}), undefined);
    assert.equal(kafkaSettingsFromEnv({ KAFKA_BROKERS: ' ' }), undefined);
  });

  test('defaults: plaintext, no SASL, our client id, leave_consumer_group_on_shutdown false as in Tempo', () => {
    assert.deepEqual(kafkaSettingsFromEnv(BASE), {
      brokers: ['b-1.kafka:9092', '10.0.0.5:9094', '[::1]:9092'],
      topic: 'tempo-ingest',
      groupId: 'local-gen',
      clientId: DEFAULT_KAFKA_CLIENT_ID,
      ssl: false,
      sasl: undefined,
      mskIam: undefined,
      leaveGroupOnShutdown: false,
      skipStaleBacklogOnStartup: false,
      sessionTimeoutMs: 30_000,
    });
  });

  test('MSK IAM: OAUTHBEARER with signed tokens, TLS on by default, region required, no user or password', async () => {
    const s = kafkaSettingsFromEnv({ ...BASE, KAFKA_SASL_MECHANISM: 'AWS-MSK-IAM', AWS_REGION: 'eu-west-1' })!;
    assert.deepEqual(s.mskIam, { region: 'eu-west-1' });
    assert.equal(s.ssl, true);
    const config = kafkaJsConfig(s, silentLogger);
    assert.equal(config.sasl?.mechanism, 'oauthbearer');
    assert.throws(() => kafkaSettingsFromEnv({ ...BASE, KAFKA_SASL_MECHANISM: 'aws-msk-iam' }), /set KAFKA_AWS_REGION/);
    assert.throws(
      () => kafkaSettingsFromEnv({ ...BASE, KAFKA_SASL_MECHANISM: 'aws-msk-iam', KAFKA_AWS_REGION: 'mars' }),
      /KAFKA_AWS_REGION: "mars" is not an AWS region/,
    );
    assert.throws(
      () =>
        kafkaSettingsFromEnv({
          ...BASE,
          KAFKA_SASL_MECHANISM: 'aws-msk-iam',
          AWS_REGION: 'eu-west-1',
          KAFKA_SASL_PASSWORD: 'x',
        }),
      /KAFKA_SASL_PASSWORD set with KAFKA_SASL_MECHANISM=aws-msk-iam/,
    );
  });

  test('skip_stale_backlog_on_startup and the session timeout', () => {
    const s = kafkaSettingsFromEnv({
      ...BASE,
      KAFKA_SKIP_STALE_BACKLOG_ON_STARTUP: 'true',
      KAFKA_SESSION_TIMEOUT_MS: '180000',
    })!;
    assert.equal(s.skipStaleBacklogOnStartup, true);
    assert.equal(s.sessionTimeoutMs, 180_000);
    assert.throws(
      () => kafkaSettingsFromEnv({ ...BASE, KAFKA_SESSION_TIMEOUT_MS: '10s' }),
      /KAFKA_SESSION_TIMEOUT_MS: must be a whole number of milliseconds from 6000 to 3600000, got "10s"/,
    );
  });

  test("the config file's skip_stale_backlog_on_startup and leave_consumer_group_on_shutdown apply unless their variables are set", () => {
    const keys = kafkaKeysOfConfigText(
      'metrics_generator:\n  skip_stale_backlog_on_startup: true\n  leave_consumer_group_on_shutdown: true\n',
    );
    const fromFile = kafkaSettingsFromEnv(BASE, keys)!;
    assert.equal(fromFile.skipStaleBacklogOnStartup, true);
    assert.equal(fromFile.leaveGroupOnShutdown, true);
    const overridden = kafkaSettingsFromEnv(
      { ...BASE, KAFKA_SKIP_STALE_BACKLOG_ON_STARTUP: 'false', KAFKA_LEAVE_GROUP_ON_SHUTDOWN: 'false' },
      keys,
    )!;
    assert.equal(overridden.skipStaleBacklogOnStartup, false);
    assert.equal(overridden.leaveGroupOnShutdown, false);
    assert.equal(overridden.leaveGroupOnShutdownFrom, 'KAFKA_LEAVE_GROUP_ON_SHUTDOWN');
    assert.equal(
      kafkaSettingsFromEnv(
        BASE,
        kafkaKeysOfConfigText('metrics_generator:\n  leave_consumer_group_on_shutdown: false\n'),
      )!.leaveGroupOnShutdownFrom,
      'metrics_generator.leave_consumer_group_on_shutdown',
    );
    assert.equal(kafkaSettingsFromEnv(BASE)!.leaveGroupOnShutdownFrom, undefined, "the default is nobody's choice");
    // ${VAR} expansion as in the config loader; anything but a boolean is left to the config loader to refuse
    assert.deepEqual(
      kafkaKeysOfConfigText(`metrics_generator:\n  skip_stale_backlog_on_startup: \${SKIP}\n`, {
        CONFIG_EXPAND_ENV: 'true',
        SKIP: 'true',
      }),
      { skipStaleBacklogOnStartup: true },
    );
    assert.deepEqual(kafkaKeysOfConfigText('metrics_generator:\n  skip_stale_backlog_on_startup: yes please\n'), {});
    assert.deepEqual(kafkaKeysOfConfigText('overrides: {}\n'), {});
  });

  test('TLS, SASL and leaving the group', () => {
    const s = kafkaSettingsFromEnv({
      ...BASE,
      KAFKA_CLIENT_ID: 'me',
      KAFKA_SSL: 'true',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'alice',
      KAFKA_SASL_PASSWORD: ' s3cret ',
      KAFKA_LEAVE_GROUP_ON_SHUTDOWN: 'TRUE',
    })!;
    assert.equal(s.clientId, 'me');
    assert.equal(s.ssl, true);
    assert.deepEqual(s.sasl, { mechanism: 'scram-sha-512', username: 'alice', password: ' s3cret ' });
    assert.equal(s.leaveGroupOnShutdown, true);
    const kjs = kafkaJsConfig(s, silentLogger);
    assert.deepEqual(
      { clientId: kjs.clientId, brokers: kjs.brokers, ssl: kjs.ssl, sasl: kjs.sasl },
      {
        clientId: 'me',
        brokers: ['b-1.kafka:9092', '10.0.0.5:9094', '[::1]:9092'],
        ssl: true,
        sasl: { mechanism: 'scram-sha-512', username: 'alice', password: ' s3cret ' },
      },
    );
  });

  const errors: [string, NodeJS.ProcessEnv, RegExp][] = [
    ['topic missing', { ...BASE, KAFKA_TOPIC: '' }, /^KAFKA_TOPIC is required with KAFKA_BROKERS/],
    ['group missing', { ...BASE, KAFKA_GROUP_ID: undefined }, /^KAFKA_GROUP_ID is required with KAFKA_BROKERS/],
    ['broker without port', { ...BASE, KAFKA_BROKERS: 'a:9092,b' }, /^KAFKA_BROKERS: "b" is not host:port/],
    ['empty broker in list', { ...BASE, KAFKA_BROKERS: 'a:9092,,b:9092' }, /^KAFKA_BROKERS: "" is not host:port/],
    ['bad boolean', { ...BASE, KAFKA_SSL: 'yes' }, /^KAFKA_SSL: must be true or false, got "yes"/],
    [
      'unknown mechanism',
      { ...BASE, KAFKA_SASL_MECHANISM: 'aws' },
      /^KAFKA_SASL_MECHANISM: "aws" is not one of plain, scram-sha-256, scram-sha-512/,
    ],
    [
      'mechanism without password',
      { ...BASE, KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' },
      /^KAFKA_SASL_PASSWORD is required/,
    ],
    [
      'credentials without mechanism',
      { ...BASE, KAFKA_SASL_USERNAME: 'u' },
      /^KAFKA_SASL_USERNAME set but KAFKA_SASL_MECHANISM is not/,
    ],
    [
      'Kafka variables without brokers',
      { KAFKA_TOPIC: 't', KAFKA_SSL: 'true' },
      /^KAFKA_TOPIC, KAFKA_SSL set but KAFKA_BROKERS is not/,
    ],
  ];
  for (const [name, env, message] of errors) {
    test(`error names the variable: ${name}`, () => {
      assert.throws(
        () => kafkaSettingsFromEnv(env),
        (e: Error) => e.name === 'KafkaSettingsError' && message.test(e.message),
      );
    });
  }
});
