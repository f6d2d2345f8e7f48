// cdk-nag AwsSolutionsChecks over every deployment shape the stack supports. cdk-nag 3 is a CDK
// validation plugin: an unacknowledged error makes app.synth() throw, and every finding (warnings
// included) lands in the assembly's validation report, which must be empty.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { MetricsGeneratorStack, type MetricsGeneratorStackProps } from '../../infra/metrics-generator-stack.ts';
import {
  AMP_WORKSPACE_ARN,
  CONFIG_FILE,
  KAFKA_SECRET_ARN,
  MSK,
  REMOTE_WRITE_SECRET_ARN,
  SCRAM_SECRET_ARN,
  SELF_MANAGED,
} from './fixtures.ts';

const VARIANTS: Record<string, Omit<MetricsGeneratorStackProps, 'configFile'>> = {
  MskIam: { kafka: MSK },
  MskScramSqs: {
    kafka: {
      ...MSK,
      auth: 'sasl-scram-512',
      secretArn: SCRAM_SECRET_ARN,
      secretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k1',
      onFailure: 'sqs',
    },
  },
  MskMtlsS3Pollers: {
    kafka: {
      ...MSK,
      auth: 'mtls',
      secretArn: KAFKA_SECRET_ARN,
      onFailure: 's3',
      provisionedPollers: { minimum: 1, maximum: 4 },
      retryAttempts: 100,
      bisectBatchOnError: true,
      maxRecordAge: Duration.hours(12),
    },
    remoteWrite: { secretArn: REMOTE_WRITE_SECRET_ARN, ampWorkspaceArn: AMP_WORKSPACE_ARN },
    monitoring: { alarmTopicArn: 'arn:aws:sns:eu-west-1:123456789012:oncall' },
  },
  SelfManagedVpcS3: {
    kafka: { ...SELF_MANAGED, onFailure: 's3' },
    remoteWrite: { secretArn: REMOTE_WRITE_SECRET_ARN },
  },
  SelfManagedPublic: {
    kafka: {
      ...SELF_MANAGED,
      vpc: undefined,
      auth: 'sasl-plain',
      rootCaSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ca-Rr5Tt6',
      onFailure: { queueArn: 'arn:aws:sqs:eu-west-1:123456789012:failed' },
    },
    tables: { deltas: { maxWriteRequestUnits: 1000 } },
  },
};

function appWithNag(): App {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}

function reportOf(directory: string): { pluginReports: Array<{ violations?: unknown[] }> } {
  return JSON.parse(readFileSync(join(directory, 'validation-report.json'), 'utf8'));
}

function acknowledgments(root: IConstruct): Array<{ path: string; id: string; reason: string }> {
  return root.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) =>
          Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id, reason })),
        ),
    );
}

describe('cdk-nag AwsSolutionsChecks', () => {
  test('every deployment shape synthesizes with no unacknowledged finding', () => {
    const app = appWithNag();
    for (const [id, props] of Object.entries(VARIANTS))
      new MetricsGeneratorStack(app, id, { configFile: CONFIG_FILE, ...props });
    const assembly = app.synth(); // throws with the nag report on any unacknowledged error
    const violations = reportOf(assembly.directory).pluginReports.flatMap((r) => r.violations ?? []);
    assert.deepEqual(violations, [], 'warnings too must be fixed or acknowledged with a reason');

    const acks = acknowledgments(app);
    assert.ok(acks.length > 0);
    for (const a of acks)
      assert.ok(a.reason.trim().length >= 40, `${a.path} ${a.id}: the reason must explain the exception`);
  });

  test('the check is live: a non-compliant resource fails synth and is named in the report', () => {
    const app = appWithNag();
    const stack = new Stack(app, 'Bad');
    new Queue(stack, 'PlainQueue');
    const quiet = console.error;
    console.error = () => {}; // the CDK prints the whole report; the assertion below reads it
    let message = '';
    try {
      app.synth();
    } catch (e) {
      message = (e as Error).message;
    } finally {
      console.error = quiet;
    }
    const reportPath = /report can be found in: (\S+validation-report\.json)/.exec(message)?.[1];
    assert.ok(reportPath, `synth must fail with a report, got: ${message}`);
    assert.match(readFileSync(reportPath, 'utf8'), /AwsSolutions-SQS4/);
  });
});
