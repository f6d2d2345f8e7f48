// The environment contract of the two Lambda functions: every variable their code reads, its type,
// default and check, which function reads it, and which ones the stack sets. infra/ sets the
// variables through deployedEnvironment (so a name or a value the functions would refuse fails the
// synth), lib/ reads them through readEnv (so a bad value fails the start naming the variable).
// README "Environment variables" documents each one.

import { integerFromText, positiveNumberFromText, SettingError } from './text-values.ts';

export type FunctionName = 'ingest' | 'flush';

export const DEFAULT_DELTA_TTL_DAYS = 7;
/** Default least time between saves in AWS: see docs/deploy.md for the trade-off. */
export const DEFAULT_PERSIST_INTERVAL_SECONDS = 300;
/** Upper bound: a container taking over refolds up to one interval of deltas before it first sends. */
export const MAX_PERSIST_INTERVAL_SECONDS = 1800;

interface Variable<T> {
  /** Functions whose code reads the variable. */
  readonly readBy: readonly FunctionName[];
  /** Functions the stack sets it on; the others read it only when an operator (or a test) sets it. */
  readonly deployedOn: readonly FunctionName[];
  /** Unset (or empty) is an error at start. */
  readonly required?: true;
  readonly defaultValue?: T;
  /** The value from its text; throws a SettingError naming the variable. */
  readonly parse: (text: string, name: string) => T;
  /** What the variable is for (README "Environment variables" says the same). */
  readonly description: string;
}

const text = (t: string): string => t;
const BOTH = ['ingest', 'flush'] as const;

/** Keeps the literal types (which functions, required or not) for the typed readers and setters. */
function variable<T, const V extends Variable<T>>(v: V & Variable<T>): V {
  return v;
}

export const ENVIRONMENT = {
  DELTAS_TABLE: variable({
    readBy: BOTH,
    deployedOn: BOTH,
    required: true,
    parse: text,
    description: 'the DynamoDB table of deltas and commit cursors',
  }),
  SERIES_TABLE: variable({
    readBy: ['flush'],
    deployedOn: ['flush'],
    required: true,
    parse: text,
    description: "the DynamoDB table of the flusher's saved state",
  }),
  DELTA_TTL_DAYS: variable({
    readBy: ['ingest'],
    deployedOn: ['ingest'],
    defaultValue: DEFAULT_DELTA_TTL_DAYS,
    parse: (t, name) => positiveNumberFromText(name, t, 'a positive number of days'),
    description: 'lifetime of delta items',
  }),
  PERSIST_INTERVAL_SECONDS: variable({
    readBy: ['flush'],
    deployedOn: ['flush'],
    defaultValue: DEFAULT_PERSIST_INTERVAL_SECONDS,
    parse: (t, name) =>
      integerFromText(name, t, { min: 0, max: MAX_PERSIST_INTERVAL_SECONDS, what: 'a whole number of seconds' }),
    description: "least time between two saves of the flusher's state",
  }),
  CONFIG_BUCKET: variable({
    readBy: BOTH,
    deployedOn: BOTH,
    parse: text,
    description: 'S3 bucket of the config object (with CONFIG_KEY)',
  }),
  CONFIG_KEY: variable({
    readBy: BOTH,
    deployedOn: BOTH,
    parse: text,
    description: 'key of the config object in CONFIG_BUCKET',
  }),
  CONFIG: variable({ readBy: BOTH, deployedOn: [], parse: text, description: 'the config as inline YAML or JSON' }),
  CONFIG_PARAMETER: variable({
    readBy: BOTH,
    deployedOn: [],
    parse: text,
    description: 'name of an SSM parameter holding the config',
  }),
  CONFIG_FILE: variable({ readBy: BOTH, deployedOn: [], parse: text, description: 'path of a config file' }),
  CONFIG_EXPAND_ENV: variable({
    readBy: BOTH,
    deployedOn: [],
    defaultValue: false,
    // Tempo's -config.expand-env: `true` or `1` turns it on, anything else leaves it off
    parse: (t) => ['true', '1'].includes(t.trim().toLowerCase()),
    description: 'expand environment variable references in the config text',
  }),
  DATA_BUCKET: variable({
    readBy: BOTH,
    deployedOn: BOTH,
    parse: text,
    description: 'S3 bucket for large deltas and saved state (claim check); unset, everything stays in DynamoDB',
  }),
  REMOTE_WRITE_SECRET_ARN: variable({
    readBy: ['flush'],
    deployedOn: ['flush'],
    parse: text,
    description: 'Secrets Manager secret that `secretsmanager:<key>` references read from',
  }),
  REMOTE_WRITE_URL: variable({
    readBy: ['flush'],
    deployedOn: [],
    parse: text,
    description: 'one more remote-write endpoint without credentials (local set-ups)',
  }),
  DYNAMODB_ENDPOINT: variable({
    readBy: BOTH,
    deployedOn: [],
    parse: text,
    description: 'a DynamoDB-compatible endpoint with dummy credentials (local mode and tests only)',
  }),
  S3_ENDPOINT: variable({
    readBy: BOTH,
    deployedOn: [],
    parse: text,
    description: 'an S3-compatible endpoint for DATA_BUCKET (local testing only)',
  }),
  NODE_OPTIONS: variable({
    readBy: [],
    deployedOn: BOTH,
    parse: text,
    description: "Node's own options: the stack turns on source maps for stack traces",
  }),
} as const;

