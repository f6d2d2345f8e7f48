import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Duration } from 'aws-cdk-lib';
import { mskResourceArns } from '../../infra/kafka-source.ts';
import {
  actionsOf,
  CLUSTER_ARN,
  KAFKA_SECRET_ARN,
  MSK,
  onlyResource,
  SCRAM_SECRET_ARN,
  SELF_MANAGED,
  skipTemplateValidation,
  stackOf,
  statementsOf,
  templateOf,
} from './fixtures.ts';

skipTemplateValidation();

describe('Amazon MSK event source', () => {
  test('defaults: IAM auth, consumer group = stack name, LATEST, full batches, 5 s window, no error-handling overrides', () => {
    const esm = onlyResource(templateOf(), 'AWS::Lambda::EventSourceMapping');
    assert.equal(esm.EventSourceArn, CLUSTER_ARN);
    assert.deepEqual(esm.Topics, ['tempo-ingest']);
    assert.deepEqual(esm.AmazonManagedKafkaEventSourceConfig, { ConsumerGroupId: 'Test' });
    assert.equal(esm.StartingPosition, 'LATEST');
    assert.equal(esm.BatchSize, 10000);
    assert.equal(esm.MaximumBatchingWindowInSeconds, 5);
    assert.equal(esm.SourceAccessConfigurations, undefined, 'IAM auth sends no secret');
    for (const key of [
      'MaximumRetryAttempts',
      'BisectBatchOnFunctionError',
      'MaximumRecordAgeInSeconds',
      'DestinationConfig',
      'ProvisionedPollerConfig',
    ]) {
      assert.equal(esm[key], undefined, key);
    }
    assert.match(esm.FunctionName.Ref, /^GeneratorIngestFunction/);
  });

  test('IAM auth grants the cluster actions on exactly the cluster, topic and consumer group', () => {
    const statements = statementsOf(templateOf({ kafka: { ...MSK, consumerGroupId: 'generator-prod' } }), 'Ingest');
    const byAction = (a: string) => statements.filter((s) => actionsOf(s).includes(a)).map((s) => s.Resource);
    const { topic, group } = mskResourceArns(CLUSTER_ARN, 'tempo-ingest', 'generator-prod');
    assert.equal(
      topic,
      'arn:aws:kafka:eu-west-1:123456789012:topic/traces/abcd1234-abcd-cafe-abab-9876543210ab-4/tempo-ingest',
    );
    assert.equal(
      group,
      'arn:aws:kafka:eu-west-1:123456789012:group/traces/abcd1234-abcd-cafe-abab-9876543210ab-4/generator-prod',
    );
    assert.deepEqual(byAction('kafka-cluster:Connect'), [CLUSTER_ARN]);
    assert.deepEqual(byAction('kafka-cluster:DescribeClusterDynamicConfiguration'), [CLUSTER_ARN]);
    assert.deepEqual(byAction('kafka-cluster:ReadData'), [topic]);
    assert.deepEqual(byAction('kafka-cluster:DescribeTopic'), [topic]);
    assert.deepEqual(byAction('kafka-cluster:AlterGroup'), [group]);
    assert.deepEqual(byAction('kafka-cluster:DescribeGroup'), [group]);
  });

  test('SASL/SCRAM passes the secret to the mapping and lets the role read it, without cluster IAM actions', () => {
    const t = templateOf({ kafka: { ...MSK, auth: 'sasl-scram-512', secretArn: SCRAM_SECRET_ARN } });
    const esm = onlyResource(t, 'AWS::Lambda::EventSourceMapping');
    assert.deepEqual(esm.SourceAccessConfigurations, [{ Type: 'SASL_SCRAM_512_AUTH', URI: SCRAM_SECRET_ARN }]);
    const statements = statementsOf(t, 'Ingest');
    assert.ok(
      statements.some((s) => actionsOf(s).includes('secretsmanager:GetSecretValue') && s.Resource === SCRAM_SECRET_ARN),
    );
    assert.ok(!statements.some((s) => actionsOf(s).some((a) => a.startsWith('kafka-cluster:'))));
  });

  test('mTLS binds the secret as the client certificate', () => {
    const t = templateOf({ kafka: { ...MSK, auth: 'mtls', secretArn: KAFKA_SECRET_ARN } });
    assert.deepEqual(onlyResource(t, 'AWS::Lambda::EventSourceMapping').SourceAccessConfigurations, [
      { Type: 'CLIENT_CERTIFICATE_TLS_AUTH', URI: KAFKA_SECRET_ARN },
    ]);
    assert.ok(
      statementsOf(t, 'Ingest').some(
        (s) => actionsOf(s).includes('secretsmanager:GetSecretValue') && s.Resource === KAFKA_SECRET_ARN,
      ),
    );
  });

  test('a customer managed key of the secret may decrypt it through Secrets Manager only', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1111-2222';
    const statements = statementsOf(
      templateOf({ kafka: { ...MSK, auth: 'sasl-scram-512', secretArn: SCRAM_SECRET_ARN, secretKmsKeyArn: key } }),
      'Ingest',
    );
    const decrypt = statements.find((s) => actionsOf(s).includes('kms:Decrypt'));
    assert.equal(decrypt?.Resource, key);
    assert.ok(JSON.stringify(decrypt).includes('kms:ViaService'));
  });

  test('provisioned pollers with the error-handling controls and an SQS on-failure destination', () => {
    const t = templateOf({
      kafka: {
        ...MSK,
        startingPosition: 'TRIM_HORIZON',
        batchSize: 500,
        maxBatchingWindow: Duration.seconds(1),
        provisionedPollers: { minimum: 2, maximum: 10 },
        retryAttempts: 20,
        bisectBatchOnError: true,
        maxRecordAge: Duration.hours(6),
        onFailure: 'sqs',
      },
    });
    const esm = onlyResource(t, 'AWS::Lambda::EventSourceMapping');
    assert.equal(esm.StartingPosition, 'TRIM_HORIZON');
    assert.equal(esm.BatchSize, 500);
    assert.equal(esm.MaximumBatchingWindowInSeconds, 1);
    assert.deepEqual(esm.ProvisionedPollerConfig, { MinimumPollers: 2, MaximumPollers: 10 });
    assert.equal(esm.MaximumRetryAttempts, 20);
    assert.equal(esm.BisectBatchOnFunctionError, true);
    assert.equal(esm.MaximumRecordAgeInSeconds, 21600);
    const [queueId] = Object.keys(t.findResources('AWS::SQS::Queue'));
    assert.deepEqual(esm.DestinationConfig, { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } });
    const queue = onlyResource(t, 'AWS::SQS::Queue');
    assert.equal(queue.SqsManagedSseEnabled, true);
    assert.equal(queue.MessageRetentionPeriod, 14 * 86400);
  });

  test('an S3 on-failure destination gets only PutObject and ListBucket', () => {
    const t = templateOf({ kafka: { ...MSK, onFailure: 's3' } });
    // The other buckets are the config bucket, which ingest may only read objects from, and the
    // data bucket, where it may only put large deltas.
    const others = (id: string) => id.startsWith('GeneratorConfigStore') || id.startsWith('GeneratorDataBucket');
    assert.equal(Object.keys(t.findResources('AWS::S3::Bucket')).filter((id) => !others(id)).length, 1);
    const s3 = statementsOf(t, 'Ingest').filter(
      (s) =>
        actionsOf(s).some((a) => a.startsWith('s3:')) &&
        !others(JSON.stringify(s.Resource).match(/"(Generator\w+)"/)?.[1] ?? ''),
    );
    assert.deepEqual(s3.flatMap(actionsOf).sort(), ['s3:ListBucket', 's3:PutObject']);
  });

  test('an existing queue or bucket can be named instead', () => {
    const queueArn = 'arn:aws:sqs:eu-west-1:123456789012:failed-batches';
    const esm = onlyResource(
      templateOf({ kafka: { ...MSK, onFailure: { queueArn } } }),
      'AWS::Lambda::EventSourceMapping',
    );
    assert.deepEqual(esm.DestinationConfig, { OnFailure: { Destination: queueArn } });
    const bucketArn = 'arn:aws:s3:::failed-batches';
    const esm2 = onlyResource(
      templateOf({ kafka: { ...MSK, onFailure: { bucketArn } } }),
      'AWS::Lambda::EventSourceMapping',
    );
    assert.deepEqual(esm2.DestinationConfig, { OnFailure: { Destination: bucketArn } });
  });

  test('the AWS managed MSK execution policy is attached (the pollers need its EC2 network actions)', () => {
    const role = Object.values(templateOf().findResources('AWS::IAM::Role')).find((r: any) =>
      JSON.stringify(r).includes('AWSLambdaMSKExecutionRole'),
    );
    assert.ok(role, 'the ingest role carries AWSLambdaMSKExecutionRole');
  });
});

