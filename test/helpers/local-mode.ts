// Local mode as the tests run it: an ephemeral port, no demo traffic, one partition, short batches,
// silent, and an empty environment (so a developer's REMOTE_WRITE_URL or KAFKA_* never leaks in).
// Each test names only what it changes.
import { type LocalMode, type LocalModeOptions, startLocalMode } from '../../lib/local/local-mode.ts';
import { silentLogger } from '../../lib/log/logger.ts';

export function startTestLocalMode(options: Partial<LocalModeOptions> = {}): Promise<LocalMode> {
  return startLocalMode({
    port: 0,
    demo: false,
    partitions: 1,
    batchWindowMs: 100,
    topic: 'local',
    log: silentLogger,
    progress: () => {},
    env: {},
    ...options,
  });
}
