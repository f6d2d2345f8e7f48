// What a Flusher is built from (flusher-factory.ts wires them for the Lambda and local mode; tests
// build their own), and the one sending interface every sender in the flush path implements.

import type { GeneratorConfig } from '../config/types.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import type { SelfMonitor } from '../self-monitoring/monitor.ts';
import type { CollectedSeries } from '../series/collected.ts';
import type { Ddb } from '../store/ddb.ts';
import type { ObjectStore } from '../store/object-store.ts';
import type { SnapshotStoreOptions } from '../store/snapshot-store.ts';

/** Sends one tenant's series to every configured endpoint; never throws for HTTP/network failures. */
export interface SeriesSender {
  send(tenant: string, series: readonly CollectedSeries[], deadlineMs: number): Promise<void>;
  /**
   * The same send pulled piece by piece, each piece sent before the next is rendered, so a large
   * tenant's collection is never held whole (optional: senders without it get it in one piece).
   */
  sendChunks?(tenant: string, chunks: Iterable<readonly CollectedSeries[]>, deadlineMs: number): Promise<void>;
}

export interface FlusherDeps {
  readonly ddb: Ddb;
  readonly deltasTable: string;
  readonly seriesTable: string;
  readonly config: GeneratorConfig;
  readonly sender: SeriesSender;
  readonly log: Logger;
  readonly metrics: MetricsRecorder;
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Committed deltas read per partition per turn (default: fold-backlog's). */
  readonly sliceDeltas?: number;
  /** An independent clock to check `clock` against (the store's, see stamp-clock.ts); none: trust `clock`. */
  readonly referenceClock?: () => number | undefined;
  /** Tempo-named self-metrics, remote-written every collection (lib/self-monitoring). */
  readonly selfMonitor?: SelfMonitor;
  /** Least time between two saves (ms; default 0: every run that changed the state): persist-policy.ts. */
  readonly persistIntervalMs?: number;
  /** Where large saved state goes (S3 in AWS); none: DynamoDB items only. */
  readonly objects?: ObjectStore;
  /** Part sizes of the saved state (tests; defaults: lib/store/state-parts.ts). */
  readonly stateParts?: Pick<SnapshotStoreOptions, 'objectPartBytes' | 'inlineMaxBytes'>;
}
