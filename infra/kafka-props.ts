// Settings of the Kafka event source (MSK or self-managed), their defaults and the checks that
// run at synth, each error naming the setting. docs/deploy.md explains every default.

import { Duration, Token } from 'aws-cdk-lib';
import type { OnFailure } from './on-failure.ts';

const MSK_CLUSTER_ARN = /^arn:[a-z-]+:kafka:[a-z0-9-]+:\d{12}:cluster\/[^/]+\/[^/]+$/;
const CONSUMER_GROUP_ID = /^[a-zA-Z0-9\-/*:_+=.@]{1,200}$/;
const BOOTSTRAP_SERVER = /^[A-Za-z0-9.-]+:\d{1,5}$/;

export type KafkaAuth = 'iam' | 'sasl-scram-512' | 'sasl-scram-256' | 'sasl-plain' | 'mtls' | 'none';
export type StartingPositionName = 'LATEST' | 'TRIM_HORIZON' | 'AT_TIMESTAMP';

interface KafkaConsumerProps {
  readonly topic: string;
  /** Default: the stack name. Changing it replaces the mapping, which then starts at startingPosition. */
  readonly consumerGroupId?: string;
  /** Where a consumer group without committed offsets starts. Default LATEST. */
  readonly startingPosition?: StartingPositionName;
  /** Unix seconds, with startingPosition AT_TIMESTAMP. */
  readonly startingPositionTimestamp?: number;
  /** Default 10000 (the maximum); the 6 MB invocation payload usually limits a batch first. */
  readonly batchSize?: number;
  /** Default 5 s. */
  readonly maxBatchingWindow?: Duration;
  /** Provisioned mode (billed per event poller unit hour); default: on-demand pollers. */
  readonly provisionedPollers?: { readonly minimum?: number; readonly maximum?: number };
  /** Provisioned mode only. Default: retry until the records leave the topic. */
  readonly retryAttempts?: number;
  /** Provisioned mode only. Default false. */
  readonly bisectBatchOnError?: boolean;
  /** Provisioned mode only. Default: no limit. */
  readonly maxRecordAge?: Duration;
  /** Where a batch given up on is reported. Default: nowhere (retries continue). */
  readonly onFailure?: OnFailure;
  /** Authentication secret (complete ARN): SASL username/password, or the mTLS client certificate and key. */
  readonly secretArn?: string;
  /** The customer managed KMS key of that secret (required by MSK for SASL/SCRAM secrets). */
  readonly secretKmsKeyArn?: string;
}

export interface MskSourceProps extends KafkaConsumerProps {
  readonly kind: 'msk';
  readonly clusterArn: string;
  /** Default iam. */
  readonly auth?: Extract<KafkaAuth, 'iam' | 'sasl-scram-512' | 'mtls'>;
}

export interface SelfManagedKafkaSourceProps extends KafkaConsumerProps {
  readonly kind: 'self-managed';
  readonly bootstrapServers: readonly string[];
  /** Default sasl-scram-512 when secretArn is set, else none (which needs a VPC). */
  readonly auth?: Exclude<KafkaAuth, 'iam'>;
  /** Secret with the root CA certificate of brokers whose certificates a private CA signed. */
  readonly rootCaSecretArn?: string;
  /** When the brokers are reachable only inside a VPC: where the event pollers connect from. */
  readonly vpc?: { readonly vpcId: string; readonly subnetIds: readonly string[]; readonly securityGroupId: string };
}

export type KafkaSourceProps = MskSourceProps | SelfManagedKafkaSourceProps;

export const KAFKA_DEFAULTS = {
  startingPosition: 'LATEST' as StartingPositionName,
  batchSize: 10_000,
  maxBatchingWindow: Duration.seconds(5),
};

/** Checks every setting that does not need the construct tree; errors name the setting. */
export function validateKafkaProps(props: KafkaSourceProps): void {
  if (props.kind === 'msk' && !Token.isUnresolved(props.clusterArn) && !MSK_CLUSTER_ARN.test(props.clusterArn)) {
    throw new Error(
      `kafka.clusterArn: must be an MSK cluster ARN (arn:aws:kafka:<region>:<account>:cluster/<name>/<uuid>), got "${props.clusterArn}"`,
    );
  }
  if (props.kind === 'self-managed') {
    if (props.bootstrapServers.length === 0)
      throw new Error('kafka.bootstrapServers: at least one host:port is required');
    for (const s of props.bootstrapServers) {
      if (!Token.isUnresolved(s) && !BOOTSTRAP_SERVER.test(s))
        throw new Error(`kafka.bootstrapServers: "${s}" is not host:port`);
    }
    if (props.vpc !== undefined && props.vpc.subnetIds.length === 0)
      throw new Error('kafka.vpc.subnetIds: at least one subnet is required');
  }
  const { topic } = props;
  if (!Token.isUnresolved(topic) && !/^[a-zA-Z0-9._-]{1,249}$/.test(topic))
    throw new Error(`kafka.topic: not a Kafka topic name: "${topic}"`);
  intIn('kafka.batchSize', props.batchSize, 1, 10_000);
  const window = props.maxBatchingWindow?.toSeconds();
  intIn('kafka.maxBatchingWindow (seconds)', window, 0, 300);
  const p = props.provisionedPollers;
  if (p !== undefined) {
    intIn('kafka.provisionedPollers.minimum', p.minimum, 1, 200);
    intIn('kafka.provisionedPollers.maximum', p.maximum, 1, 2000);
    if (p.minimum !== undefined && p.maximum !== undefined && p.minimum > p.maximum) {
      throw new Error(`kafka.provisionedPollers: minimum (${p.minimum}) is above maximum (${p.maximum})`);
    }
  }
  const errorHandling = {
    retryAttempts: props.retryAttempts,
    bisectBatchOnError: props.bisectBatchOnError,
    maxRecordAge: props.maxRecordAge,
  };
  for (const [key, value] of Object.entries(errorHandling)) {
    if (value !== undefined && p === undefined) {
      throw new Error(
        `kafka.${key}: Lambda offers the Kafka error-handling controls in provisioned mode only; set kafka.provisionedPollers too`,
      );
    }
  }
  if (props.retryAttempts !== undefined && props.retryAttempts !== -1)
    intIn('kafka.retryAttempts', props.retryAttempts, 0, 10_000, '-1 (until the records expire) or');
  const age = props.maxRecordAge?.toSeconds();
  if (age !== undefined && age !== -1) intIn('kafka.maxRecordAge (seconds)', age, 60, 604_800, '-1 (no limit) or');
  const position = props.startingPosition ?? KAFKA_DEFAULTS.startingPosition;
  if (!['LATEST', 'TRIM_HORIZON', 'AT_TIMESTAMP'].includes(position))
    throw new Error(`kafka.startingPosition: LATEST, TRIM_HORIZON or AT_TIMESTAMP, got "${position}"`);
  if ((position === 'AT_TIMESTAMP') !== (props.startingPositionTimestamp !== undefined)) {
    throw new Error('kafka.startingPositionTimestamp: required with startingPosition AT_TIMESTAMP, and only then');
  }
}

function intIn(key: string, value: number | undefined, min: number, max: number, alternative = ''): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${key}: must be ${alternative} an integer from ${min} to ${max}, got ${value}`.replace('  ', ' '));
  }
}

export function validateConsumerGroupId(id: string): void {
  if (!Token.isUnresolved(id) && !CONSUMER_GROUP_ID.test(id))
    throw new Error(`kafka.consumerGroupId: 1 to 200 characters of [a-zA-Z0-9-/*:_+=.@], got "${id}"`);
}
