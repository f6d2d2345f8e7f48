// The common deployment from flat settings: `-c key=value` on the cdk command line and/or a JSON
// file named by `-c stackConfig=<file>`. Precedence: -c keys, then the file, then cdk.json's
// context, then the construct's defaults. Unknown keys are errors, so a typo never deploys a default.

import { readFileSync } from 'node:fs';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { KafkaAuth, KafkaSourceProps, StartingPositionName } from './kafka-props.ts';
import type { MetricsGeneratorStackProps } from './metrics-generator-stack.ts';
import { PERSIST_INTERVAL_RULE, validPersistInterval } from './metrics-generator.ts';
import { booleanFromText, integerFromText } from '../lib/env/text-values.ts';
import type { OnFailure } from './on-failure.ts';

type Kind = 'string' | 'list' | 'int' | 'bool';

/** Every setting, with its type; docs/deploy.md describes each. */
export const SETTINGS = {
  stackName: 'string',
  configFile: 'string',
  kafka: 'string',
  topic: 'string',
  mskClusterArn: 'string',
  bootstrapServers: 'list',
  kafkaAuth: 'string',
  kafkaSecretArn: 'string',
  kafkaSecretKmsKeyArn: 'string',
  rootCaSecretArn: 'string',
  vpcId: 'string',
  subnetIds: 'list',
  securityGroupId: 'string',
  consumerGroupId: 'string',
  startingPosition: 'string',
  startingPositionTimestamp: 'int',
  batchSize: 'int',
  maxBatchingWindowSeconds: 'int',
  minPollers: 'int',
  maxPollers: 'int',
  retryAttempts: 'int',
  bisectBatchOnError: 'bool',
  maxRecordAgeSeconds: 'int',
  onFailure: 'string',
  deltaTtlDays: 'int',
  persistIntervalSeconds: 'int',
  deltasMaxWriteUnits: 'int',
  deltasMaxReadUnits: 'int',
  seriesMaxWriteUnits: 'int',
  seriesMaxReadUnits: 'int',
  removalPolicy: 'string',
  remoteWriteSecretArn: 'string',
  remoteWriteSecretKmsKeyArn: 'string',
  ampWorkspaceArn: 'string',
  ingestMemoryMb: 'int',
  flushMemoryMb: 'int',
  logRetentionDays: 'int',
  alarmTopicArn: 'string',
  offsetLagAlarm: 'int',
  foldLagAlarmMinutes: 'int',
  writeUnitsAlarmPerSecond: 'int',
} as const satisfies Record<string, Kind>;

type Key = keyof typeof SETTINGS;
type Value<K extends Key> = (typeof SETTINGS)[K] extends 'list'
  ? string[]
  : (typeof SETTINGS)[K] extends 'int'
    ? number
    : (typeof SETTINGS)[K] extends 'bool'
      ? boolean
      : string;

export const DEFAULT_STACK_NAME = 'MskMetricsGenerator';
export const DEFAULT_CONFIG_FILE = 'config/metrics-generator.yaml';

export interface ContextSources {
  /** The app's context: cdk.json's `context` merged with `-c` keys. */
  readonly context: Readonly<Record<string, unknown>>;
  /** cdk.json's `context` alone, so a value that is only a cdk.json default does not hide the file's. */
  readonly cdkJsonContext?: Readonly<Record<string, unknown>>;
  readonly readFile?: (path: string) => string;
}

export interface StackSettings {
  readonly stackName: string;
  readonly props: MetricsGeneratorStackProps;
}

