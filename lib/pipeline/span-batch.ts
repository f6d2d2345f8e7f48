// Kafka records in, per-tenant pre-aggregated series increments out: decode (lib/decode), the
// ingestion time-range slack, then the tenant's processors. The ingest Lambda, local mode and
// the replay CLI all run their spans through this one class.

import type { GeneratorConfig } from '../config/types.ts';
import type { KafkaRecord } from '../decode/kafka-record.ts';
import { recordPosition } from '../decode/kafka-record.ts';
import { BadRecordError, decodeRecordValue, recordTenant } from '../decode/record.ts';
import { type DecodedTrace, TraceDecoder } from '../decode/trace-decoder.ts';
import type { Logger } from '../log/logger.ts';
import { consoleLogger } from '../log/logger.ts';
import { createProcessors, type Processor } from '../processors/index.ts';
import { isExpiring, isPendingHalvesSource } from '../processors/capabilities.ts';
import type { SeriesIncrement } from '../series/types.ts';
import { ServiceGraphsCounters } from '../servicegraph-model/counters.ts';
import type { PendingHalves } from '../servicegraph-model/half.ts';
import { IngestStats, type TenantIngestStats } from './ingest-stats.ts';

/** Records larger than this are bad records (Kafka's own default limit is 1 MiB). */
export const DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024;

export interface SpanBatchOptions {
  /**
   * Apply metrics_ingestion_time_range_slack relative to each record's timestamp. Off for replay
   * (historical traces). Using the record timestamp rather than the wall clock keeps the decision
   * identical when a batch is retried later, which exactly-once requires.
   */
  applySlack: boolean;
  maxRecordBytes?: number;
  log?: Logger;
}

export interface DrainOptions {
  /** Expire every pending service-graph edge, due or not. */
  expireAll?: boolean;
  /** Processing time for expiry, Unix ms (default Date.now()). */
  nowMs?: number;
}

interface TenantPipeline {
  readonly processors: Processor[];
  readonly slackNs: number;
  readonly stats: TenantIngestStats;
}

export class SpanBatch {
  readonly stats = new IngestStats();
  private readonly decoder = new TraceDecoder();
  private readonly tenants = new Map<string, TenantPipeline>();
  private readonly log: Logger;
  private readonly maxRecordBytes: number;
  /**
   * Processing time of the trace being pushed (Unix ms): the Kafka record's timestamp, so a
   * retried batch pairs service-graph edges exactly as before; the wall clock without a record.
   */
  private pushTimeMs = 0;
  private readonly pushClock = (): number => this.pushTimeMs;
  private readonly createdAtMs = Date.now();

  constructor(
    private readonly config: GeneratorConfig,
    private readonly options: SpanBatchOptions,
  ) {
    this.log = options.log ?? consoleLogger;
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  }

  /**
   * Adds one record. Bad input is counted, logged with the record position and skipped; only
   * programming errors escape.
   */
  addRecord(record: KafkaRecord): void {
    this.stats.records++;
    const value = record.value ?? new Uint8Array(0);
    this.stats.recordBytes += value.length;
    try {
      const tenant = recordTenant(record, this.config);
      const pipeline = this.pipeline(tenant);
      // Kafka marks a missing timestamp as -1; fall back to the wall clock then.
      this.pushTimeMs = record.timestampMs > 0 ? record.timestampMs : Date.now();
      const nowNs = this.pushTimeMs * 1e6;
      const outcome = decodeRecordValue(
        this.config.codec,
        value,
        this.decoder,
        (trace, skip) => this.pushTrace(pipeline, trace, skip, nowNs),
        this.maxRecordBytes,
      );
      if (outcome.malformedTraces > 0) {
        for (let i = 0; i < outcome.malformedTraces; i++) this.stats.badRecord('malformed_trace');
        this.log.warn('skipped malformed traces in record', {
          record: recordPosition(record),
          reason: 'malformed_trace',
          count: outcome.malformedTraces,
          error: outcome.firstError,
        });
      }
    } catch (e) {
      if (!(e instanceof BadRecordError)) throw e;
      this.stats.badRecord(e.reason);
      this.log.warn('skipped bad record', { record: recordPosition(record), reason: e.reason, error: e.message });
    }
  }