export type VariableName = keyof typeof ENVIRONMENT;
type ValueOf<N extends VariableName> = ReturnType<(typeof ENVIRONMENT)[N]['parse']>;
/** Required variables and those with a default always have a value; the others may be unset. */
export type EnvValue<N extends VariableName> = (typeof ENVIRONMENT)[N] extends { required: true }
  ? ValueOf<N>
  : (typeof ENVIRONMENT)[N] extends { defaultValue: unknown }
    ? ValueOf<N>
    : ValueOf<N> | undefined;

export type Env = Readonly<Record<string, string | undefined>>;

/** The variable's value: its default when unset or empty; throws a SettingError naming it when it is bad or missing. */
export function readEnv<N extends VariableName>(env: Env, name: N): EnvValue<N> {
  const spec = ENVIRONMENT[name] as Variable<unknown>;
  const raw = env[name];
  if (raw === undefined || raw === '') {
    if (spec.required) throw new SettingError(name, `must be set: ${spec.description}`);
    return spec.defaultValue as EnvValue<N>;
  }
  return spec.parse(raw, name) as EnvValue<N>;
}

/** The variables the stack sets on a function. */
export function deployedVariables(fn: FunctionName): VariableName[] {
  return (Object.keys(ENVIRONMENT) as VariableName[]).filter((n) =>
    (ENVIRONMENT[n].deployedOn as readonly FunctionName[]).includes(fn),
  );
}

type DeployedOn<F extends FunctionName> = {
  [N in VariableName]: F extends (typeof ENVIRONMENT)[N]['deployedOn'][number] ? N : never;
}[VariableName];

/**
 * The environment of one function as the stack sets it. Values may be CDK tokens (table names,
 * bucket names), which are passed through; literal values are checked as the function will read
 * them, so a value it would refuse fails the synth instead of the first invocation.
 */
export function deployedEnvironment<F extends FunctionName>(
  fn: F,
  values: Readonly<Partial<Record<DeployedOn<F>, string | number>>>,
  isToken: (value: string) => boolean = () => false,
): Record<string, string> {
  const out: Record<string, string> = {};
  const given = values as Readonly<Record<string, string | number | undefined>>;
  for (const name of deployedVariables(fn)) {
    const v = given[name];
    const spec = ENVIRONMENT[name] as Variable<unknown>;
    if (v === undefined) {
      if (spec.required) throw new SettingError(name, `is required on the ${fn} function`);
      continue;
    }
    const s = String(v);
    if (!isToken(s)) spec.parse(s, name);
    out[name] = s;
  }
  for (const name of Object.keys(given)) {
    if (!deployedVariables(fn).includes(name as VariableName))
      throw new SettingError(name, `is not a variable the ${fn} function reads`);
  }
  return out;
}
