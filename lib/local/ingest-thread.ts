// Local mode's ingest calls run on a worker thread (ingest-worker.ts) so that decoding, the
// processors and delta encoding do not share the main thread with the Kafka client, the flusher
// and the embedded DynamoDB: with one thread the Kafka input is capped by one core. The main
// thread posts each call's partition batches (packed-records.ts) and gets the outcome back; the
// commit rule is unchanged, since a call resolves only after the worker committed its deltas.
//
// A worker that dies (out of memory, a bug) fails the calls it held, which the callers retry as
// any failed ingest; the next call starts a fresh worker.

import { Worker } from 'node:worker_threads';
import type { PartitionRecords, PartitionResult } from '../ingest/ingest-partition.ts';
import type { LogFields, Logger } from '../log/logger.ts';
import type { Dimensions, Unit } from '../metrics/recorded-metric.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import type { MetricName } from '../metrics/names.ts';
import { packPartitions, type PackedPartition } from './packed-records.ts';

export interface IngestWorkerInit {
  /** The config file (re-read when due, as the main thread does) or the config text. */
  readonly config: { readonly file: string } | { readonly text: string; readonly source: string };
  readonly dynamoEndpoint: string;
  readonly table: string;
  /** Rehearse ingest on demo traces once started (ingest-warm-up.ts): a Kafka backlog may be waiting. */
  readonly warmUp?: boolean;
}

export type MetricOp = readonly ['add' | 'set', MetricName, number, Unit, Dimensions];

export interface ToIngestWorker {
  readonly id: number;
  readonly packed: readonly PackedPartition[];
}

export type FromIngestWorker =
  | { readonly kind: 'ready' }
  | { readonly kind: 'start-failed'; readonly error: string }
  | {
      readonly kind: 'log';
      readonly level: 'info' | 'warn' | 'error';
      readonly message: string;
      readonly fields?: LogFields;
    }
  | {
      readonly kind: 'result';
      readonly id: number;
      readonly ok: true;
      readonly results: PartitionResult[];
      readonly metrics: MetricOp[];
    }
  | {
      readonly kind: 'result';
      readonly id: number;
      readonly ok: false;
      readonly error: { readonly name: string; readonly message: string };
      readonly metrics: MetricOp[];
    };

export interface IngestThreadOptions extends IngestWorkerInit {
  readonly log: Logger;
  /** Receives the worker's ingest metrics (spans, records, bad records, write units, ...). */
  readonly metrics: MetricsRecorder;
}

interface Call {
  readonly resolve: (results: PartitionResult[]) => void;
  readonly reject: (error: Error) => void;
}

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
const ENTRY = new URL('./ingest-worker.ts', import.meta.url).href;

export class IngestThread {
  private worker: Promise<Worker> | undefined;
  private readonly calls = new Map<number, Call>();
  private nextId = 1;
  private closed = false;

  private constructor(private readonly opts: IngestThreadOptions) {}

  /** Starts the worker and waits until it is ready; a config it cannot load fails here. */
  static async start(opts: IngestThreadOptions): Promise<IngestThread> {
    const thread = new IngestThread(opts);
    await thread.running();
    return thread;
  }

  /** One ingest call (ingestPartitions) on the worker; rejects with the worker's error. */
  async ingest(partitions: readonly PartitionRecords[]): Promise<PartitionResult[]> {
    if (this.closed) throw new Error('ingest thread closed');
    const worker = await this.running();
    const { packed, transfer } = packPartitions(partitions);
    const id = this.nextId++;
    return new Promise<PartitionResult[]>((resolve, reject) => {
      this.calls.set(id, { resolve, reject });
      worker.postMessage({ id, packed } satisfies ToIngestWorker, transfer);
    });
  }

  /** Ends the worker; calls still out are failed (their records were not acknowledged). */
  async close(): Promise<void> {
    this.closed = true;
    const worker = await this.worker?.catch(() => undefined);
    this.worker = undefined;
    await worker?.terminate();
    this.failCalls(new Error('ingest thread closed'));
  }

  private running(): Promise<Worker> {
    this.worker ??= this.spawn();
    return this.worker;
  }

  private spawn(): Promise<Worker> {
    const { log, metrics, ...init } = this.opts;
    const worker = new Worker(BOOTSTRAP, { workerData: { ...(init satisfies IngestWorkerInit), entry: ENTRY } });
    const started = new Promise<Worker>((resolve, reject) => {
      worker.on('message', (m: FromIngestWorker) => {
        if (m.kind === 'ready') resolve(worker);
        else if (m.kind === 'start-failed') reject(new Error(`ingest thread did not start: ${m.error}`));
        else if (m.kind === 'log') log[m.level](m.message, m.fields);
        else this.settle(m);
      });
      const gone = (error: Error) => {
        if (this.worker === started) this.worker = undefined;
        reject(error);
        this.failCalls(error);
      };
      worker.on('error', (e) => {
        if (!this.closed)
          log.error('ingest thread failed; the next ingest call starts a new one', { error: String(e) });
        gone(e instanceof Error ? e : new Error(String(e)));
      });
      worker.on('exit', (code) => gone(new Error(`ingest thread exited (code ${code})`)));
    });
    started.catch(() => worker.terminate());
    return started;
  }

  private settle(m: Extract<FromIngestWorker, { kind: 'result' }>): void {
    for (const [op, name, value, unit, dims] of m.metrics) this.opts.metrics[op](name, value, unit, dims);
    const call = this.calls.get(m.id);
    if (call === undefined) return;
    this.calls.delete(m.id);
    if (m.ok) call.resolve(m.results);
    else call.reject(Object.assign(new Error(m.error.message), { name: m.error.name }));
  }

  private failCalls(error: Error): void {
    for (const call of this.calls.values()) call.reject(error);
    this.calls.clear();
  }
}
