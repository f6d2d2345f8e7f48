// Local mode's optional real-Kafka input, read from KAFKA_* environment variables. From the config
// file only Tempo's two consumer keys come (kafka-config-keys.ts), and a variable overrides them:
// Tempo's Kafka client settings live in its `ingest:` block, which this project does not read, and
// the deployed stack takes them from the event source mapping instead.

import { booleanFromText, integerFromText, SettingError } from '../env/text-values.ts';
import type { KafkaConfigKeys } from './kafka-config-keys.ts';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaSettings {
  readonly brokers: readonly string[];
  readonly topic: string;
  readonly groupId: string;
  readonly clientId: string;
  readonly ssl: boolean;
  readonly sasl?: { readonly mechanism: SaslMechanism; readonly username: string; readonly password: string };
  /** MSK IAM (KAFKA_SASL_MECHANISM=aws-msk-iam): SASL/OAUTHBEARER tokens signed for this region. */
  readonly mskIam?: { readonly region: string };
  /**
   * Tempo's `leave_consumer_group_on_shutdown` (default false): KAFKA_LEAVE_GROUP_ON_SHUTDOWN, else
   * the config file's `metrics_generator.leave_consumer_group_on_shutdown`.
   */
  readonly leaveGroupOnShutdown: boolean;
  /** Who chose leaveGroupOnShutdown (the variable or the config key); undefined for the default. */
  readonly leaveGroupOnShutdownFrom?:
    | 'KAFKA_LEAVE_GROUP_ON_SHUTDOWN'
    | 'metrics_generator.leave_consumer_group_on_shutdown';
  /**
   * Tempo's `skip_stale_backlog_on_startup` (default false): KAFKA_SKIP_STALE_BACKLOG_ON_STARTUP,
   * else the config file's `metrics_generator.skip_stale_backlog_on_startup`.
   */
  readonly skipStaleBacklogOnStartup: boolean;
  /** Consumer-group session timeout (KAFKA_SESSION_TIMEOUT_MS); how long a crashed member holds its partitions. */
  readonly sessionTimeoutMs: number;
}

export class KafkaSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KafkaSettingsError';
  }
}

export const DEFAULT_KAFKA_CLIENT_ID = 'msk-metrics-generator-local';
const SASL_MECHANISMS: readonly SaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];
const KAFKA_VARIABLES = [
  'KAFKA_TOPIC',
  'KAFKA_GROUP_ID',
  'KAFKA_CLIENT_ID',
  'KAFKA_SSL',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
  'KAFKA_LEAVE_GROUP_ON_SHUTDOWN',
  'KAFKA_SKIP_STALE_BACKLOG_ON_STARTUP',
  'KAFKA_SESSION_TIMEOUT_MS',
  'KAFKA_AWS_REGION',
] as const;
export const DEFAULT_SESSION_TIMEOUT_MS = 30_000;

/** undefined when KAFKA_BROKERS is unset or empty: local mode then reads only its own receiver. */
export function kafkaSettingsFromEnv(
  env: NodeJS.ProcessEnv,
  fromConfig: KafkaConfigKeys = {},
): KafkaSettings | undefined {
  try {
    return readKafkaSettings(env, fromConfig);
  } catch (e) {
    // the shared converters name the variable; local mode's CLI reports these as usage errors
    if (e instanceof SettingError) throw new KafkaSettingsError(e.message);
    throw e;
  }
}

