// Command-line entry: `replay` (conformance: OTLP-JSON in, Prometheus text out), `local`,
// `overrides` (validate / push the runtime overrides file), `cost` (monthly estimate) and `help`.

import { EXPAND_ENV_VARIABLE } from '../config/expand-env.ts';
import { runCost } from './cost-command.ts';
import { runLocal } from './local-command.ts';
import { runOverrides } from './overrides-command.ts';
import { runReplay } from './replay-command.ts';

const USAGE = `usage: msk-metrics-generator <command> [options]

commands:
  replay --config <file> [--tenant <id>] <traces.json | ->
      Run OTLP-JSON traces (one TracesData object, or JSON lines of them) through the
      processors of <tenant> (default: single-tenant) and print the final cumulative
      series in Prometheus text format, sorted, without timestamps.
  local [--config <file>] [--port 4318] [--no-demo | --demo] [--partitions 4] [--data-dir <dir>]
      Run the whole pipeline on this machine (what \`npm start\` runs): embedded DynamoDB
      (in memory, or kept in --data-dir DIR),
      OTLP/HTTP receiver on 127.0.0.1, demo traffic, /metrics, remote write to REMOTE_WRITE_URL,
      and a real Kafka topic when KAFKA_BROKERS is set (demo traffic then needs --demo).
  overrides validate FILE [--config MAIN]
      Check a runtime overrides file (Tempo's per_tenant_override_config format) with the
      functions' loader, against MAIN's global settings; errors name the key path; exit 1 on error.
  overrides push FILE (--stack NAME | --bucket B --key K) [--region R] [--endpoint URL]
      Validate FILE against the deployed main config, then upload it to the stack's config
      bucket; both functions use it within per_tenant_override_period.
  cost --spans-per-second N --label-sets N --partitions N [--batching-window 5] [--tenants 1]
       [--uniform] [--ingest-memory 1024] [--flush-memory 512] [--delta-ttl-days 7] [--inline-deltas]
      Print the monthly AWS estimate of a deployment item by item (DynamoDB writes and reads,
      S3 requests and storage of the deltas, both Lambdas, requests, schedule, CloudWatch) from
      the measured unit model; --inline-deltas prices a deployment without the data bucket.
  help
      Show this text.

options for every command:
  --config.expand-env
      Expand \${VAR} and \${VAR:-default} in the config file before parsing (as Tempo's
      -config.expand-env; same as CONFIG_EXPAND_ENV=true).
`;

/**
 * `--config.expand-env` (also `-config.expand-env`, `=true`/`=false`), accepted by every command
 * as Tempo accepts it: sets CONFIG_EXPAND_ENV, which the config loader reads.
 */
function takeExpandEnvFlag(argv: string[], env: NodeJS.ProcessEnv): string[] {
  return argv.filter((arg) => {
    const m = /^--?config\.expand-env(?:=(true|false))?$/.exec(arg);
    if (m === null) return true;
    env[EXPAND_ENV_VARIABLE] = m[1] ?? 'true';
    return false;
  });
}

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = takeExpandEnvFlag(argv, env);
  switch (command) {
    case 'replay':
      return runReplay(rest);
    case 'local':
      return runLocal(rest);
    case 'overrides':
      return runOverrides(rest);
    case 'cost':
      return runCost(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}