export function settingsFromContext(sources: ContextSources): StackSettings {
  const readFile = sources.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const defaults = sources.cdkJsonContext ?? {};
  const explicit: Record<string, unknown> = {};
  const fromCdkJson: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sources.context)) {
    if (k.includes(':') || k.includes('/')) continue; // the CDK's own context (feature flags, lookups)
    if (k !== 'stackConfig' && !(k in SETTINGS))
      throw new Error(`context key ${k}: unknown setting (see docs/deploy.md for the list)`);
    if (k in defaults && JSON.stringify(defaults[k]) === JSON.stringify(v)) fromCdkJson[k] = v;
    else explicit[k] = v;
  }
  let fileValues: Record<string, unknown> = {};
  const stackConfig = explicit.stackConfig ?? fromCdkJson.stackConfig;
  if (stackConfig !== undefined) fileValues = readSettingsFile(String(stackConfig), readFile);

  const get = <K extends Key>(key: K): Value<K> | undefined => {
    if (key in explicit) return convert(key, explicit[key], `context key ${key}`);
    if (key in fileValues) return convert(key, fileValues[key], `${key} (in ${String(stackConfig)})`);
    if (key in fromCdkJson) return convert(key, fromCdkJson[key], `context key ${key} (cdk.json)`);
    return undefined;
  };
  const required = <K extends Key>(key: K, why: string): Value<K> => {
    const v = get(key);
    if (v === undefined)
      throw new Error(`context key ${key}: required ${why} (-c ${key}=... or in the stackConfig file)`);
    return v;
  };
  const oneOf = <T extends string>(key: Key, value: string | undefined, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(value))
      throw new Error(`context key ${key}: one of ${allowed.join(', ')}, got "${value}"`);
    return value as T;
  };

  const kind = oneOf('kafka', get('kafka'), ['msk', 'self-managed'] as const);
  if (kind === undefined)
    throw new Error('context key kafka: required: msk or self-managed (-c kafka=msk or in the stackConfig file)');
  const pollers =
    get('minPollers') !== undefined || get('maxPollers') !== undefined
      ? { ...opt('minimum', get('minPollers')), ...opt('maximum', get('maxPollers')) }
      : undefined;
  const seconds = (n: number | undefined) => (n === undefined ? undefined : Duration.seconds(n));
  const common = {
    topic: required('topic', 'for every deployment'),
    ...opt('consumerGroupId', get('consumerGroupId')),
    ...opt(
      'startingPosition',
      oneOf<StartingPositionName>('startingPosition', get('startingPosition'), [
        'LATEST',
        'TRIM_HORIZON',
        'AT_TIMESTAMP',
      ]),
    ),
    ...opt('startingPositionTimestamp', get('startingPositionTimestamp')),
    ...opt('batchSize', get('batchSize')),
    ...opt('maxBatchingWindow', seconds(get('maxBatchingWindowSeconds'))),
    ...opt('provisionedPollers', pollers),
    ...opt('retryAttempts', get('retryAttempts')),
    ...opt('bisectBatchOnError', get('bisectBatchOnError')),
    ...opt('maxRecordAge', seconds(get('maxRecordAgeSeconds'))),
    ...opt('onFailure', onFailureOf(get('onFailure'))),
    ...opt('secretArn', get('kafkaSecretArn')),
    ...opt('secretKmsKeyArn', get('kafkaSecretKmsKeyArn')),
  };
  const auths: readonly KafkaAuth[] = ['iam', 'sasl-scram-512', 'sasl-scram-256', 'sasl-plain', 'mtls', 'none'];
  const auth = oneOf('kafkaAuth', get('kafkaAuth'), auths);
  let kafka: KafkaSourceProps;
  if (kind === 'msk') {
    for (const k of ['bootstrapServers', 'rootCaSecretArn', 'vpcId', 'subnetIds', 'securityGroupId'] as const) {
      if (get(k) !== undefined)
        throw new Error(
          `context key ${k}: only for kafka=self-managed (MSK finds its brokers and network from the cluster)`,
        );
    }
    kafka = {
      kind,
      ...common,
      clusterArn: required('mskClusterArn', 'with kafka=msk'),
      ...opt('auth', auth as Extract<KafkaAuth, 'iam' | 'sasl-scram-512' | 'mtls'>),
    };
  } else {
    if (get('mskClusterArn') !== undefined) throw new Error('context key mskClusterArn: only for kafka=msk');
    const vpcId = get('vpcId');
    const subnetIds = get('subnetIds');
    const securityGroupId = get('securityGroupId');
    const vpcParts = [vpcId, subnetIds, securityGroupId].filter((v) => v !== undefined).length;
    if (vpcParts !== 0 && vpcParts !== 3)
      throw new Error('context keys vpcId, subnetIds, securityGroupId: set all three or none');
    kafka = {
      kind,
      ...common,
      bootstrapServers: required('bootstrapServers', 'with kafka=self-managed'),
      ...opt('auth', auth as Exclude<KafkaAuth, 'iam'>),
      ...opt('rootCaSecretArn', get('rootCaSecretArn')),
      ...(vpcParts === 3 && { vpc: { vpcId: vpcId!, subnetIds: subnetIds!, securityGroupId: securityGroupId! } }),
    };
  }

  const removal = oneOf('removalPolicy', get('removalPolicy'), ['retain', 'destroy'] as const);
  const retention = get('logRetentionDays');
  if (retention !== undefined && !Object.values(RetentionDays).includes(retention)) {
    throw new Error(
      `context key logRetentionDays: one of CloudWatch Logs' retention periods (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ...), got ${retention}`,
    );
  }
  const capacity = (read: number | undefined, write: number | undefined) =>
    read === undefined && write === undefined
      ? undefined
      : { ...opt('maxReadRequestUnits', read), ...opt('maxWriteRequestUnits', write) };
  const deltas = capacity(get('deltasMaxReadUnits'), get('deltasMaxWriteUnits'));
  const series = capacity(get('seriesMaxReadUnits'), get('seriesMaxWriteUnits'));
  const remoteWrite = {
    ...opt('secretArn', get('remoteWriteSecretArn')),
    ...opt('secretKmsKeyArn', get('remoteWriteSecretKmsKeyArn')),
    ...opt('ampWorkspaceArn', get('ampWorkspaceArn')),
  };
  const foldLagMinutes = get('foldLagAlarmMinutes');
  const monitoring = {
    ...opt('alarmTopicArn', get('alarmTopicArn')),
    ...opt('offsetLag', get('offsetLagAlarm')),
    ...opt('foldLag', foldLagMinutes === undefined ? undefined : Duration.minutes(foldLagMinutes)),
    ...opt('writeUnitsPerSecond', get('writeUnitsAlarmPerSecond')),
  };

  const persistInterval = get('persistIntervalSeconds');
  if (persistInterval !== undefined && !validPersistInterval(persistInterval)) {
    throw new Error(`context key persistIntervalSeconds: ${PERSIST_INTERVAL_RULE}, got ${persistInterval}`);
  }

  const stackName = get('stackName') ?? DEFAULT_STACK_NAME;
  return {
    stackName,
    props: {
      stackName,
      configFile: get('configFile') ?? DEFAULT_CONFIG_FILE,
      kafka,
      ...opt('deltaTtlDays', get('deltaTtlDays')),
      ...opt('persistIntervalSeconds', persistInterval),
      ...((deltas !== undefined || series !== undefined) && {
        tables: { ...opt('deltas', deltas), ...opt('series', series) },
      }),
      ...opt(
        'removalPolicy',
        removal === undefined ? undefined : removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      ),
      ...(Object.keys(remoteWrite).length > 0 && { remoteWrite }),
      ...opt('ingestMemoryMb', get('ingestMemoryMb')),
      ...opt('flushMemoryMb', get('flushMemoryMb')),
      ...opt('logRetention', retention as RetentionDays | undefined),
      ...(Object.keys(monitoring).length > 0 && { monitoring }),
    },
  };
}