function readKafkaSettings(env: NodeJS.ProcessEnv, fromConfig: KafkaConfigKeys): KafkaSettings | undefined {
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const brokersVar = get('KAFKA_BROKERS');
  if (brokersVar === undefined) {
    const stray = KAFKA_VARIABLES.filter((v) => get(v) !== undefined);
    // Probably a typo or a forgotten variable: consuming nothing silently would hide it.
    if (stray.length > 0)
      throw new KafkaSettingsError(
        `${stray.join(', ')} set but KAFKA_BROKERS is not: set KAFKA_BROKERS (host:port[,host:port...]) to consume a Kafka topic`,
      );
    return undefined;
  }
  const brokers = brokersVar.split(',').map((b) => b.trim());
  for (const b of brokers) {
    if (!/^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):\d{1,5}$/.test(b))
      throw new KafkaSettingsError(`KAFKA_BROKERS: "${b}" is not host:port (use a comma-separated list of host:port)`);
  }
  const required = (name: string, why: string): string => {
    const v = get(name);
    if (v === undefined) throw new KafkaSettingsError(`${name} is required with KAFKA_BROKERS: ${why}`);
    return v;
  };
  const topic = required('KAFKA_TOPIC', 'the topic that holds the trace records');
  // No default group: joining someone else's group (Tempo's own is "metrics-generator") would take
  // its partitions away and commit its offsets.
  const groupId = required('KAFKA_GROUP_ID', 'the consumer group whose committed offsets local mode resumes from');
  const mechanism = get('KAFKA_SASL_MECHANISM')?.toLowerCase();
  let sasl: KafkaSettings['sasl'];
  let mskIam: KafkaSettings['mskIam'];
  if (mechanism === 'aws-msk-iam') {
    const orphan = ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'].filter((v) => get(v) !== undefined);
    if (orphan.length > 0)
      throw new KafkaSettingsError(
        `${orphan.join(', ')} set with KAFKA_SASL_MECHANISM=aws-msk-iam, which signs with AWS credentials (the default chain: environment, profile, instance role) instead`,
      );
    const region = get('KAFKA_AWS_REGION') ?? get('AWS_REGION') ?? get('AWS_DEFAULT_REGION');
    if (region === undefined)
      throw new KafkaSettingsError(
        "KAFKA_SASL_MECHANISM=aws-msk-iam needs the cluster's region: set KAFKA_AWS_REGION (or AWS_REGION)",
      );
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
      throw new KafkaSettingsError(`KAFKA_AWS_REGION: "${region}" is not an AWS region name`);
    mskIam = { region };
  } else if (mechanism !== undefined) {
    if (!SASL_MECHANISMS.includes(mechanism as SaslMechanism))
      throw new KafkaSettingsError(
        `KAFKA_SASL_MECHANISM: "${mechanism}" is not one of ${[...SASL_MECHANISMS, 'aws-msk-iam'].join(', ')}`,
      );
    sasl = {
      mechanism: mechanism as SaslMechanism,
      username: required('KAFKA_SASL_USERNAME', `KAFKA_SASL_MECHANISM=${mechanism} needs a user name`),
      // not trimmed: a password may legitimately start or end with spaces
      password:
        env.KAFKA_SASL_PASSWORD ||
        required('KAFKA_SASL_PASSWORD', `KAFKA_SASL_MECHANISM=${mechanism} needs a password`),
    };
  } else {
    const orphan = ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'].filter((v) => get(v) !== undefined);
    if (orphan.length > 0)
      throw new KafkaSettingsError(
        `${orphan.join(', ')} set but KAFKA_SASL_MECHANISM is not (plain, scram-sha-256 or scram-sha-512)`,
      );
  }
  return {
    brokers,
    topic,
    groupId,
    clientId: get('KAFKA_CLIENT_ID') ?? DEFAULT_KAFKA_CLIENT_ID,
    // MSK's IAM listener (port 9098) is TLS only
    ssl: boolVar(env, 'KAFKA_SSL', mskIam !== undefined),
    sasl,
    mskIam,
    leaveGroupOnShutdown: boolVar(env, 'KAFKA_LEAVE_GROUP_ON_SHUTDOWN', fromConfig.leaveGroupOnShutdown ?? false),
    ...(get('KAFKA_LEAVE_GROUP_ON_SHUTDOWN') !== undefined
      ? { leaveGroupOnShutdownFrom: 'KAFKA_LEAVE_GROUP_ON_SHUTDOWN' as const }
      : fromConfig.leaveGroupOnShutdown !== undefined
        ? { leaveGroupOnShutdownFrom: 'metrics_generator.leave_consumer_group_on_shutdown' as const }
        : {}),
    skipStaleBacklogOnStartup: boolVar(
      env,
      'KAFKA_SKIP_STALE_BACKLOG_ON_STARTUP',
      fromConfig.skipStaleBacklogOnStartup ?? false,
    ),
    sessionTimeoutMs: intVar(env, 'KAFKA_SESSION_TIMEOUT_MS', DEFAULT_SESSION_TIMEOUT_MS, 6000, 3_600_000),
  };
}

function boolVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const v = env[name];
  return v === undefined || v.trim() === '' ? fallback : booleanFromText(name, v);
}

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const v = env[name];
  if (v === undefined || v.trim() === '') return fallback;
  return integerFromText(name, v, { min, max, what: 'a whole number of milliseconds' });
}
