// The metrics of completed service-graph edges (Tempo's onComplete in
// modules/generator/processor/servicegraphs/servicegraphs.go),
// pre-aggregated per batch. Series identity inside the batch is the tuple of label-value ids, so
// each distinct label set is built once.

import type { ServiceGraphsConfig, TenantConfig } from '../../config/types.ts';
import type { StringInterner } from '../../decode/utf8.ts';
import { buildLabels, type BuiltLabels } from '../../series/labels.ts';
import type { Labels, SeriesIncrement } from '../../series/types.ts';
import { HistogramAccumulator } from '../histogram-accumulator.ts';
import type { DiscardCounter } from '../processor.ts';
import { TupleTable } from '../tuple-table.ts';
import type { DimensionPlan } from './dimensions.ts';
import { CONNECTION_MESSAGING, CONNECTION_TYPE_NAMES, type Edge } from './edge.ts';

export const METRIC_REQUEST_TOTAL = 'traces_service_graph_request_total';
export const METRIC_REQUEST_FAILED_TOTAL = 'traces_service_graph_request_failed_total';
export const METRIC_REQUEST_SERVER_SECONDS = 'traces_service_graph_request_server_seconds';
export const METRIC_REQUEST_CLIENT_SECONDS = 'traces_service_graph_request_client_seconds';
export const METRIC_REQUEST_MESSAGING_SYSTEM_SECONDS = 'traces_service_graph_request_messaging_system_seconds';
export const METRIC_CONNECTION_INFO = 'traces_service_graph_connection_info';

/** One label set's observations within the batch. */
interface EdgeSeries {
  readonly labels: Labels;
  readonly valid: boolean;
  requests: number;
  failed: number;
  /** The failed counter series exists only once an edge with this label set failed. */
  anyFailed: boolean;
  readonly server: HistogramAccumulator | undefined;
  readonly client: HistogramAccumulator | undefined;
  /** Created on the first positive messaging latency. */
  messaging: HistogramAccumulator | undefined;
  connectionInfo: boolean;
}

export class EdgeMetrics {
  private readonly cfg: ServiceGraphsConfig;
  private readonly tuple: Int32Array;
  private readonly series: TupleTable<EdgeSeries>;
  /** Label sets by tuple, kept across batches while the interned ids stay valid. */
  private readonly labelCache: TupleTable<BuiltLabels>;
  private order: EdgeSeries[] = [];

  constructor(
    private readonly tenant: TenantConfig,
    private readonly plan: DimensionPlan,
    private readonly strings: StringInterner,
    private readonly discards: DiscardCounter,
    private readonly processorName: string,
  ) {
    this.cfg = tenant.serviceGraphs!;
    const width = 3 + plan.labels.length;
    this.tuple = new Int32Array(width);
    this.series = new TupleTable(width);
    this.labelCache = new TupleTable(width);
  }

  /**
   * Records one completed edge. The exemplar trace id is traceBuf[traceStart, traceEnd), which
   * must stay unchanged until drain().
   */
  record(e: Edge, traceBuf: Uint8Array, traceStart: number, traceEnd: number): void {
    const strings = this.strings;
    const tuple = this.tuple;
    tuple[0] = strings.idOf(e.clientService);
    tuple[1] = strings.idOf(e.serverService);
    tuple[2] = e.connectionType;
    const labels = this.plan.labels;
    for (let i = 0; i < labels.length; i++) tuple[3 + i] = strings.idOf(e.dimensions[labels[i].slot]);
    let s = this.series.get(tuple);
    if (s === undefined) {
      s = this.newSeries();
      this.series.add(tuple, s);
      this.order.push(s);
    }
    if (!s.valid) {
      this.discards.discard('invalid_utf8', this.processorName, 1);
      return;
    }
    const m = e.multiplier;
    const sub = this.cfg.subprocessors;
    if (sub.request) {
      s.requests += m;
      if (e.failed) {
        s.failed += m;
        s.anyFailed = true;
      }
    }
    if (sub.latency) {
      s.server!.observe(e.serverLatencySec, m, traceBuf, traceStart, traceEnd);
      s.client!.observe(e.clientLatencySec, m, traceBuf, traceStart, traceEnd);
      if (this.cfg.enableMessagingSystemLatencyHistogram && e.connectionType === CONNECTION_MESSAGING) {
        // consumer start - producer end; Tempo only warns (clock skew) when that is not positive
        const v = nanosDiffSeconds(e.clientEndHi, e.clientEndLo, e.serverStartHi, e.serverStartLo);
        if (v > 0) (s.messaging ??= this.histogram()).observe(v, m, traceBuf, traceStart, traceEnd);
      }
    }
    if (sub.connectionInfo) s.connectionInfo = true;
  }

  /** Appends the increments of the batch in first-seen order, then starts a new batch. */
  drain(out: SeriesIncrement[]): void {
    for (const s of this.order) {
      if (!s.valid) continue;
      if (this.cfg.subprocessors.request) {
        out.push({ type: 'counter', name: METRIC_REQUEST_TOTAL, labels: s.labels, value: s.requests });
        if (s.anyFailed)
          out.push({ type: 'counter', name: METRIC_REQUEST_FAILED_TOTAL, labels: s.labels, value: s.failed });
      }
      if (s.server !== undefined) out.push(s.server.toIncrement(METRIC_REQUEST_SERVER_SECONDS, s.labels));
      if (s.client !== undefined) out.push(s.client.toIncrement(METRIC_REQUEST_CLIENT_SECONDS, s.labels));
      if (s.messaging !== undefined)
        out.push(s.messaging.toIncrement(METRIC_REQUEST_MESSAGING_SYSTEM_SECONDS, s.labels));
      if (s.connectionInfo)
        out.push({ type: 'gauge', name: METRIC_CONNECTION_INFO, labels: s.labels, value: 1, mode: 'set' });
    }
    this.series.clear();
    this.order = [];
  }

  /** Forgets cached label sets (their interned ids are about to be void). */
  clearLabelCache(): void {
    this.labelCache.clear();
  }

  get cachedLabelSets(): number {
    return this.labelCache.size;
  }

  private newSeries(): EdgeSeries {
    let built = this.labelCache.get(this.tuple);
    if (built === undefined) {
      const pairs: [string, string][] = [
        ['client', this.strings.string(this.tuple[0])],
        ['server', this.strings.string(this.tuple[1])],
        ['connection_type', CONNECTION_TYPE_NAMES[this.tuple[2]]],
      ];
      const labels = this.plan.labels;
      for (let i = 0; i < labels.length; i++) pairs.push([labels[i].name, this.strings.string(this.tuple[3 + i])]);
      built = buildLabels(pairs, this.tenant.registry);
      this.labelCache.add(this.tuple, built);
    }
    const latency = this.cfg.subprocessors.latency;
    return {
      labels: built.labels,
      valid: built.valid,
      requests: 0,
      failed: 0,
      anyFailed: false,
      server: latency ? this.histogram() : undefined,
      client: latency ? this.histogram() : undefined,
      messaging: undefined,
      connectionInfo: false,
    };
  }

  private histogram(): HistogramAccumulator {
    return new HistogramAccumulator(this.cfg.histogramBuckets, this.tenant.histogramMode, this.tenant.nativeHistogram);
  }
}

/** (end - start) in seconds for ns times split in 32-bit halves; 0 when start >= end. */
export function nanosDiffSeconds(startHi: number, startLo: number, endHi: number, endLo: number): number {
  const ns = (endHi - startHi) * 4294967296 + (endLo - startLo);
  return ns > 0 ? ns / 1e9 : 0;
}