function readSettingsFile(path: string, readFile: (path: string) => string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch (e) {
    throw new Error(`stackConfig ${path}: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`stackConfig ${path}: must be a JSON object of settings`);
  for (const k of Object.keys(parsed)) {
    if (!(k in SETTINGS)) throw new Error(`${k} (in ${path}): unknown setting (see docs/deploy.md for the list)`);
  }
  return parsed as Record<string, unknown>;
}

/** Context values arrive as strings from -c and as JSON values from files and cdk.json. */
function convert<K extends Key>(key: K, raw: unknown, where: string): Value<K> {
  const kind: Kind = SETTINGS[key];
  const bad = (what: string): never => {
    throw new Error(`${where}: must be ${what}, got ${JSON.stringify(raw)}`);
  };
  switch (kind) {
    case 'string':
      if (typeof raw !== 'string' || raw === '') bad('a non-empty string');
      return raw as Value<K>;
    case 'list': {
      const items = Array.isArray(raw)
        ? raw
        : typeof raw === 'string'
          ? raw.split(',').map((s) => s.trim())
          : bad('a list (JSON array or comma-separated)');
      if (items.length === 0 || items.some((s) => typeof s !== 'string' || s === ''))
        bad('a list of non-empty strings');
      return items as Value<K>;
    }
    case 'int':
      if (typeof raw === 'string') return integerFromText(where, raw) as Value<K>;
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw)) bad('an integer');
      return raw as Value<K>;
    case 'bool':
      if (typeof raw === 'string') return booleanFromText(where, raw) as Value<K>;
      if (typeof raw !== 'boolean') bad('true or false');
      return raw as Value<K>;
  }
}

function onFailureOf(value: string | undefined): OnFailure | undefined {
  if (value === undefined || value === 'sqs' || value === 's3') return value;
  if (value.startsWith('arn:') && value.split(':')[2] === 'sqs') return { queueArn: value };
  if (value.startsWith('arn:') && value.split(':')[2] === 's3') return { bucketArn: value };
  throw new Error(`context key onFailure: sqs, s3, or the ARN of an existing SQS queue or S3 bucket, got "${value}"`);
}

/** `{ key: value }` when the value is set, `{}` otherwise (exactOptionalPropertyTypes-friendly spreading). */
function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
