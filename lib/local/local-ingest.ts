// Where local mode's ingest calls run: on a worker thread by default (ingest-thread.ts), or on the
// main thread. Both run the same ingest code against the same embedded DynamoDB.

import type { GeneratorConfig } from '../config/types.ts';
import { ingestContext, ingestPartitions } from '../ingest/ingest-handler.ts';
import type { PartitionRecords } from '../ingest/ingest-partition.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import type { Ddb } from '../store/ddb.ts';
import { corruptBatchSkipped, expandDeferredBatches } from './kafka-batch-records.ts';
import type { IngestWorkerInit } from './ingest-thread.ts';
import { defaultIngestThreads, IngestThreadPool } from './ingest-thread-pool.ts';

export interface LocalIngest {
  ingest(partitions: readonly PartitionRecords[]): Promise<unknown>;
  close(): Promise<void>;
}

export interface LocalIngestOptions {
  readonly onThread: boolean;
  /**
   * How many ingest threads (default: the cores beyond two, 1 to 4; see ingest-thread-pool.ts).
   */
  readonly threads?: number;
  /** For the worker, which loads the config itself. */
  readonly configSource: IngestWorkerInit['config'];
  readonly dynamoEndpoint: string;
  /** Rehearse ingest on demo traces once a thread started (a Kafka consumer: a backlog may be waiting). */
  readonly warmUp?: boolean;
  /** For the main thread. */
  readonly config: GeneratorConfig;
  readonly ddb: Ddb;
  readonly table: string;
  readonly log: Logger;
  readonly metrics: MetricsRecorder;
}

export async function startLocalIngest(opts: LocalIngestOptions): Promise<LocalIngest> {
  const { table, log, metrics } = opts;
  if (opts.onThread) {
    const pool = await IngestThreadPool.start(opts.threads ?? defaultIngestThreads(), {
      config: opts.configSource,
      dynamoEndpoint: opts.dynamoEndpoint,
      warmUp: opts.warmUp,
      table,
      log,
      metrics,
    });
    return { ingest: (partitions) => pool.ingest(partitions), close: () => pool.close() };
  }
  const ctx = ingestContext({ config: opts.config, ddb: opts.ddb, table, log, metrics });
  const onCorrupt = corruptBatchSkipped(log, metrics);
  return {
    ingest: (partitions) =>
      ingestPartitions(
        ctx,
        partitions.map((p) => expandDeferredBatches(p, onCorrupt)),
      ),
    close: async () => {},
  };
}
