// `local` (what `npm start` runs): argument parsing, KAFKA_* settings, start-up banner and
// signal handling around lib/local.

import { parseArgs } from 'node:util';
import { ConfigError } from '../config/index.ts';
import { consoleLogger } from '../log/logger.ts';
import { createKafkaJsConsumer } from '../local/kafkajs-consumer.ts';
import { kafkaSettingsFromEnv, KafkaSettingsError, type KafkaSettings } from '../local/kafka-settings.ts';
import { startLocalMode } from '../local/local-mode.ts';
import { redactUrl } from '../remote-write/redact.ts';

export async function runLocal(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string', short: 'c' },
        port: { type: 'string', default: '4318' },
        demo: { type: 'boolean', default: false },
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
  if (values.demo && values['no-demo']) return usage('--demo and --no-demo contradict each other');
  let kafka: KafkaSettings | undefined;
  try {
    kafka = kafkaSettingsFromEnv(process.env);
  } catch (e) {
    if (e instanceof KafkaSettingsError) return usage(e.message);
    throw e;
  }
  // With a real topic the demo shop would mix made-up services into real ones: opt in with --demo.
  const demo = values.demo || (kafka === undefined && !values['no-demo']);
  let local;
  try {
    local = await startLocalMode({
      port,
      configFile: values.config,
      demo,
      partitions,
      batchWindowMs: 1000,
      topic: 'local-traces',
      log: consoleLogger,
      kafka: kafka && { consumer: createKafkaJsConsumer(kafka, consoleLogger), topic: kafka.topic, leaveGroupOnShutdown: kafka.leaveGroupOnShutdown },
    });
  } catch (e) {
    if (e instanceof ConfigError) return usage(e.message);
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') return usage(`port ${port} is in use; pick another with --port`);
    if (kafka !== undefined && (e as Error).name?.startsWith('KafkaJS')) {
      process.stderr.write(`local: cannot consume KAFKA_TOPIC=${kafka.topic} from KAFKA_BROKERS=${kafka.brokers.join(',')}: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
  const base = `http://127.0.0.1:${local.port}`;
  console.log(`msk-metrics-generator local mode
  send traces (OTLP/HTTP, protobuf or JSON): ${base}/v1/traces
  current series (Prometheus text):          ${base}/metrics
  demo traffic: ${demo ? 'on (--no-demo to turn it off)' : 'off (--demo to turn it on)'}; remote write: ${process.env.REMOTE_WRITE_URL ? redactUrl(process.env.REMOTE_WRITE_URL) : 'off (set REMOTE_WRITE_URL)'}
  kafka: ${kafka === undefined ? 'off (set KAFKA_BROKERS, KAFKA_TOPIC, KAFKA_GROUP_ID to consume a topic)' : `consuming ${kafka.topic} from ${kafka.brokers.join(',')} as group ${kafka.groupId}`}
  Ctrl-C stops after a final flush.`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log(`stopping: delivering queued records and flushing${kafka === undefined ? '' : ', then committing Kafka offsets and disconnecting'}...`);
  await local.stop();
  console.log('stopped');
  return 0;
}

function usage(message: string): number {
  process.stderr.write(`local: ${message}\n`);
  return 2;
}
