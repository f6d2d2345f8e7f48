import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { App, Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { settingsFromContext, type ContextSources } from '../../infra/context-settings.ts';
import { MetricsGeneratorStack } from '../../infra/metrics-generator-stack.ts';
import { CLUSTER_ARN, KAFKA_SECRET_ARN, onlyResource, skipTemplateValidation } from './fixtures.ts';

skipTemplateValidation();

const CDK_JSON = { configFile: 'config/metrics-generator.yaml' };
const MSK_CONTEXT = { ...CDK_JSON, kafka: 'msk', mskClusterArn: CLUSTER_ARN, topic: 'tempo-ingest' };

function settings(
  context: Record<string, unknown>,
  files: Record<string, string> = {},
  cdkJsonContext: Record<string, unknown> = CDK_JSON,
) {
  const sources: ContextSources = {
    context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:someFlag': true, ...context },
    cdkJsonContext,
    readFile: (p) => {
      if (!(p in files)) throw new Error(`ENOENT: ${p}`);
      return files[p];
    },
  };
  return settingsFromContext(sources);
}

describe('deployment settings from -c keys and a JSON file', () => {
  test('the MSK example: -c kafka=msk -c mskClusterArn=... -c topic=...', () => {
    const { stackName, props } = settings(MSK_CONTEXT);
    assert.equal(stackName, 'MskMetricsGenerator');
    assert.equal(props.stackName, 'MskMetricsGenerator');
    assert.equal(props.configFile, 'config/metrics-generator.yaml');
    assert.deepEqual(props.kafka, { kind: 'msk', clusterArn: CLUSTER_ARN, topic: 'tempo-ingest' });
    assert.equal(props.tables, undefined);
    assert.equal(props.remoteWrite, undefined);
    assert.equal(props.monitoring, undefined);
  });

  test('-c values are strings: numbers, booleans, durations and lists are converted', () => {
    const { props } = settings({
      ...MSK_CONTEXT,
      batchSize: '500',
      maxBatchingWindowSeconds: '2',
      minPollers: '1',
      maxPollers: '3',
      retryAttempts: '-1',
      bisectBatchOnError: 'true',
      maxRecordAgeSeconds: '3600',
      startingPosition: 'TRIM_HORIZON',
      onFailure: 'arn:aws:sqs:eu-west-1:123456789012:failed',
      deltaTtlDays: '3',
      persistIntervalSeconds: '600',
      deltasMaxWriteUnits: '400',
      seriesMaxReadUnits: '100',
      removalPolicy: 'destroy',
      logRetentionDays: '14',
      remoteWriteSecretArn: KAFKA_SECRET_ARN,
      alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:oncall',
      foldLagAlarmMinutes: '30',
    });
    const k = props.kafka;
    assert.equal(k.batchSize, 500);
    assert.equal(k.maxBatchingWindow?.toSeconds(), 2);
    assert.deepEqual(k.provisionedPollers, { minimum: 1, maximum: 3 });
    assert.equal(k.retryAttempts, -1);
    assert.equal(k.bisectBatchOnError, true);
    assert.equal(k.maxRecordAge?.toSeconds(), 3600);
    assert.equal(k.startingPosition, 'TRIM_HORIZON');
    assert.deepEqual(k.onFailure, { queueArn: 'arn:aws:sqs:eu-west-1:123456789012:failed' });
    assert.equal(props.deltaTtlDays, 3);
    assert.equal(props.persistIntervalSeconds, 600);
    assert.deepEqual(props.tables, { deltas: { maxWriteRequestUnits: 400 }, series: { maxReadRequestUnits: 100 } });
    assert.equal(props.removalPolicy, RemovalPolicy.DESTROY);
    assert.equal(props.logRetention, RetentionDays.TWO_WEEKS);
    assert.deepEqual(props.remoteWrite, { secretArn: KAFKA_SECRET_ARN });
    assert.equal(props.monitoring?.alarmTopicArn, 'arn:aws:sns:eu-west-1:123456789012:oncall');
    assert.equal(props.monitoring?.foldLag?.toMinutes(), 30);
  });

  test('the self-managed example from a JSON file, with the VPC', () => {
    const file = JSON.stringify({
      kafka: 'self-managed',
      bootstrapServers: ['b-1.kafka.internal:9096', 'b-2.kafka.internal:9096'],
      topic: 'otlp_spans',
      kafkaAuth: 'sasl-scram-512',
      kafkaSecretArn: KAFKA_SECRET_ARN,
      vpcId: 'vpc-1',
      subnetIds: 'subnet-a, subnet-b',
      securityGroupId: 'sg-1',
      batchSize: 1000,
      bisectBatchOnError: false,
    });
    const { props } = settings({ ...CDK_JSON, stackConfig: 'deploy.json' }, { 'deploy.json': file });
    assert.deepEqual(props.kafka, {
      kind: 'self-managed',
      topic: 'otlp_spans',
      batchSize: 1000,
      bisectBatchOnError: false,
      secretArn: KAFKA_SECRET_ARN,
      bootstrapServers: ['b-1.kafka.internal:9096', 'b-2.kafka.internal:9096'],
      auth: 'sasl-scram-512',
      vpc: { vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'], securityGroupId: 'sg-1' },
    });
  });

  test('precedence: -c keys over the file, the file over cdk.json', () => {
    const file = JSON.stringify({
      ...MSK_CONTEXT,
      configFile: 'config/prod.yaml',
      batchSize: 100,
      stackName: 'FromFile',
    });
    const { stackName, props } = settings(
      { ...CDK_JSON, stackConfig: 'deploy.json', batchSize: '200' },
      { 'deploy.json': file },
    );
    assert.equal(props.configFile, 'config/prod.yaml', 'the file beats the cdk.json default');
    assert.equal(props.kafka.batchSize, 200, '-c beats the file');
    assert.equal(stackName, 'FromFile');
    const explicit = settings(
      { ...CDK_JSON, configFile: 'config/other.yaml', stackConfig: 'deploy.json' },
      { 'deploy.json': file },
    );
    assert.equal(
      explicit.props.configFile,
      'config/other.yaml',
      'a -c value that differs from cdk.json beats the file',
    );
  });

  const errors: Array<[string, Record<string, unknown>, RegExp, Record<string, string>?]> = [
    ['no kafka', { topic: 't' }, /context key kafka: required: msk or self-managed/],
    [
      'unknown kafka',
      { ...MSK_CONTEXT, kafka: 'kinesis' },
      /context key kafka: one of msk, self-managed, got "kinesis"/,
    ],
    ['no topic', { kafka: 'msk', mskClusterArn: CLUSTER_ARN }, /context key topic: required for every deployment/],
    ['no cluster', { kafka: 'msk', topic: 't' }, /context key mskClusterArn: required with kafka=msk/],
    ['typo', { ...MSK_CONTEXT, batchsize: '5' }, /context key batchsize: unknown setting/],
    ['not a number', { ...MSK_CONTEXT, batchSize: '1e3' }, /context key batchSize: must be an integer, got "1e3"/],
    [
      'not a boolean',
      { ...MSK_CONTEXT, bisectBatchOnError: 'yes' },
      /context key bisectBatchOnError: must be true or false, got "yes"/,
    ],
    [
      'MSK with brokers',
      { ...MSK_CONTEXT, bootstrapServers: 'a:9092' },
      /context key bootstrapServers: only for kafka=self-managed/,
    ],
    [
      'partial VPC',
      { kafka: 'self-managed', topic: 't', bootstrapServers: 'a:9092', vpcId: 'vpc-1' },
      /vpcId, subnetIds, securityGroupId: set all three or none/,
    ],
    ['auth', { ...MSK_CONTEXT, kafkaAuth: 'kerberos' }, /context key kafkaAuth: one of iam, sasl-scram-512/],
    [
      'on failure',
      { ...MSK_CONTEXT, onFailure: 'sns' },
      /context key onFailure: sqs, s3, or the ARN of an existing SQS queue or S3 bucket, got "sns"/,
    ],
    [
      'persist interval',
      { ...MSK_CONTEXT, persistIntervalSeconds: '-1' },
      /context key persistIntervalSeconds: a whole number of seconds from 0 to 1800, got -1/,
    ],
    [
      'retention',
      { ...MSK_CONTEXT, logRetentionDays: '10' },
      /context key logRetentionDays: one of CloudWatch Logs' retention periods/,
    ],
    [
      'file key typo',
      { stackConfig: 'deploy.json' },
      /topik \(in deploy\.json\): unknown setting/,
      { 'deploy.json': '{"topik": "x"}' },
    ],
    [
      'file value',
      { stackConfig: 'deploy.json' },
      /batchSize \(in deploy\.json\): must be an integer, got "many"/,
      { 'deploy.json': JSON.stringify({ ...MSK_CONTEXT, batchSize: 'many' }) },
    ],
    ['file JSON', { stackConfig: 'deploy.json' }, /stackConfig deploy\.json: /, { 'deploy.json': '{kafka: msk}' }],
    ['file missing', { stackConfig: 'nope.json' }, /stackConfig nope\.json: ENOENT/],
  ];
  for (const [name, context, message, files] of errors) {
    test(`error names the setting: ${name}`, () => assert.throws(() => settings(context, files), message));
  }

  test('the settings build the stack they describe', () => {
    const { stackName, props } = settings({ ...MSK_CONTEXT, batchSize: '250', maxBatchingWindowSeconds: '1' });
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const esm = onlyResource(
      Template.fromStack(new MetricsGeneratorStack(app, stackName, props)),
      'AWS::Lambda::EventSourceMapping',
    );
    assert.equal(esm.BatchSize, 250);
    assert.equal(esm.MaximumBatchingWindowInSeconds, Duration.seconds(1).toSeconds());
    assert.deepEqual(esm.AmazonManagedKafkaEventSourceConfig, { ConsumerGroupId: 'MskMetricsGenerator' });
  });
});
