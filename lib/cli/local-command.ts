// `local` (what `npm start` runs): argument parsing, start-up banner and signal handling around
// lib/local.

import { parseArgs } from 'node:util';
import { ConfigError } from '../config/index.ts';
import { consoleLogger } from '../log/logger.ts';
import { startLocalMode } from '../local/local-mode.ts';

export async function runLocal(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', default: '4318' },
        'no-demo': { type: 'boolean', default: false },
        partitions: { type: 'string', default: '4' },
      },
    }));
  } catch (e) {
    process.stderr.write(`local: ${(e as Error).message}\n`);
    return 2;
  }
  const port = Number(values.port);
  const partitions = Number(values.partitions);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return usage(`--port must be a port number, got "${values.port}"`);
  if (!Number.isInteger(partitions) || partitions < 1) return usage(`--partitions must be a positive integer, got "${values.partitions}"`);
  let local;
  try {
    local = await startLocalMode({
      port,
      configFile: values.config,
      demo: !values['no-demo'],
      partitions,
      batchWindowMs: 1000,
      topic: 'local-traces',
      log: consoleLogger,
    });
  } catch (e) {
    if (e instanceof ConfigError) return usage(e.message);
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') return usage(`port ${port} is in use; pick another with --port`);
    throw e;
  }
  const base = `http://127.0.0.1:${local.port}`;
  console.log(`msk-metrics-generator local mode
  send traces (OTLP/HTTP, protobuf or JSON): ${base}/v1/traces
  current series (Prometheus text):          ${base}/metrics
  demo traffic: ${values['no-demo'] ? 'off' : 'on (--no-demo to turn it off)'}; remote write: ${process.env.REMOTE_WRITE_URL ? process.env.REMOTE_WRITE_URL : 'off (set REMOTE_WRITE_URL)'}
  Ctrl-C stops after a final flush.`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('stopping: delivering queued records and flushing...');
  await local.stop();
  console.log('stopped');
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`local: ${message}\n`);
  return 2;
}
