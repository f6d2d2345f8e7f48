// `local` (what `npm start` runs): argument parsing, KAFKA_* settings, start-up banner and
// signal handling around lib/local.

import { parseArgs } from 'node:util';
import { ConfigError } from '../config/index.ts';
import { consoleLogger } from '../log/logger.ts';
import { mkdirSync, readFileSync } from 'node:fs';
import { createKafkaJsConsumer, skipStaleBacklog } from '../local/kafkajs-consumer.ts';
import { kafkaKeysOfConfigText, type KafkaConfigKeys } from '../local/kafka-config-keys.ts';
import { kafkaSettingsFromEnv, KafkaSettingsError, type KafkaSettings } from '../local/kafka-settings.ts';
import { startLocalMode } from '../local/local-mode.ts';
import { readEnv } from '../env/contract.ts';
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
        'data-dir': { type: 'string' },
      },
    }));
  } catch (e) {
    process.stderr.write(`local: ${(e as Error).message}\n`);
    return 2;
  }
  const port = Number(values.port);
  const partitions = Number(values.partitions);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    return usage(`--port must be a port number, got "${values.port}"`);
  if (!Number.isInteger(partitions) || partitions < 1)
    return usage(`--partitions must be a positive integer, got "${values.partitions}"`);
  if (values.demo && values['no-demo']) return usage('--demo and --no-demo contradict each other');
  if (values['data-dir'] !== undefined) {
    try {
      mkdirSync(values['data-dir'], { recursive: true });
    } catch (e) {
      return usage(`--data-dir ${values['data-dir']}: ${(e as Error).message}`);
    }
  }
  let kafka: KafkaSettings | undefined;
  try {
    kafka = kafkaSettingsFromEnv(process.env, values.config === undefined ? {} : kafkaKeysOfConfigFile(values.config));
  } catch (e) {
    if (e instanceof KafkaSettingsError) return usage(e.message);
    throw e;
  }
  if (kafka !== undefined && !kafka.leaveGroupOnShutdown && kafka.leaveGroupOnShutdownFrom !== undefined) {
    consoleLogger.warn(
      `${kafka.leaveGroupOnShutdownFrom}${kafka.leaveGroupOnShutdownFrom === 'KAFKA_LEAVE_GROUP_ON_SHUTDOWN' ? '=' : ': '}false cannot be honoured in local mode: kafkajs has no static membership and always leaves the consumer group when it stops, so the group rebalances at once rather than after the session timeout`,
    );
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
      dataDir: values['data-dir'],
      kafka: kafka && kafkaInput(kafka),
    });
  } catch (e) {
    if (e instanceof ConfigError) return usage(e.message);
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      return usage(`port ${port} is in use; pick another with --port`);
    if (kafka !== undefined && (e as Error).name?.startsWith('KafkaJS')) {
      process.stderr.write(
        `local: cannot consume KAFKA_TOPIC=${kafka.topic} from KAFKA_BROKERS=${kafka.brokers.join(',')}: ${(e as Error).message}\n`,
      );
      return 1;
    }
    throw e;
  }
  const base = `http://127.0.0.1:${local.port}`;
  const remoteWriteUrl = readEnv(process.env, 'REMOTE_WRITE_URL');
  console.log(`msk-metrics-generator local mode
  send traces (OTLP/HTTP, protobuf or JSON): ${base}/v1/traces
  current series (Prometheus text):          ${base}/metrics
  demo traffic: ${demo ? 'on (--no-demo to turn it off)' : 'off (--demo to turn it on)'}; remote write: ${remoteWriteUrl === undefined ? 'off (set REMOTE_WRITE_URL)' : redactUrl(remoteWriteUrl)}
  kafka: ${kafka === undefined ? 'off (set KAFKA_BROKERS, KAFKA_TOPIC, KAFKA_GROUP_ID to consume a topic)' : `consuming ${kafka.topic} from ${kafka.brokers.join(',')} as group ${kafka.groupId}`}
  state: ${values['data-dir'] === undefined ? 'in memory (lost at exit; --data-dir DIR keeps it)' : `kept in ${values['data-dir']}`}
  Ctrl-C stops after a final flush.`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log(
    `stopping: delivering queued records${kafka === undefined ? '' : ', committing Kafka offsets'} and flushing (Ctrl-C again to quit at once)...`,
  );
  // a second signal is the user's way out of a shutdown that waits too long
  const quit = () => process.exit(130);
  process.once('SIGINT', quit);
  process.once('SIGTERM', quit);
  await local.stop();
  console.log('stopped');
  // Work stop() gave up waiting for (a remote write to a hanging endpoint, a stalled fetch) must
  // not keep the process alive; an unref'd timer fires only if something else still does.
  setTimeout(() => process.exit(process.exitCode ?? 0), 500).unref();
  return 0;
}

function kafkaInput(settings: KafkaSettings) {
  return {
    // a factory, so that a consumer stopped by a crash is replaced by a fresh one
    consumer: () => createKafkaJsConsumer(settings, consoleLogger),
    topic: settings.topic,
    leaveGroupOnShutdown: settings.leaveGroupOnShutdown,
    beforeJoin: settings.skipStaleBacklogOnStartup
      ? (slackMs: number) => skipStaleBacklog(settings, consoleLogger, slackMs)
      : undefined,
  };
}

/** Tempo's consumer keys of the config file; an unreadable file is reported by the config loader. */
function kafkaKeysOfConfigFile(path: string): KafkaConfigKeys {
  try {
    return kafkaKeysOfConfigText(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

function usage(message: string): number {
  process.stderr.write(`local: ${message}\n`);
  return 2;
}
