// Builds the kafkajs consumer for local mode from KAFKA_* settings, with kafkajs's own log lines
// routed to local mode's logger (warnings and errors only: its info lines narrate every join).

import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Logger } from '../log/logger.ts';
import type { KafkaSettings } from './kafka-settings.ts';
import { registerKafkaCodecs } from './kafka-codecs.ts';
import { mskIamOauthBearerProvider } from './msk-iam.ts';
import { staleBacklogMoves } from './stale-backlog.ts';
import type { ConsumerCrash, KafkaConsumerSlice } from './kafka-source.ts';

export function kafkaJsConfig(settings: KafkaSettings, log: Logger): KafkaConfig {
  const base = {
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    ssl: settings.ssl,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      // our logger stamps its own lines; a stack per retried connection only buries the message
      const {
        message,
        timestamp: _t,
        logger: _l,
        stack: _s,
        ...fields
      } = entry.log as LogEntry['log'] & { logger?: unknown; stack?: unknown };
      const line = `kafkajs ${entry.namespace}: ${message}`;
      if (entry.level === logLevel.ERROR) log.error(line, fields);
      else log.warn(line, fields);
    },
  };
  if (settings.mskIam !== undefined)
    return {
      ...base,
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: mskIamOauthBearerProvider(settings.mskIam.region) },
    };
  if (settings.sasl === undefined) return base;
  const { mechanism, username, password } = settings.sasl;
  // one literal per mechanism: kafkajs's SASLOptions is a union discriminated by `mechanism`
  if (mechanism === 'plain') return { ...base, sasl: { mechanism, username, password } };
  if (mechanism === 'scram-sha-256') return { ...base, sasl: { mechanism, username, password } };
  return { ...base, sasl: { mechanism, username, password } };
}

export function createKafkaJsConsumer(settings: KafkaSettings, log: Logger): KafkaConsumerSlice {
  registerKafkaCodecs();
  const consumer = new Kafka(kafkaJsConfig(settings, log)).consumer({
    groupId: settings.groupId,
    sessionTimeout: settings.sessionTimeoutMs,
    heartbeatInterval: Math.min(3000, Math.floor(settings.sessionTimeoutMs / 3)),
    // A fetch with nothing new waits this long; shorter than Tempo's 5 s so that a quiet
    // partition on a broker delays neither the others' next fetch nor shutdown for long.
    maxWaitTimeInMs: 500,
    // Tempo: FetchMaxPartitionBytes 50 MB. Bigger fetches mean fewer round trips per span.
    maxBytesPerPartition: 10 * 1024 * 1024,
    maxBytes: 100 * 1024 * 1024,
  });
  return Object.assign(consumer, {
    onCrash(listener: (crash: ConsumerCrash) => void) {
      consumer.on(consumer.events.CRASH, (e) => listener({ error: e.payload.error, restart: e.payload.restart }));
    },
  });
}

/**
 * skip_stale_backlog_on_startup (see stale-backlog.ts), with kafkajs's admin client: committed
 * offsets, the offsets at `now - slackMs`, the partition ends, then one SetOffsets for the group
 * (accepted only while the group has no live member, i.e. before this process joins).
 */
export async function skipStaleBacklog(
  settings: KafkaSettings,
  log: Logger,
  slackMs: number,
  nowMs = Date.now(),
): Promise<void> {
  const admin = new Kafka(kafkaJsConfig(settings, log)).admin();
  const { topic, groupId } = settings;
  try {
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const firstRecent = await admin.fetchTopicOffsetsByTimestamp(topic, nowMs - slackMs);
    const ends = await admin.fetchTopicOffsets(topic);
    const moves = staleBacklogMoves(
      committed?.partitions ?? [],
      firstRecent,
      ends.map((e) => ({ partition: e.partition, offset: e.high })),
    );
    if (moves.length > 0) await admin.setOffsets({ groupId, topic, partitions: moves });
    log.info('skip_stale_backlog_on_startup: moved partitions past records older than the ingestion slack', {
      topic,
      groupId,
      slackMs,
      moved: moves.map((m) => `${m.partition}@${m.offset}`).join(' ') || 'none',
    });
  } catch (e) {
    log.warn('skip_stale_backlog_on_startup: offset lookup failed; consuming from the committed offsets', {
      topic,
      groupId,
      error: String(e),
    });
  } finally {
    await admin.disconnect().catch(() => {});
  }
}
