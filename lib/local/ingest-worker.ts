// The ingest thread of local mode (started by ingest-thread.ts): what an ingest Lambda container
// is in the deployed stack. It reads the config itself (re-reading a config file when due, as a
// container does), talks to the embedded DynamoDB through its own client, and runs the same ingest
// code on each partition batch the main thread posts. Decoding, the processors and delta encoding
// then run beside the main thread's Kafka client instead of taking turns with it on one core.
// Log lines and metrics go back to the main thread with each answer.

import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { parentPort, workerData } from 'node:worker_threads';
import { parseConfig } from '../config/index.ts';
import { ConfigSource } from '../config/config-source.ts';
import { fileConfigFetcher } from '../config/file-config-fetcher.ts';
import { ingestContext, ingestPartitions } from '../ingest/ingest-handler.ts';
import type { LogFields, Logger } from '../log/logger.ts';
import type { Dimensions, Unit } from '../metrics/recorded-metric.ts';
import { MetricsRecorder } from '../metrics/recorder.ts';
import type { MetricName } from '../metrics/names.ts';
import { createDynamoClient, sdkDdb } from '../store/ddb.ts';
import { corruptBatchSkipped, expandDeferredBatches } from './kafka-batch-records.ts';
import { warmUpIngest } from './ingest-warm-up.ts';
import { unpackPartitions } from './packed-records.ts';
import type { FromIngestWorker, IngestWorkerInit, ToIngestWorker, MetricOp } from './ingest-thread.ts';

/** Records every add and set so the main thread's recorder can replay them. */
class ForwardingRecorder extends MetricsRecorder {
  pending: MetricOp[] = [];

  override add(name: MetricName, value: number, unit: Unit = 'Count', dims: Dimensions = {}): void {
    super.add(name, value, unit, dims);
    this.pending.push(['add', name, value, unit, dims]);
  }

  override set(name: MetricName, value: number, unit: Unit = 'None', dims: Dimensions = {}): void {
    super.set(name, value, unit, dims);
    this.pending.push(['set', name, value, unit, dims]);
  }

  take(): MetricOp[] {
    const ops = this.pending;
    this.pending = [];
    return ops;
  }
}

const port = parentPort!;
const send = (message: FromIngestWorker) => port.postMessage(message);

const log: Logger = {
  info: (message, fields) => forward('info', message, fields),
  warn: (message, fields) => forward('warn', message, fields),
  error: (message, fields) => forward('error', message, fields),
};

function forward(level: 'info' | 'warn' | 'error', message: string, fields?: LogFields): void {
  try {
    send({ kind: 'log', level, message, fields });
  } catch {
    // a field that cannot be cloned (a function, a socket): send its text instead
    send({
      kind: 'log',
      level,
      message,
      fields: JSON.parse(JSON.stringify(fields ?? {}, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))),
    });
  }
}

async function start(init: IngestWorkerInit) {
  // The main thread already printed the config's warnings and reports refused reloads.
  const quiet = { warn: () => {}, info: () => {} };
  const source =
    'file' in init.config
      ? await ConfigSource.start(fileConfigFetcher(init.config.file, quiet))
      : ConfigSource.fixed(parseConfig(init.config.text, { ...quiet, source: init.config.source }));
  const metrics = new ForwardingRecorder();
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: init.dynamoEndpoint });
  // The SDK loads parts of itself on its first request, which in a fresh worker takes a while:
  // pay for that now rather than in the first batch. The table may not exist yet; any answer will do.
  await client.send(new DescribeTableCommand({ TableName: init.table })).catch(() => {});
  const ctx = ingestContext({ config: source.config, ddb: sdkDdb(client), table: init.table, log, metrics });
  return { source, metrics, ctx };
}

const init = workerData as IngestWorkerInit;
const started = start(init);
started.then(
  () => send({ kind: 'ready' }),
  (e: unknown) => send({ kind: 'start-failed', error: String(e instanceof Error ? e.message : e) }),
);
// After 'ready': the main thread goes on joining the consumer group meanwhile (seconds), and the
// first call simply waits behind the warm-up.
const warmedUp = started.then(({ ctx }) => {
  if (!init.warmUp) return;
  try {
    warmUpIngest(ctx);
  } catch (e) {
    // only a head start: real batches still run (and report their own errors)
    log.warn('ingest thread warm-up failed; continuing without it', { error: String(e) });
  }
});
warmedUp.catch(() => {}); // a failed start is answered per call below

// One call at a time, in arrival order: the main thread never has two calls for one partition
// out, and running them one after the other keeps the cursor reads free of self-inflicted races.
let chain: Promise<void> = Promise.resolve();
port.on('message', (message: ToIngestWorker) => {
  chain = chain.then(async () => {
    try {
      const { source, metrics, ctx } = await started;
      await warmedUp;
      await source.refresh();
      const partitions = unpackPartitions(message.packed).map((p) =>
        expandDeferredBatches(p, corruptBatchSkipped(log, metrics)),
      );
      const results = await ingestPartitions(ctx, partitions);
      send({ kind: 'result', id: message.id, ok: true, results, metrics: metrics.take() });
    } catch (e) {
      const error = e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) };
      send({
        kind: 'result',
        id: message.id,
        ok: false,
        error,
        metrics: (await started.catch(() => undefined))?.metrics.take() ?? [],
      });
    }
  });
});