  /** Adds an already-encoded TracesData for a tenant (the replay path: no Kafka record around it). */
  addTracesData(tenant: string, tracesData: Uint8Array): void {
    const pipeline = this.pipeline(tenant);
    // Replay's input is historical and has no arrival times: it all arrives at one instant, so
    // pairing never depends on how long reading the input takes.
    this.pushTimeMs = this.createdAtMs;
    this.pushTrace(pipeline, this.decoder.decode(tracesData), false, 0);
  }

  /**
   * Per-tenant increments of everything added since the last drain. First, processors that hold
   * state across pushes expire what is due at nowMs (default: the wall clock), or everything
   * pending with expireAll (replay's end of input, as if service-graph `wait` had passed).
   */
  drain(opts: DrainOptions = {}): Map<string, SeriesIncrement[]> {
    const out = new Map<string, SeriesIncrement[]>();
    const nowMs = opts.nowMs ?? Date.now();
    for (const [tenant, p] of this.tenants) {
      const increments: SeriesIncrement[] = [];
      for (const proc of p.processors) {
        if (isExpiring(proc)) proc.expire(nowMs, increments, opts.expireAll === true);
        proc.drain(increments);
      }
      if (increments.length > 0) out.set(tenant, increments);
    }
    return out;
  }

  /**
   * The ingest's end of batch, before drain(): per tenant, the service-graph halves still waiting
   * for a counterpart and the dropped sides, for the flusher to pair across batches.
   */
  takePending(): Map<string, PendingHalves> {
    const out = new Map<string, PendingHalves>();
    for (const [tenant, p] of this.tenants) {
      for (const proc of p.processors) {
        if (!isPendingHalvesSource(proc)) continue;
        const pending = proc.takePending();
        if (pending.halves.length > 0 || pending.droppedSides.length > 0) out.set(tenant, pending);
      }
    }
    return out;
  }

  /** Tempo's service-graph self-monitoring counters of this batch, summed over tenants. */
  serviceGraphCounters(): ServiceGraphsCounters {
    const sum = new ServiceGraphsCounters();
    for (const p of this.tenants.values()) {
      for (const proc of p.processors) {
        if (isPendingHalvesSource(proc)) sum.add(proc.counters);
      }
    }
    return sum;
  }

  private pipeline(tenant: string): TenantPipeline {
    let p = this.tenants.get(tenant);
    if (p === undefined) {
      const cfg = this.config.tenant(tenant);
      const stats = this.stats.forTenant(tenant);
      p = {
        processors: createProcessors(cfg, stats, this.log, this.pushClock),
        slackNs: cfg.ingestionSlackMs * 1e6,
        stats,
      };
      this.tenants.set(tenant, p);
    }
    return p;
  }

  private pushTrace(p: TenantPipeline, trace: DecodedTrace, skip: boolean, nowNs: number): void {
    const stats = this.stats;
    stats.traces++;
    stats.spansReceived += trace.spanCount;
    p.stats.spansReceived += trace.spanCount;
    for (let r = 0; r < trace.resourceCount; r++) {
      stats.bytesReceived += trace.resources[r].byteSize;
      p.stats.bytesReceived += trace.resources[r].byteSize;
    }
    if (this.options.applySlack) {
      const dropped = dropOutsideSlack(trace, nowNs, p.slackNs);
      if (dropped > 0) p.stats.discard('outside_metrics_ingestion_slack', 'all', dropped);
    }
    if (skip) {
      stats.skippedProcessorPushes += p.processors.length;
      return;
    }
    for (const proc of p.processors) proc.pushTrace(trace);
  }
}

/**
 * Keeps spans with now - slack <= end <= now + slack, compacting each resource's span range in
 * place (the span views are pooled, so kept ones are swapped forward). Returns how many were dropped.
 */
export function dropOutsideSlack(trace: DecodedTrace, nowNs: number, slackNs: number): number {
  const spans = trace.spans;
  const lo = nowNs - slackNs;
  const hi = nowNs + slackNs;
  let write = 0;
  let dropped = 0;
  for (let r = 0; r < trace.resourceCount; r++) {
    const res = trace.resources[r];
    const first = write;
    for (let i = res.firstSpan, end = res.firstSpan + res.spanCount; i < end; i++) {
      const s = spans[i];
      const t = s.endTimeNs();
      if (t < lo || t > hi) {
        dropped++;
        continue;
      }
      if (i !== write) {
        spans[i] = spans[write];
        spans[write] = s;
      }
      write++;
    }
    res.firstSpan = first;
    res.spanCount = write - first;
  }
  trace.spanCount = write;
  return dropped;
}
