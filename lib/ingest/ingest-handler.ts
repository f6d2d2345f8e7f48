// Everything the ingest Lambda does besides parsing its event: build the context once per
// container, ingest every partition of the event in parallel, publish operational metrics.
// Bad records never fail the batch (they are counted inside the delta); anything thrown from here
// is a transient or unexpected fault and makes the event source retry the batch, which the
// cursor makes safe.

import { randomBytes } from 'node:crypto';
import { configSourceFromEnv, type ConfigClients } from '../config/from-env.ts';
import { DEFAULT_DELTA_TTL_DAYS, readEnv } from '../env/contract.ts';
import { reportRefusedConfig, type ConfigSource } from '../config/config-source.ts';
import { containerContext } from '../config/container-context.ts';
import type { GeneratorConfig } from '../config/types.ts';
import { consoleLogger, type Logger } from '../log/logger.ts';
import { MetricsRecorder } from '../metrics/recorder.ts';
import { ddbMetricsObserver } from '../metrics/ddb-metrics.ts';
import { createDynamoClient, meteredDdb, sdkDdb, type Ddb } from '../store/ddb.ts';
import type { ObjectStore } from '../store/object-store.ts';
import { objectStoreFromEnv } from '../store/s3-object-store.ts';
import {
  ingestPartition,
  type IngestContext,
  type PartitionRecords,
  type PartitionResult,
} from './ingest-partition.ts';
import { partitionsOf, type KafkaEvent } from './msk-event.ts';

export interface IngestDependencies {
  readonly config: GeneratorConfig;
  readonly ddb: Ddb;
  readonly table: string;
  readonly log?: Logger;
  readonly metrics?: MetricsRecorder;
  readonly deltaTtlSeconds?: number;
  readonly nowMs?: () => number;
  readonly newAttemptId?: () => string;
  /** Large deltas go here (claim check); none: every delta stays inline. */
  readonly objects?: ObjectStore;
  readonly objectThresholdBytes?: number;
}

/** Wraps the raw client so every call is metered (write/read units) and transient faults are retried. */
export function ingestContext(deps: IngestDependencies): IngestContext {
  const metrics = deps.metrics ?? new MetricsRecorder();
  const ddb = meteredDdb(deps.ddb, ddbMetricsObserver(metrics));
  return {
    ddb,
    table: deps.table,
    config: deps.config,
    log: deps.log ?? consoleLogger,
    metrics,
    nowMs: deps.nowMs ?? Date.now,
    newAttemptId: deps.newAttemptId ?? (() => randomBytes(8).toString('hex')),
    deltaTtlSeconds: deps.deltaTtlSeconds ?? DEFAULT_DELTA_TTL_DAYS * 86400,
    ...(deps.objects !== undefined && { objects: deps.objects }),
    ...(deps.objectThresholdBytes !== undefined && { objectThresholdBytes: deps.objectThresholdBytes }),
  };
}

export async function ingestEvent(ctx: IngestContext, event: KafkaEvent): Promise<PartitionResult[]> {
  return ingestPartitions(ctx, partitionsOf(event));
}

/** The same for records already grouped per partition (local mode hands kafkajs's bytes over as they are). */
export async function ingestPartitions(
  ctx: IngestContext,
  partitions: readonly PartitionRecords[],
): Promise<PartitionResult[]> {
  // Partitions are independent (own cursor, own delta chain): run them concurrently.
  const settled = await Promise.allSettled(partitions.map((p) => ingestPartition(ctx, p)));
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed.length > 0) {
    for (const f of failed)
      ctx.log.error('partition ingest failed; the batch will be retried', { error: String(f.reason) });
    throw failed[0].reason;
  }
  return settled.map((s) => (s as PromiseFulfilledResult<PartitionResult>).value);
}

/** Per-container state of the Lambda: config and clients are built on the first invocation. */
let cached: (() => Promise<IngestContext>) | undefined;

export function lambdaIngestContext(
  env: NodeJS.ProcessEnv = process.env,
  log: Logger = consoleLogger,
): Promise<IngestContext> {
  cached ??= lambdaIngestContainer(env, {}, log);
  return cached();
}

/**
 * Gives the context for each invocation: built once, its config re-read from the config source
 * when due (between batches, never during one). A change of process-level settings rebuilds the
 * context as a cold start would.
 */
export function lambdaIngestContainer(
  env: NodeJS.ProcessEnv,
  clients: ConfigClients & { readonly ddb?: Ddb; readonly objects?: ObjectStore } = {},
  log: Logger = consoleLogger,
): () => Promise<IngestContext> {
  const build = async (): Promise<{ ctx: IngestContext; source: ConfigSource }> => {
    const table = readEnv(env, 'DELTAS_TABLE');
    const metrics = new MetricsRecorder();
    const source = await configSourceFromEnv(env, clients, {
      onRefused: reportRefusedConfig(log, (m) => metrics.add(m, 1)),
    });
    const ttlDays = readEnv(env, 'DELTA_TTL_DAYS');
    const ddb = clients.ddb ?? sdkDdb(createDynamoClient(env));
    // DATA_BUCKET: large deltas go to S3 (claim check); unset, everything stays inline as before
    const objects = clients.objects ?? objectStoreFromEnv(env);
    return {
      ctx: ingestContext({
        config: source.config,
        ddb,
        table,
        log,
        metrics,
        deltaTtlSeconds: ttlDays * 86400,
        objects,
      }),
      source,
    };
  };
  const context = containerContext(build, (b) => b.source.refresh());
  return async () => (await context()).ctx;
}