describe('self-managed Kafka event source', () => {
  test('bootstrap servers, SASL/SCRAM secret and the VPC subnets and security group reach the mapping', () => {
    const t = templateOf({ kafka: SELF_MANAGED });
    const esm = onlyResource(t, 'AWS::Lambda::EventSourceMapping');
    assert.deepEqual(esm.SelfManagedEventSource, {
      Endpoints: { KafkaBootstrapServers: SELF_MANAGED.bootstrapServers },
    });
    assert.deepEqual(esm.SelfManagedKafkaEventSourceConfig, { ConsumerGroupId: 'Test' });
    assert.deepEqual(esm.Topics, ['otlp_spans']);
    assert.deepEqual(esm.SourceAccessConfigurations, [
      { Type: 'SASL_SCRAM_512_AUTH', URI: KAFKA_SECRET_ARN },
      { Type: 'VPC_SECURITY_GROUP', URI: 'sg-0ccc' },
      { Type: 'VPC_SUBNET', URI: 'subnet-0aaa' },
      { Type: 'VPC_SUBNET', URI: 'subnet-0bbb' },
    ]);
  });

  test('SASL/PLAIN, SCRAM-256 and mTLS map to their access types; a root CA secret is added and readable', () => {
    const rootCaSecretArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:kafka-root-ca-Rr5Tt6';
    const cases = [
      ['sasl-plain', 'BASIC_AUTH'],
      ['sasl-scram-256', 'SASL_SCRAM_256_AUTH'],
      ['mtls', 'CLIENT_CERTIFICATE_TLS_AUTH'],
    ] as const;
    for (const [auth, type] of cases) {
      const t = templateOf({ kafka: { ...SELF_MANAGED, auth, rootCaSecretArn, vpc: undefined } });
      assert.deepEqual(onlyResource(t, 'AWS::Lambda::EventSourceMapping').SourceAccessConfigurations, [
        { Type: type, URI: KAFKA_SECRET_ARN },
        { Type: 'SERVER_ROOT_CA_CERTIFICATE', URI: rootCaSecretArn },
      ]);
      const reads = statementsOf(t, 'Ingest')
        .filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'))
        .map((s) => s.Resource);
      assert.deepEqual(reads.sort(), [rootCaSecretArn, KAFKA_SECRET_ARN].sort(), auth);
    }
  });

  test('in a VPC the role may create network interfaces only in the given subnets and security group', () => {
    const statements = statementsOf(templateOf({ kafka: SELF_MANAGED }), 'Ingest');
    const create = statements.find((s) => actionsOf(s).includes('ec2:CreateNetworkInterface'));
    const text = JSON.stringify(create?.Resource);
    for (const part of [
      ':network-interface/*',
      ':subnet/subnet-0aaa',
      ':subnet/subnet-0bbb',
      ':security-group/sg-0ccc',
    ])
      assert.ok(text.includes(part), part);
    const star = statements.filter((s) => s.Resource === '*');
    assert.deepEqual(star.flatMap(actionsOf).sort(), [
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVpcs',
    ]);
  });

  test('no authentication is allowed inside a VPC only', () => {
    const inVpc = onlyResource(
      templateOf({ kafka: { ...SELF_MANAGED, auth: 'none', secretArn: undefined } }),
      'AWS::Lambda::EventSourceMapping',
    );
    assert.ok(!JSON.stringify(inVpc.SourceAccessConfigurations).includes('secretsmanager'));
    assert.throws(
      () => stackOf({ kafka: { ...SELF_MANAGED, auth: 'none', secretArn: undefined, vpc: undefined } }),
      /kafka\.auth: none is only allowed for brokers inside a VPC/,
    );
  });
});

