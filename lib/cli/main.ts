// Command-line entry: `replay` (conformance: OTLP-JSON in, Prometheus text out), `local`, `cost`
// (monthly estimate) and `help`.

import { runCost } from './cost-command.ts';
import { runLocal } from './local-command.ts';
import { runReplay } from './replay-command.ts';

const USAGE = `usage: msk-metrics-generator <command> [options]

commands:
  replay --config <file> [--tenant <id>] <traces.json | ->
      Run OTLP-JSON traces (one TracesData object, or JSON lines of them) through the
      processors of <tenant> (default: single-tenant) and print the final cumulative
      series in Prometheus text format, sorted, without timestamps.
  local [--config <file>] [--port 4318] [--no-demo | --demo] [--partitions 4]
      Run the whole pipeline on this machine (what \`npm start\` runs): embedded DynamoDB,
      OTLP/HTTP receiver on 127.0.0.1, demo traffic, /metrics, remote write to REMOTE_WRITE_URL,
      and a real Kafka topic when KAFKA_BROKERS is set (demo traffic then needs --demo).
  cost --spans-per-second N --label-sets N --partitions N [--batching-window 5] [--tenants 1]
       [--uniform] [--ingest-memory 1024] [--flush-memory 512]
      Print the monthly AWS estimate of a deployment item by item (DynamoDB writes and reads,
      both Lambdas, requests, schedule, CloudWatch) from the measured unit model.
  help
      Show this text.
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'replay':
      return runReplay(rest);
    case 'local':
      return runLocal(rest);
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
