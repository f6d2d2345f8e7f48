// Several ingest threads (ingest-thread.ts) serving one ingest call together, for machines with
// cores to spare: each topic-partition always goes to the same thread (assigned in turn as
// partitions first appear), so a partition's calls run in order on one thread and its cursor is
// only ever written from there. A call resolves once every thread holding a part of it answered,
// and fails if any part failed: the caller retries the whole call, and the parts already
// committed are skipped by their cursors.

import { availableParallelism } from 'node:os';
import type { PartitionRecords, PartitionResult } from '../ingest/ingest-partition.ts';
import { IngestThread, type IngestThreadOptions } from './ingest-thread.ts';

/** Ingest threads by default: the cores left beside the main thread and the DynamoDB thread, at most 4. */
export function defaultIngestThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 2));
}

export class IngestThreadPool {
  private readonly threadOf = new Map<string, IngestThread>();
  private assigned = 0;

  private constructor(private readonly threads: readonly IngestThread[]) {}

  static async start(count: number, opts: IngestThreadOptions): Promise<IngestThreadPool> {
    const started = await Promise.allSettled(Array.from({ length: count }, () => IngestThread.start(opts)));
    const threads = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failed = started.find((s) => s.status === 'rejected');
    if (failed !== undefined) {
      await Promise.all(threads.map((t) => t.close()));
      throw failed.reason;
    }
    return new IngestThreadPool(threads);
  }

  async ingest(partitions: readonly PartitionRecords[]): Promise<PartitionResult[]> {
    if (this.threads.length === 1) return this.threads[0].ingest(partitions);
    const parts = new Map<IngestThread, PartitionRecords[]>();
    for (const p of partitions) {
      const thread = this.threadFor(`${p.topic}\u0000${p.partition}`);
      let part = parts.get(thread);
      if (part === undefined) parts.set(thread, (part = []));
      part.push(p);
    }
    const answers = await Promise.allSettled([...parts].map(([thread, part]) => thread.ingest(part)));
    const failed = answers.find((a) => a.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    return answers.flatMap((a) => (a.status === 'fulfilled' ? a.value : []));
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }

  private threadFor(key: string): IngestThread {
    let thread = this.threadOf.get(key);
    if (thread === undefined) this.threadOf.set(key, (thread = this.threads[this.assigned++ % this.threads.length]));
    return thread;
  }
}
