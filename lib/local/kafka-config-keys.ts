// Tempo's Kafka-consumer keys of the config file that local mode honours with its own consumer:
// `metrics_generator.skip_stale_backlog_on_startup` and
// `metrics_generator.leave_consumer_group_on_shutdown`. The config loader accepts both and leaves
// them out of the generator config (in the deployed stack the event source mapping owns the group
// and the offsets), so local mode reads them from the text itself; KAFKA_* variables override them
// (kafka-settings.ts). A value that is not a boolean is the config loader's to refuse.

import { parse } from 'yaml';
import { expandConfigText } from '../config/expand-env.ts';

export interface KafkaConfigKeys {
  readonly skipStaleBacklogOnStartup?: boolean;
  readonly leaveGroupOnShutdown?: boolean;
}

export function kafkaKeysOfConfigText(text: string, env: NodeJS.ProcessEnv = process.env): KafkaConfigKeys {
  let root: unknown;
  try {
    root = parse(expandConfigText(text, env));
  } catch {
    return {}; // the config loader reports what is wrong with the file
  }
  const block = isRecord(root) ? root.metrics_generator : undefined;
  if (!isRecord(block)) return {};
  const keys: { skipStaleBacklogOnStartup?: boolean; leaveGroupOnShutdown?: boolean } = {};
  if (typeof block.skip_stale_backlog_on_startup === 'boolean')
    keys.skipStaleBacklogOnStartup = block.skip_stale_backlog_on_startup;
  if (typeof block.leave_consumer_group_on_shutdown === 'boolean')
    keys.leaveGroupOnShutdown = block.leave_consumer_group_on_shutdown;
  return keys;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
