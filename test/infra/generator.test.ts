import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RemovalPolicy } from 'aws-cdk-lib';
import { DELTAS_TABLE, SERIES_TABLE } from '../../lib/store/tables.ts';
import { FLUSH_TIMEOUT } from '../../infra/metrics-generator.ts';
import {
  actionsOf,
  AMP_WORKSPACE_ARN,
  configFileWith,
  onlyResource,
  REMOTE_WRITE_SECRET_ARN,
  SELF_MANAGED,
  skipTemplateValidation,
  stackOf,
  statementsOf,
  templateOf,
} from './fixtures.ts';

skipTemplateValidation();

const template = templateOf();

function tableByKey(t = template, logicalPrefix: string) {
  const entry = Object.entries(t.findResources('AWS::DynamoDB::Table')).find(([id]) => id.startsWith(logicalPrefix));
  assert.ok(entry, `table ${logicalPrefix}`);
  return entry[1] as { Properties: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
}

function bucketNamed(logicalPrefix: string, t = template): Record<string, any> {
  const entries = Object.entries(t.findResources('AWS::S3::Bucket')).filter(([id]) => id.startsWith(logicalPrefix));
  assert.equal(entries.length, 1, `bucket ${logicalPrefix}`);
  return (entries[0][1] as { Properties: Record<string, any> }).Properties;
}

/** The bucket's policy denies every request that is not over TLS. */
function assertTlsOnly(logicalPrefix: string, t = template): void {
  const policies = Object.values(t.findResources('AWS::S3::BucketPolicy')) as Array<{
    Properties: Record<string, any>;
  }>;
  const policy = policies.find((p) => String(p.Properties.Bucket.Ref).startsWith(logicalPrefix));
  assert.ok(policy, `policy of ${logicalPrefix}`);
  const deny = policy.Properties.PolicyDocument.Statement.find((st: { Effect: string }) => st.Effect === 'Deny');
  assert.deepEqual(deny.Condition, { Bool: { 'aws:SecureTransport': 'false' } });
}

function functionNamed(fragment: 'Ingest' | 'Flush', t = template): Record<string, any> {
  const entry = Object.entries(t.findResources('AWS::Lambda::Function')).find(([id]) =>
    id.startsWith(`Generator${fragment}Function`),
  );
  assert.ok(entry, fragment);
  return (entry[1] as { Properties: Record<string, any> }).Properties;
}

describe('tables', () => {
  test('keys and TTL attribute come from lib/store/tables.ts; on-demand; retained by default', () => {
    for (const [prefix, def] of [
      ['GeneratorDeltas', DELTAS_TABLE],
      ['GeneratorSeries', SERIES_TABLE],
    ] as const) {
      const table = tableByKey(template, prefix);
      const p = table.Properties;
      assert.deepEqual(p.KeySchema, [
        { AttributeName: def.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: def.sortKey!.name, KeyType: 'RANGE' },
      ]);
      assert.deepEqual(p.AttributeDefinitions, [
        { AttributeName: def.partitionKey.name, AttributeType: def.partitionKey.type },
        { AttributeName: def.sortKey!.name, AttributeType: def.sortKey!.type },
      ]);
      assert.deepEqual(p.TimeToLiveSpecification, { AttributeName: def.ttlAttribute, Enabled: true });
      assert.equal(p.BillingMode, 'PAY_PER_REQUEST');
      assert.equal(p.OnDemandThroughput, undefined);
      assert.equal(table.DeletionPolicy, 'Retain');
      assert.equal(table.UpdateReplacePolicy, 'Retain');
    }
  });

  test('point-in-time recovery on the series table only', () => {
    assert.deepEqual(tableByKey(template, 'GeneratorSeries').Properties.PointInTimeRecoverySpecification, {
      PointInTimeRecoveryEnabled: true,
    });
    assert.deepEqual(tableByKey(template, 'GeneratorDeltas').Properties.PointInTimeRecoverySpecification, {
      PointInTimeRecoveryEnabled: false,
    });
  });

  test('optional throughput caps, and destroy on stack deletion for development stacks', () => {
    const t = templateOf({
      tables: { deltas: { maxWriteRequestUnits: 400, maxReadRequestUnits: 800 }, series: { maxWriteRequestUnits: 50 } },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    assert.deepEqual(tableByKey(t, 'GeneratorDeltas').Properties.OnDemandThroughput, {
      MaxReadRequestUnits: 800,
      MaxWriteRequestUnits: 400,
    });
    assert.deepEqual(tableByKey(t, 'GeneratorSeries').Properties.OnDemandThroughput, { MaxWriteRequestUnits: 50 });
    assert.equal(tableByKey(t, 'GeneratorDeltas').DeletionPolicy, 'Delete');
    assert.throws(
      () => stackOf({ tables: { deltas: { maxWriteRequestUnits: 0 } } }),
      /Deltas table maxWriteRequestUnits: must be a positive integer, got 0/,
    );
  });
});

describe('functions', () => {
  test('Node.js 22 on arm64, ESM bundle entry, memory and timeouts as documented', () => {
    const ingest = functionNamed('Ingest');
    const flush = functionNamed('Flush');
    for (const f of [ingest, flush]) {
      assert.equal(f.Runtime, 'nodejs22.x');
      assert.deepEqual(f.Architectures, ['arm64']);
      assert.equal(f.Handler, 'index.handler');
      assert.equal(f.Environment.Variables.NODE_OPTIONS, '--enable-source-maps');
      assert.match(f.Description, /\(config sha256:[0-9a-f]{12}\)$/);
    }
    assert.equal(ingest.MemorySize, 1024);
    assert.equal(ingest.Timeout, 60);
    assert.equal(flush.MemorySize, 512); // the sizing table's default (docs/deploy.md)
    assert.equal(flush.Timeout, FLUSH_TIMEOUT.toSeconds());
    assert.ok(flush.Timeout < 60, 'the flush timeout is under the one-minute schedule period');
  });

  test('the flusher runs one at a time and drops a trigger it cannot run instead of retrying it', () => {
    assert.equal(functionNamed('Flush').ReservedConcurrentExecutions, 1);
    assert.equal(functionNamed('Ingest').ReservedConcurrentExecutions, undefined);
    const invoke = onlyResource(template, 'AWS::Lambda::EventInvokeConfig');
    assert.equal(invoke.MaximumRetryAttempts, 0);
    assert.equal(invoke.MaximumEventAgeInSeconds, 60);
  });

  test('environment: table names, the config bucket and key, and the delta TTL, as the handlers read them', () => {
    const ingest = functionNamed('Ingest').Environment.Variables;
    const flush = functionNamed('Flush').Environment.Variables;
    const ref = (v: { Ref: string }) => v.Ref;
    assert.match(ref(ingest.DELTAS_TABLE), /^GeneratorDeltas/);
    assert.match(ref(ingest.CONFIG_BUCKET), /^GeneratorConfigStoreBucket/);
    assert.equal(ingest.CONFIG_KEY, 'config.yaml');
    assert.equal(ingest.DELTA_TTL_DAYS, '7');
    assert.equal(ingest.SERIES_TABLE, undefined);
    assert.match(ref(flush.DELTAS_TABLE), /^GeneratorDeltas/);
    assert.match(ref(flush.SERIES_TABLE), /^GeneratorSeries/);
    assert.match(ref(flush.CONFIG_BUCKET), /^GeneratorConfigStoreBucket/);
    assert.equal(flush.CONFIG_KEY, 'config.yaml');
    assert.equal(flush.REMOTE_WRITE_SECRET_ARN, undefined);
    assert.match(ref(ingest.DATA_BUCKET), /^GeneratorDataBucket/);
    assert.match(ref(flush.DATA_BUCKET), /^GeneratorDataBucket/);
    assert.equal(functionNamed('Ingest', templateOf({ deltaTtlDays: 3 })).Environment.Variables.DELTA_TTL_DAYS, '3');
  });

  test('the persist interval reaches the flusher (default 300 s); a bad one fails the synth naming the setting', () => {
    assert.equal(functionNamed('Flush').Environment.Variables.PERSIST_INTERVAL_SECONDS, '300');
    assert.equal(functionNamed('Ingest').Environment.Variables.PERSIST_INTERVAL_SECONDS, undefined);
    assert.equal(
      functionNamed('Flush', templateOf({ persistIntervalSeconds: 60 })).Environment.Variables.PERSIST_INTERVAL_SECONDS,
      '60',
    );
    assert.throws(
      () => templateOf({ persistIntervalSeconds: 3600 }),
      /persistIntervalSeconds: must be a whole number of seconds from 0 to 1800, got 3600/,
    );
  });

  test('each function logs to its own log group with a retention', () => {
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup')) as Array<{
      Properties: { RetentionInDays: number };
    }>;
    assert.equal(groups.length, 2);
    for (const g of groups) assert.equal(g.Properties.RetentionInDays, 30);
    for (const f of [functionNamed('Ingest'), functionNamed('Flush')]) assert.ok(f.LoggingConfig.LogGroup.Ref);
  });

  test('the flusher is scheduled every minute', () => {
    const rule = onlyResource(template, 'AWS::Events::Rule');
    assert.equal(rule.ScheduleExpression, 'rate(1 minute)');
    assert.equal(rule.State, 'ENABLED');
    assert.equal(rule.Targets.length, 1);
    assert.match(rule.Targets[0].Arn['Fn::GetAtt'][0], /^GeneratorFlushFunction/);
    assert.deepEqual(rule.Targets[0].RetryPolicy, { MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 0 });
  });

  test('the config bucket: encrypted, versioned, public access blocked, TLS only; seeded with the config; its location in SSM', () => {
    const bucket = bucketNamed('GeneratorConfigStoreBucket');
    assert.equal(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
      'AES256',
    );
    assert.equal(bucket.VersioningConfiguration.Status, 'Enabled');
    assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    assertTlsOnly('GeneratorConfigStoreBucket');
    const seed = onlyResource(template, 'Custom::CDKBucketDeployment');
    assert.equal(seed.Prune, false);
    const param = onlyResource(template, 'AWS::SSM::Parameter');
    assert.equal(param.Name, '/msk-metrics-generator/Test/config-location');
  });
});

describe('data bucket (large deltas, saved state)', () => {
  test('encrypted, not public, TLS only, unversioned; deltas/ expires after the delta TTL and nothing else does', () => {
    const bucket = bucketNamed('GeneratorDataBucket');
    assert.equal(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
      'AES256',
    );
    assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    assert.equal(bucket.VersioningConfiguration, undefined);
    assertTlsOnly('GeneratorDataBucket');
    assert.deepEqual(bucket.LifecycleConfiguration.Rules, [
      { Id: 'expire-deltas', Prefix: 'deltas/', ExpirationInDays: 7, Status: 'Enabled' },
    ]);
    const short = bucketNamed('GeneratorDataBucket', templateOf({ deltaTtlDays: 2 }));
    assert.equal(short.LifecycleConfiguration.Rules[0].ExpirationInDays, 2);
  });

  test('ingest may only PUT under deltas/; the flusher may GET deltas/ and GET/PUT/DELETE state/; nobody lists', () => {
    const onData = (fn: 'Ingest' | 'Flush') =>
      statementsOf(template, fn)
        .filter((s) => JSON.stringify(s.Resource).includes('GeneratorDataBucket'))
        .map((s) => [actionsOf(s).sort().join(','), JSON.stringify(s.Resource).match(/"\/(\w+\/\*)"/)?.[1]]);
    assert.deepEqual(onData('Ingest'), [['s3:PutObject', 'deltas/*']]);
    assert.deepEqual(onData('Flush').sort(), [
      ['s3:DeleteObject,s3:GetObject,s3:PutObject', 'state/*'],
      ['s3:GetObject', 'deltas/*'],
    ]);
  });
});

describe('IAM: only the actions each function uses, on its own resources', () => {
  const resourceText = (s: { Resource: unknown }) => JSON.stringify(s.Resource);

  test('ingest: GetItem/PutItem/UpdateItem on the deltas table, GetObject on the config objects, its own log group', () => {
    const statements = statementsOf(template, 'Ingest');
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    assert.equal(dynamo.length, 1);
    assert.deepEqual(actionsOf(dynamo[0]).sort(), ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
    assert.match(resourceText(dynamo[0]), /"GeneratorDeltas[0-9A-F]+","Arn"/);
    assert.doesNotMatch(resourceText(dynamo[0]), /GeneratorSeries/);
    assert.ok(!statements.some((s) => actionsOf(s).some((a) => a.startsWith('ssm:'))));
    const s3 = statements.filter(
      (s) => actionsOf(s).some((a) => a.startsWith('s3:')) && resourceText(s).includes('GeneratorConfigStore'),
    );
    assert.deepEqual(s3.flatMap(actionsOf), ['s3:GetObject']);
    assert.match(resourceText(s3[0]), /GeneratorConfigStoreBucket[0-9A-F]+","Arn"\]\},"\/\*"/);
    const logs = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
    assert.deepEqual(logs.flatMap(actionsOf).sort(), ['logs:CreateLogStream', 'logs:PutLogEvents']);
    assert.match(resourceText(logs[0]), /GeneratorIngestLogs/);
  });

  test('flush: Query on deltas; GetItem/PutItem/UpdateItem/Query on series; no Scan, no delete, no table-wide wildcards', () => {
    const statements = statementsOf(template, 'Flush');
    const dynamo = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')));
    const onTable = (name: string) =>
      dynamo
        .filter((s) => resourceText(s).includes(`"Generator${name}`))
        .flatMap(actionsOf)
        .sort();
    assert.deepEqual(onTable('Deltas'), ['dynamodb:Query']);
    assert.deepEqual(onTable('Series'), [
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:UpdateItem',
    ]);
    assert.ok(!dynamo.some((s) => resourceText(s).includes('*')));
    const s3 = statements.filter(
      (s) => actionsOf(s).some((a) => a.startsWith('s3:')) && resourceText(s).includes('GeneratorConfigStore'),
    );
    assert.deepEqual(s3.flatMap(actionsOf), ['s3:GetObject'], 'config: read only, no list, no write');
  });

  test('no statement has a "*" resource except the documented EC2 describe actions of a VPC event source', () => {
    for (const t of [
      template,
      templateOf({
        kafka: SELF_MANAGED,
        remoteWrite: { secretArn: REMOTE_WRITE_SECRET_ARN, ampWorkspaceArn: AMP_WORKSPACE_ARN },
      }),
    ]) {
      for (const fn of ['Ingest', 'Flush'] as const) {
        for (const s of statementsOf(t, fn)) {
          const resources = Array.isArray(s.Resource) ? s.Resource : [s.Resource];
          if (resources.includes('*'))
            assert.ok(
              actionsOf(s).every((a) => a.startsWith('ec2:Describe')),
              `${fn}: ${actionsOf(s).join(', ')} on *`,
            );
          assert.ok(
            !actionsOf(s).some((a) => a.endsWith(':*') || a === '*'),
            `${fn}: wildcard action ${actionsOf(s).join(', ')}`,
          );
        }
      }
    }
  });

  test('remote write: the secret ARN (never its value) reaches the flusher, which alone may read it; AMP write on the one workspace', () => {
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/aaaa-bbbb';
    const t = templateOf({
      remoteWrite: { secretArn: REMOTE_WRITE_SECRET_ARN, secretKmsKeyArn: key, ampWorkspaceArn: AMP_WORKSPACE_ARN },
    });
    assert.equal(functionNamed('Flush', t).Environment.Variables.REMOTE_WRITE_SECRET_ARN, REMOTE_WRITE_SECRET_ARN);
    assert.equal(functionNamed('Ingest', t).Environment.Variables.REMOTE_WRITE_SECRET_ARN, undefined);
    const flush = statementsOf(t, 'Flush');
    assert.deepEqual(
      flush
        .filter((s) => actionsOf(s).some((a) => a.startsWith('secretsmanager:')))
        .map((s) => [actionsOf(s), s.Resource]),
      [[['secretsmanager:GetSecretValue'], REMOTE_WRITE_SECRET_ARN]],
    );
    const decrypt = flush.find((s) => actionsOf(s).includes('kms:Decrypt')) as unknown as {
      Resource: string;
      Condition: unknown;
    };
    assert.equal(decrypt.Resource, key);
    assert.deepEqual(decrypt.Condition, {
      StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' },
    });
    assert.deepEqual(
      flush.filter((s) => actionsOf(s).includes('aps:RemoteWrite')).map((s) => s.Resource),
      [AMP_WORKSPACE_ARN],
    );
    assert.ok(
      !statementsOf(t, 'Ingest').some((s) =>
        actionsOf(s).some((a) => a.startsWith('secretsmanager:') || a.startsWith('aps:')),
      ),
    );
    assert.ok(!JSON.stringify(t.toJSON()).includes('SecretString'), 'no secret value in the template');
  });

  test('sigv4.role_arn: the flush role may assume exactly that role, and no own AMP workspace is needed', () => {
    const role = 'arn:aws:iam::210987654321:role/amp-writer';
    const file = configFileWith(
      `metrics_generator:\n  storage:\n    remote_write:\n      - url: https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write\n        sigv4: {region: eu-west-1, role_arn: "${role}"}\n`,
    );
    const t = templateOf({ configFile: file });
    const assume = statementsOf(t, 'Flush').filter((s) => actionsOf(s).includes('sts:AssumeRole'));
    assert.deepEqual(
      assume.map((s) => s.Resource),
      [role],
    );
    assert.ok(!statementsOf(t, 'Ingest').some((s) => actionsOf(s).includes('sts:AssumeRole')));
  });

  test('secretsmanager:<secret>:<key> references: the flush role may read exactly those secrets', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:mtls-AbCdEf';
    const file = configFileWith(
      `metrics_generator:\n  storage:\n    remote_write:\n      - url: https://prom.example.com/api/v1/write\n        tls_config: {cert_file: "secretsmanager:${arn}:cert", key_file: "secretsmanager:${arn}:key"}\n        http_headers: {X-Api-Key: {files: ["secretsmanager:team/prom:api_key"]}}\n`,
    );
    const t = templateOf({ configFile: file });
    const reads = statementsOf(t, 'Flush').filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
    const resources = JSON.stringify(reads.map((s) => s.Resource));
    assert.ok(resources.includes(arn), resources);
    assert.match(resources, /:secret:team\/prom-\?\?\?\?\?\?/);
  });

  test('a config with SigV4 needs the AMP workspace, so the role can sign', () => {
    const sigv4 = configFileWith(
      'metrics_generator:\n  storage:\n    remote_write:\n      - url: https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-1/api/v1/remote_write\n        sigv4: {region: eu-west-1}\n',
    );
    assert.throws(
      () => stackOf({ configFile: sigv4 }),
      /remoteWrite\.ampWorkspaceArn: required because a remote_write endpoint uses sigv4/,
    );
    assert.doesNotThrow(() => stackOf({ configFile: sigv4, remoteWrite: { ampWorkspaceArn: AMP_WORKSPACE_ARN } }));
    assert.throws(
      () => stackOf({ remoteWrite: { ampWorkspaceArn: 'arn:aws:aps:eu-west-1:123456789012:rulegroupsnamespace/x' } }),
      /remoteWrite\.ampWorkspaceArn: must be an Amazon Managed Service for Prometheus workspace ARN/,
    );
  });
});

describe('alarms and dashboard', () => {
  const alarms: Array<Record<string, any>> = Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(
    ([id, a]) => ({ id, ...(a as { Properties: Record<string, any> }).Properties }),
  );
  const alarm = (name: string) => {
    const found = alarms.find((a) => a.id.startsWith(`GeneratorMonitoring${name}`));
    assert.ok(found, `alarm ${name}`);
    return found;
  };
  const expressions = (a: Record<string, any>) =>
    (a.Metrics as Array<{ Expression?: string; Period?: number }>).map((m) => m);

  test('function errors and throttles', () => {
    for (const [name, fn] of [
      ['IngestErrors', 'Ingest'],
      ['FlushErrors', 'Flush'],
      ['IngestThrottles', 'Ingest'],
      ['FlushThrottles', 'Flush'],
    ] as const) {
      const a = alarm(name);
      assert.equal(a.Namespace, 'AWS/Lambda');
      assert.equal(a.MetricName, name.endsWith('Errors') ? 'Errors' : 'Throttles');
      assert.match(a.Dimensions[0].Value.Ref, new RegExp(`^Generator${fn}Function`));
      assert.equal(a.Threshold, 0);
      assert.equal(a.ComparisonOperator, 'GreaterThanThreshold');
    }
  });

  test('Kafka offset lag from the event source mapping', () => {
    const a = alarm('OffsetLag');
    assert.equal(a.Namespace, 'AWS/Lambda');
    assert.equal(a.MetricName, 'OffsetLag');
    assert.equal(a.Statistic, 'Maximum');
    assert.equal(a.Threshold, 100000);
  });

  test('fold lag: stale metrics and the deltas TTL; no fold lag published (caught up or idle) is healthy', () => {
    const stale = alarm('FoldLag');
    assert.equal(stale.Namespace, 'MskMetricsGenerator');
    assert.equal(stale.MetricName, 'FoldLagSeconds');
    assert.equal(stale.Threshold, 900);
    assert.equal(stale.TreatMissingData, 'notBreaching');
    const ttl = alarm('FoldLagNearDeltaTtl');
    assert.equal(ttl.Threshold, (7 * 86400) / 2);
    const short = Object.values(templateOf({ deltaTtlDays: 2 }).findResources('AWS::CloudWatch::Alarm')) as Array<{
      Properties: { AlarmDescription: string; Threshold: number };
    }>;
    assert.ok(
      short.some((a) => a.Properties.Threshold === 86400 && /deltas' lifetime/.test(a.Properties.AlarmDescription)),
    );
  });

  test('bad records, remote-write failures and corrupt deltas over every dimension value (Metrics Insights)', () => {
    const bad = expressions(alarm('BadRecords'));
    assert.equal(bad.length, 1);
    assert.equal(bad[0].Expression, 'SELECT SUM(BadRecords) FROM SCHEMA("MskMetricsGenerator", reason, topic)');
    assert.equal(bad[0].Period, 300);
    const rw = expressions(alarm('RemoteWriteFailures'));
    assert.equal(
      rw[0].Expression,
      'SELECT SUM(RemoteWriteFailures) FROM SCHEMA("MskMetricsGenerator", class, endpoint, tenant)',
    );
    const corrupt = alarm('CorruptDeltas');
    assert.equal(
      expressions(corrupt)[0].Expression,
      'SELECT SUM(CorruptDeltas) FROM SCHEMA("MskMetricsGenerator", topic)',
    );
    assert.equal(corrupt.EvaluationPeriods, 1, 'one skipped delta is already lost counts');
  });

  test('deltas lost from the chain and a flusher host clock ahead of DynamoDB alarm at once', () => {
    const lost = alarm('DeltasLost');
    assert.equal(expressions(lost)[0].Expression, 'SELECT SUM(DeltasLost) FROM SCHEMA("MskMetricsGenerator", topic)');
    assert.equal(lost.EvaluationPeriods, 1, 'one gap is already lost counts');
    const clock = alarm('FlushClockAhead');
    assert.equal(clock.MetricName, 'ClockAheadSeconds');
    assert.equal(clock.Threshold, 30);
    const body = JSON.stringify(onlyResource(template, 'AWS::CloudWatch::Dashboard').DashboardBody);
    for (const metric of ['DeltasLost', 'StateReloads', 'PartitionsBehind']) assert.ok(body.includes(metric), metric);
  });

  test('a refused config change (either function) fires at once', () => {
    const a = alarm('ConfigReloadFailures');
    assert.equal(a.Namespace, 'MskMetricsGenerator');
    assert.equal(a.MetricName, 'ConfigReloadFailures');
    assert.equal(a.Statistic, 'Sum');
    assert.equal(a.Threshold, 0);
    assert.equal(a.EvaluationPeriods, 1);
  });

  test('a flusher that is not invoked alarms on its free AWS/Lambda Invocations, also with no data at all', () => {
    const a = alarm('FlushNotRunning');
    assert.equal(a.Namespace, 'AWS/Lambda');
    assert.equal(a.MetricName, 'Invocations');
    assert.match(a.Dimensions[0].Value.Ref, /^GeneratorFlushFunction/);
    assert.equal(a.Statistic, 'Sum');
    assert.equal(a.ComparisonOperator, 'LessThanThreshold');
    assert.equal(a.Threshold, 1);
    assert.equal(a.TreatMissingData, 'breaching');
  });

  test('alarms on metrics absent when healthy treat missing data as not breaching', () => {
    const own = alarms.filter(
      (a) =>
        a.Namespace === 'MskMetricsGenerator' ||
        (a.Metrics ?? []).some((m: { Expression?: string }) => m.Expression?.includes('MskMetricsGenerator')),
    );
    assert.ok(own.length >= 8, `only ${own.length} alarms on the functions' own metrics`);
    for (const a of own) assert.equal(a.TreatMissingData, 'notBreaching', a.id);
  });

  test('the saved state in S3 alarms when a takeover holds collections back and when superseded objects cannot be deleted', () => {
    const held = alarm('CollectionsHeld');
    assert.equal(held.Namespace, 'MskMetricsGenerator');
    assert.equal(held.MetricName, 'CollectionsHeld');
    assert.equal(held.Threshold, 0);
    assert.equal(held.EvaluationPeriods, 3);
    assert.match(held.AlarmDescription, /held/);
    const deletes = alarm('StateDeleteFailures');
    assert.equal(deletes.Namespace, 'MskMetricsGenerator');
    assert.equal(deletes.MetricName, 'StateDeleteFailures');
    assert.equal(deletes.EvaluationPeriods, 3);
    assert.match(deletes.AlarmDescription, /billed/);
  });

  test('flush duration near the timeout and write units per table', () => {
    const d = alarm('FlushDurationNearTimeout');
    assert.equal(d.Namespace, 'AWS/Lambda');
    assert.equal(d.MetricName, 'Duration');
    assert.equal(d.Statistic, 'Maximum');
    assert.equal(d.Threshold, FLUSH_TIMEOUT.toMilliseconds() - 3000);
    for (const name of ['DeltasWriteUnits', 'SeriesWriteUnits']) {
      const w = alarm(name);
      assert.equal(w.Namespace, 'AWS/DynamoDB');
      assert.equal(w.MetricName, 'ConsumedWriteCapacityUnits');
      assert.equal(w.Threshold, 100 * 300);
    }
  });

  test('thresholds and an SNS topic for notifications are settable', () => {
    const topic = 'arn:aws:sns:eu-west-1:123456789012:oncall';
    const t = templateOf({ monitoring: { alarmTopicArn: topic, offsetLag: 5000, writeUnitsPerSecond: 20 } });
    const all = Object.values(t.findResources('AWS::CloudWatch::Alarm')) as Array<{ Properties: Record<string, any> }>;
    assert.equal(all.length, alarms.length);
    for (const a of all) {
      assert.deepEqual(a.Properties.AlarmActions, [topic]);
      assert.deepEqual(a.Properties.OKActions, [topic]);
    }
    assert.ok(all.some((a) => a.Properties.MetricName === 'OffsetLag' && a.Properties.Threshold === 5000));
    assert.ok(
      all.some((a) => a.Properties.MetricName === 'ConsumedWriteCapacityUnits' && a.Properties.Threshold === 20 * 300),
    );
  });

  test('one dashboard shows the alarms and the operational metrics', () => {
    const body = JSON.stringify(onlyResource(template, 'AWS::CloudWatch::Dashboard').DashboardBody);
    for (const metric of [
      'OffsetLag',
      'FoldLagSeconds',
      'FoldLagOffsets',
      'CorruptDeltas',
      'RecordBytes',
      'BadRecords',
      'SamplesSent',
      'RemoteWriteFailures',
      'ActiveSeries',
      'Invocations',
      'Duration',
      'ConsumedWriteCapacityUnits',
      'ConsumedReadCapacityUnits',
      'DynamoRetries',
    ]) {
      assert.ok(body.includes(metric), metric);
    }
    // graphs search the dimension sets the functions publish (lib/metrics/cloudwatch-rules.ts)
    assert.match(body, /\{MskMetricsGenerator,topic\} MetricName=\W*FoldLagOffsets/, 'fold lag offsets per topic');
    assert.match(body, /\{MskMetricsGenerator,endpoint\} MetricName=\W*SamplesSent/, 'samples sent per endpoint');
    // every metric a reference workload publishes without a tenant is on the dashboard (README, which metrics reach CloudWatch)
    for (const metric of [
      'Records',
      'Spans',
      'RecordBytes',
      'DeltaBytes',
      'DeltaItems',
      'DeltaSeries',
      'DeltasFolded',
      'ExemplarsSent',
      'FoldLagSeconds',
      'PersistMilliseconds',
      'StateBytes',
      'ActiveSeries',
    ]) {
      assert.ok(body.includes(metric), metric);
    }
    for (const gone of [
      /FlushMilliseconds/,
      /MetricName=\W*WriteUnits/,
      /StateEpoch/,
      /\{MskMetricsGenerator,tenant\} MetricName=\W*ActiveSeries/,
    ])
      assert.doesNotMatch(body, gone, 'no longer published');
    assert.ok(body.includes('alarm'), 'alarm status widget');
  });
});