describe('event source settings are checked at synth, naming the setting', () => {
  const cases: Array<[string, Partial<typeof MSK> | Partial<typeof SELF_MANAGED>, RegExp, 'msk' | 'self-managed']> = [
    [
      'bad cluster ARN',
      { clusterArn: 'arn:aws:kafka:eu-west-1:123456789012:topic/x' },
      /kafka\.clusterArn: must be an MSK cluster ARN/,
      'msk',
    ],
    ['batch size', { batchSize: 20_000 }, /kafka\.batchSize: must be an integer from 1 to 10000, got 20000/, 'msk'],
    [
      'batching window',
      { maxBatchingWindow: Duration.minutes(6) },
      /kafka\.maxBatchingWindow \(seconds\): must be an integer from 0 to 300, got 360/,
      'msk',
    ],
    [
      'retries without pollers',
      { retryAttempts: 3 },
      /kafka\.retryAttempts: Lambda offers the Kafka error-handling controls in provisioned mode only/,
      'msk',
    ],
    ['bisect without pollers', { bisectBatchOnError: true }, /kafka\.bisectBatchOnError: .*provisioned mode/, 'msk'],
    [
      'pollers inverted',
      { provisionedPollers: { minimum: 5, maximum: 2 } },
      /kafka\.provisionedPollers: minimum \(5\) is above maximum \(2\)/,
      'msk',
    ],
    [
      'record age',
      { provisionedPollers: {}, maxRecordAge: Duration.seconds(30) },
      /kafka\.maxRecordAge \(seconds\): must be -1 \(no limit\) or an integer from 60 to 604800, got 30/,
      'msk',
    ],
    [
      'timestamp without AT_TIMESTAMP',
      { startingPositionTimestamp: 1_700_000_000 },
      /kafka\.startingPositionTimestamp: required with startingPosition AT_TIMESTAMP, and only then/,
      'msk',
    ],
    [
      'SCRAM without secret',
      { auth: 'sasl-scram-512' },
      /kafka\.secretArn: required with kafka\.auth sasl-scram-512/,
      'msk',
    ],
    [
      'SCRAM secret name',
      { auth: 'sasl-scram-512', secretArn: KAFKA_SECRET_ARN },
      /kafka\.secretArn: MSK only accepts SASL\/SCRAM secrets whose name starts with AmazonMSK_/,
      'msk',
    ],
    [
      'partial secret ARN',
      { auth: 'mtls', secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cert' },
      /kafka\.secretArn: must be the complete ARN/,
      'msk',
    ],
    ['secret with IAM auth', { secretArn: SCRAM_SECRET_ARN }, /kafka\.secretArn: not used with kafka\.auth iam/, 'msk'],
    ['topic name', { topic: 'bad topic' }, /kafka\.topic: not a Kafka topic name/, 'msk'],
    ['consumer group', { consumerGroupId: 'has space' }, /kafka\.consumerGroupId: 1 to 200 characters/, 'msk'],
    [
      'bootstrap server',
      { bootstrapServers: ['broker-without-port'] },
      /kafka\.bootstrapServers: "broker-without-port" is not host:port/,
      'self-managed',
    ],
    [
      'on-failure ARN',
      { onFailure: { queueArn: 'arn:aws:sns:eu-west-1:123456789012:topic' } },
      /kafka\.onFailure: must be "sqs", "s3" or an SQS queue ARN/,
      'msk',
    ],
  ];
  for (const [name, change, message, kind] of cases) {
    test(name, () => {
      const base = kind === 'msk' ? MSK : SELF_MANAGED;
      assert.throws(() => stackOf({ kafka: { ...base, ...change } as typeof MSK }), message);
    });
  }
});
