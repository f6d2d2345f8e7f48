// The reusable construct: Kafka (MSK or self-managed) -> ingest function -> deltas table ->
// flush function (every minute, one at a time) -> series table + Prometheus remote write, with
// the config in a versioned S3 bucket (re-read at run time), large deltas and saved state in a data
// bucket, least-privilege roles, alarms and a dashboard.

import { ArnFormat, Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  DEFAULT_DELTA_TTL_DAYS,
  DEFAULT_PERSIST_INTERVAL_SECONDS,
  deployedEnvironment,
  MAX_PERSIST_INTERVAL_SECONDS,
} from '../lib/env/contract.ts';
import { DeployedConfig } from './config-parameter.ts';
import { DataBucket } from './data-bucket.ts';
import { GeneratorFunction } from './functions.ts';
import type { KafkaSourceProps } from './kafka-props.ts';
import { KafkaSource } from './kafka-source.ts';
import { Monitoring, type MonitoringThresholds } from './monitoring.ts';
import { secretFromArn } from './secrets.ts';
import { generatorTables, type TableCapacity } from './tables.ts';

export interface RemoteWriteAccess {
  /**
   * Secrets Manager secret (complete ARN) with remote-write credentials. Its ARN reaches the flush
   * function as REMOTE_WRITE_SECRET_ARN and its role may read it; the value never enters the template.
   */
  readonly secretArn?: string;
  readonly secretKmsKeyArn?: string;
  /** Amazon Managed Service for Prometheus workspace the flush role may remote-write to (SigV4). */
  readonly ampWorkspaceArn?: string;
}

export interface MetricsGeneratorProps {
  /** The Tempo-style YAML/JSON config file (and the per-tenant overrides file it names), validated at synth and seeded into the config bucket. */
  readonly configFile: string;
  readonly kafka: KafkaSourceProps;
  /** Lifetime of delta items (DELTA_TTL_DAYS). Default 7. */
  readonly deltaTtlDays?: number;
  /** Least time between two saves of the flusher's state (PERSIST_INTERVAL_SECONDS). Default 300 (docs/deploy.md). */
  readonly persistIntervalSeconds?: number;
  /** On-demand throughput caps per table. Default: none. */
  readonly tables?: { readonly deltas?: TableCapacity; readonly series?: TableCapacity };
  /** Tables, log groups and a created failed-batch queue or bucket. Default RETAIN. */
  readonly removalPolicy?: RemovalPolicy;
  readonly remoteWrite?: RemoteWriteAccess;
  /** Default 1024. */
  readonly ingestMemoryMb?: number;
  /** Default 512 (sizing table: docs/deploy.md). */
  readonly flushMemoryMb?: number;
  /** Default one month. */
  readonly logRetention?: RetentionDays;
  readonly monitoring?: MonitoringThresholds & { readonly alarmTopicArn?: string };
}

/** The flush schedule. */
export const FLUSH_PERIOD = Duration.minutes(1);
/**
 * Just under the period, so a run that hits its timeout ends before the next trigger. The handler
 * stops folding 8 s before its remaining time (at most 55 s after it starts) and saves in that reserve.
 */
export const FLUSH_TIMEOUT = Duration.seconds(58);
/** A full 6 MB batch decodes and writes in seconds; the rest is room for DynamoDB throttling back-off. */
export const INGEST_TIMEOUT = Duration.seconds(60);
/** Stack traces of the minified bundle point at the TypeScript sources. */
const SOURCE_MAPS = '--enable-source-maps';
/** Deltas must outlive the interval many times over (at least a day: deltaTtlDays >= 1). */
export const PERSIST_INTERVAL_RULE = `a whole number of seconds from 0 to ${MAX_PERSIST_INTERVAL_SECONDS}`;
export function validPersistInterval(seconds: number): boolean {
  return Number.isSafeInteger(seconds) && seconds >= 0 && seconds <= MAX_PERSIST_INTERVAL_SECONDS;
}
const AMP_WORKSPACE_ARN = /^arn:[a-z-]+:aps:[a-z0-9-]+:\d{12}:workspace\/ws-[A-Za-z0-9-]+$/;

export class MetricsGenerator extends Construct {
  readonly deltasTable: Table;
  readonly seriesTable: Table;
  readonly config: DeployedConfig;
  readonly data: DataBucket;
  readonly ingest: GeneratorFunction;
  readonly flush: GeneratorFunction;
  readonly kafkaSource: KafkaSource;
  readonly schedule: Rule;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: MetricsGeneratorProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.config = new DeployedConfig(this, 'Config', { configFile: props.configFile, removalPolicy });
    const ttlDays = props.deltaTtlDays ?? DEFAULT_DELTA_TTL_DAYS;
    if (!(Number.isInteger(ttlDays) && ttlDays >= 1))
      throw new Error(`deltaTtlDays: must be a positive integer, got ${ttlDays}`);
    const persistInterval = props.persistIntervalSeconds ?? DEFAULT_PERSIST_INTERVAL_SECONDS;
    if (!validPersistInterval(persistInterval))
      throw new Error(`persistIntervalSeconds: must be ${PERSIST_INTERVAL_RULE}, got ${persistInterval}`);
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    const tables = generatorTables(this, { ...props.tables, removalPolicy });
    this.deltasTable = tables.deltas;
    this.seriesTable = tables.series;
    Validations.of(this.deltasTable).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason: `Delta items are transient: folded within minutes and expired after ${ttlDays} days. What they add up to is the series table, which has point-in-time recovery.`,
    });

    this.data = new DataBucket(this, 'Data', { deltaTtlDays: ttlDays, removalPolicy });

    const configVersion = `config sha256:${this.config.digest}`;
    this.ingest = new GeneratorFunction(this, 'Ingest', {
      entry: 'functions/ingest.ts',
      description: `msk-metrics-generator ingest: Kafka batch -> delta (${configVersion})`,
      // A full batch (6 MB of records) decodes far below this; memory also sets the CPU share,
      // and 1024 MB decodes a batch about twice as fast as 512 MB for about the same cost.
      memorySize: props.ingestMemoryMb ?? 1024,
      timeout: INGEST_TIMEOUT,
      environment: deployedEnvironment(
        'ingest',
        {
          DELTAS_TABLE: this.deltasTable.tableName,
          CONFIG_BUCKET: this.config.store.bucket.bucketName,
          CONFIG_KEY: this.config.store.configKey,
          DELTA_TTL_DAYS: ttlDays,
          DATA_BUCKET: this.data.bucket.bucketName,
          NODE_OPTIONS: SOURCE_MAPS,
        },
        Token.isUnresolved,
      ),
      logRetention,
      logRemovalPolicy: removalPolicy,
    });
    this.flush = new GeneratorFunction(this, 'Flush', {
      entry: 'functions/flush.ts',
      description: `msk-metrics-generator flush: fold deltas, remote write, save state (${configVersion})`,
      // The flusher holds every tenant's registry in memory between invocations, plus a snapshot
      // while saving: about 13 KB of peak RSS per span-metrics label set (docs/deploy.md, sizing),
      // so 512 MB holds ~22,000 label sets; it runs ~55 s of every minute, so its memory is most
      // of the stack's fixed cost. Larger deployments set flushMemoryMb from the sizing table.
      memorySize: props.flushMemoryMb ?? 512,
      timeout: FLUSH_TIMEOUT,
      // The single writer of the series table: one invocation at a time.
      reservedConcurrentExecutions: 1,
      // The next minute's trigger does the same work, so a failed or queued trigger is not kept.
      retryAttempts: 0,
      maxEventAge: Duration.seconds(60),
      environment: deployedEnvironment(
        'flush',
        {
          DELTAS_TABLE: this.deltasTable.tableName,
          SERIES_TABLE: this.seriesTable.tableName,
          PERSIST_INTERVAL_SECONDS: persistInterval,
          CONFIG_BUCKET: this.config.store.bucket.bucketName,
          CONFIG_KEY: this.config.store.configKey,
          DATA_BUCKET: this.data.bucket.bucketName,
          ...(props.remoteWrite?.secretArn !== undefined && { REMOTE_WRITE_SECRET_ARN: props.remoteWrite.secretArn }),
          NODE_OPTIONS: SOURCE_MAPS,
        },
        Token.isUnresolved,
      ),
      logRetention,
      logRemovalPolicy: removalPolicy,
    });
    for (const f of [this.ingest, this.flush]) {
      Validations.of(f.function).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'Node.js 22 is the runtime the handlers are built and tested for (esbuild target node22).',
      });
    }

    this.grantTableAccess();
    this.data.grantDeltaWrite(this.ingest.role);
    this.data.grantDeltaRead(this.flush.role);
    this.data.grantStateReadWrite(this.flush.role);
    this.grantConfigRead(this.ingest.role);
    this.grantConfigRead(this.flush.role);
    this.grantRemoteWrite(props.remoteWrite ?? {});

    this.kafkaSource = new KafkaSource(this, 'Kafka', props.kafka, {
      function: this.ingest.function,
      role: this.ingest.role,
      defaultConsumerGroupId: Stack.of(this).stackName,
      removalPolicy,
    });

    this.schedule = new Rule(this, 'FlushSchedule', {
      description: 'msk-metrics-generator: run the flusher every minute',
      schedule: Schedule.rate(FLUSH_PERIOD),
    });
    this.schedule.addTarget(
      new LambdaFunction(this.flush.function, { retryAttempts: 0, maxEventAge: Duration.seconds(60) }),
    );

    this.monitoring = new Monitoring(this, 'Monitoring', {
      ingest: this.ingest.function,
      flush: this.flush.function,
      flushTimeout: FLUSH_TIMEOUT,
      deltas: this.deltasTable,
      series: this.seriesTable,
      deltaTtl: Duration.days(ttlDays),
      ...props.monitoring,
    });
  }

  /** Exactly the calls each function makes (lib/store): ingest writes deltas, flush reads them and owns the series. */
  private grantTableAccess(): void {
    this.deltasTable.grant(this.ingest.role, 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem');
    this.deltasTable.grant(this.flush.role, 'dynamodb:Query');
    this.seriesTable.grant(
      this.flush.role,
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:Query',
    );
  }

  private grantConfigRead(role: Role): void {
    this.config.store.grantConfigRead(role);
  }

  private grantRemoteWrite(access: RemoteWriteAccess): void {
    if (access.secretArn !== undefined) {
      secretFromArn(this, 'RemoteWriteSecret', {
        arn: access.secretArn,
        arnKey: 'remoteWrite.secretArn',
        kmsKeyArn: access.secretKmsKeyArn,
        kmsKeyArnKey: 'remoteWrite.secretKmsKeyArn',
      }).grantRead(this.flush.role);
    }
    // secretsmanager:<secret>:<key> references: read access to exactly those secrets (a name
    // matches the secret's ARN with Secrets Manager's six-character suffix)
    const named = this.config.findings.namedSecrets.map((n) =>
      n.startsWith('arn:')
        ? n
        : Stack.of(this).formatArn({
            service: 'secretsmanager',
            resource: 'secret',
            resourceName: `${n}-??????`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
    );
    if (named.length > 0)
      this.flush.role.addToPolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: named }),
      );
    // sigv4.role_arn: the flusher assumes these roles (cross-account AMP) through STS
    const roles = this.config.findings.assumeRoleArns;
    if (roles.length > 0)
      this.flush.role.addToPolicy(new PolicyStatement({ actions: ['sts:AssumeRole'], resources: roles }));
    const workspace = access.ampWorkspaceArn;
    if (workspace !== undefined) {
      if (!Token.isUnresolved(workspace) && !AMP_WORKSPACE_ARN.test(workspace)) {
        throw new Error(
          `remoteWrite.ampWorkspaceArn: must be an Amazon Managed Service for Prometheus workspace ARN (arn:aws:aps:<region>:<account>:workspace/ws-...), got "${workspace}"`,
        );
      }
      this.flush.role.addToPolicy(new PolicyStatement({ actions: ['aps:RemoteWrite'], resources: [workspace] }));
    } else if (this.config.findings.usesSigv4) {
      throw new Error(
        'remoteWrite.ampWorkspaceArn: required because a remote_write endpoint uses sigv4 (the flush role signs and needs aps:RemoteWrite on the workspace)',
      );
    }
  }
}
