// The service-graphs processor (Tempo: modules/generator/processor/servicegraphs/servicegraphs.go):
// pairs the client side (CLIENT/PRODUCER span) and the
// server side (SERVER/CONSUMER span) of each request into an edge between two services, and
// emits request counts and latencies per edge as soon as both sides are known. Database client
// spans make an edge alone. Edges still missing a side wait in memory (EdgeStore) until `wait`
// has passed; expire() then turns root-server and client-with-peer edges into virtual-node edges
// and drops the rest (Tempo's onExpire).
//
// Two tiers. This processor pairs the spans that reach it: the replay CLI feeds it the whole input
// and expires what is left at the end. The ingest Lambda builds one per partition batch and, at
// the end of the batch, takes the edges still pending out as halves (takePending) for the delta;
// the flusher pairs those across batches and partitions (half-pairing.ts). Times come from the
// clock, which on ingest reads the current Kafka record's timestamp, so a retried batch pairs
// exactly as before.

import type { ServiceGraphsConfig, TenantConfig } from '../../config/types.ts';
import type { DecodedTrace } from '../../decode/trace-decoder.ts';
import {
  SPAN_KIND_CLIENT,
  SPAN_KIND_CONSUMER,
  SPAN_KIND_PRODUCER,
  SPAN_KIND_SERVER,
  STATUS_CODE_ERROR,
  type ResourceView,
  type SpanView,
} from '../../decode/span-view.ts';
import { StringInterner } from '../../decode/utf8.ts';
import { silentLogger, type Logger } from '../../log/logger.ts';
import type { SeriesIncrement } from '../../series/types.ts';
import { SpanFilter } from '../filter/span-filter.ts';
import { SpanMultiplier } from '../multiplier.ts';
import type { DiscardCounter, Processor } from '../processor.ts';
import { ResourceThenSpan } from './attribute-lookup.ts';
import { dimensionPlan, type DimensionPlan } from './dimensions.ts';
import {
  CONNECTION_DATABASE,
  CONNECTION_MESSAGING,
  CONNECTION_UNKNOWN,
  SIDE_CLIENT,
  SIDE_SERVER,
  hashKey,
  tooFarApart,
  type Edge,
  type Side,
} from './edge.ts';
import { halfOf, type DroppedSideHalf, type EdgeHalf, type PendingHalves } from './edge-half.ts';
import { EdgeMetrics } from './edge-metrics.ts';
import { EdgeStore } from './edge-store.ts';
import { settleExpired } from './virtual-node.ts';

export const SERVICE_GRAPHS = 'service-graphs';
/** Interned strings kept across batches before the interner starts over. */
const MAX_INTERNED = 1 << 16;
/** Keys looked up (resource first) to name a database's server node, in Tempo's order. */
const DB_SERVER_KEYS = ['peer.service', 'server.address', 'network.peer.address', 'network.peer.port'] as const;

export interface ServiceGraphsOptions {
  /** Processing time in Unix ms, for edge expiry (default Date.now). */
  clock?: () => number;
  log?: Logger;
}

/** Tempo's self-monitoring counters of this processor (the metric* vars of servicegraphs.go), per tenant. */
export class ServiceGraphsCounters {
  /** `..._service_graphs_edges`: edges created (completed at once or stored). */
  edges = 0;
  /** `..._service_graphs_expired_edges{unmatched_span_kind}`: expired without producing metrics. */
  readonly expiredEdges = new Map<string, number>();
  /** `..._service_graphs_dropped_spans`: new edges refused because max_items edges were pending. */
  droppedSpans = 0;
  /** `..._service_graphs_dropped_edges_total`: edges dropped because the other side was filtered out. */
  droppedEdges = 0;

  expired(kind: string): number {
    return this.expiredEdges.get(kind) ?? 0;
  }

  /** Adds another instance's counts to these. */
  add(other: ServiceGraphsCounters): void {
    this.edges += other.edges;
    this.droppedSpans += other.droppedSpans;
    this.droppedEdges += other.droppedEdges;
    for (const [kind, n] of other.expiredEdges) this.expiredEdges.set(kind, this.expired(kind) + n);
  }
}

export class ServiceGraphsProcessor implements Processor {
  readonly name = SERVICE_GRAPHS;
  readonly counters = new ServiceGraphsCounters();
  private readonly cfg: ServiceGraphsConfig;
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly plan: DimensionPlan;
  private readonly filter: SpanFilter;
  private readonly multiplier: SpanMultiplier;
  private readonly strings = new StringInterner();
  private readonly store: EdgeStore;
  private readonly metrics: EdgeMetrics;
  /** Keys looked up: dimensions, database name attributes, DB_SERVER_KEYS, then peer attributes. */
  private readonly lookup: ResourceThenSpan;
  private readonly dbNameBase: number;
  private readonly dbServerBase: number;
  private readonly peerBase: number;
  private readonly peerEnd: number;
  /** Expired edges whose key bytes back exemplars until the next drain. */
  private retired: Edge[] = [];
  private droppedSpansLogged = 0;
  /** Processing time of the current push, read from the clock when first needed (-1: not yet). */
  private pushNowMs = -1;

  constructor(
    private readonly tenant: TenantConfig,
    private readonly discards: DiscardCounter,
    options: ServiceGraphsOptions = {},
  ) {
    const cfg = (this.cfg = tenant.serviceGraphs!);
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? silentLogger;
    this.plan = dimensionPlan(cfg);
    this.filter = new SpanFilter(cfg.filterPolicies);
    this.multiplier = new SpanMultiplier(cfg.spanMultiplierKey, cfg.enableTracestateSpanMultiplier);
    this.store = new EdgeStore(cfg.maxItems, cfg.waitMs, this.plan.slots);
    this.metrics = new EdgeMetrics(tenant, this.plan, this.strings, discards, SERVICE_GRAPHS);
    this.dbNameBase = this.plan.attributes.length;
    this.dbServerBase = this.dbNameBase + cfg.databaseNameAttributes.length;
    this.peerBase = this.dbServerBase + DB_SERVER_KEYS.length;
    this.peerEnd = this.peerBase + cfg.peerAttributes.length;
    const keys = [...this.plan.attributes, ...cfg.databaseNameAttributes, ...DB_SERVER_KEYS, ...cfg.peerAttributes];
    this.lookup = new ResourceThenSpan(keys, this.strings);
  }

  /** Edges waiting for their other side. */
  get pendingEdges(): number {
    return this.store.size;
  }

  /** Filtered spans' sides remembered so their counterparts are dropped too. */
  get droppedSpanSides(): number {
    return this.store.droppedSides;
  }

  /** `..._dropped_span_side_cache_overflow_total`. */
  get droppedSpanSideCacheOverflows(): number {
    return this.store.droppedSideOverflows;
  }

  pushTrace(trace: DecodedTrace): void {
    this.pushNowMs = -1;
    for (let r = 0; r < trace.resourceCount; r++) {
      const res = trace.resources[r];
      // Tempo skips a resource without a service.name attribute (an empty value is accepted).
      if (!res.hasServiceName || res.spanCount === 0) continue;
      this.lookup.setResource(res);
      for (let i = res.firstSpan, end = res.firstSpan + res.spanCount; i < end; i++) {
        const span = trace.spans[i];
        const kind = span.kind;
        const client = kind === SPAN_KIND_CLIENT || kind === SPAN_KIND_PRODUCER;
        if (!client && kind !== SPAN_KIND_SERVER && kind !== SPAN_KIND_CONSUMER) continue;
        if (!this.filter.keep(res, span, this.strings)) {
          this.addDroppedSide(span, client);
          this.discards.discard('service_graphs_filtered', SERVICE_GRAPHS, 1);
          continue;
        }
        const m = this.multiplier.constant ? 1 : this.multiplier.of(span, res, this.strings);
        this.lookup.setSpan(span);
        this.upsert(res, span, client ? SIDE_CLIENT : SIDE_SERVER, m);
      }
    }
  }

  /**
   * Tempo's store.UpsertEdge plus the span-side update callbacks. The exemplar trace id is the
   * key's: Tempo's edge trace id comes from the client span or a root server span, and an edge
   * without either never produces metrics.
   */
  private upsert(res: ResourceView, span: SpanView, side: Side, m: number): void {
    const buf = span.buf;
    const ts = span.traceIdStart;
    const te = span.traceIdEnd;
    const is = side === SIDE_CLIENT ? span.spanIdStart : span.parentSpanIdStart;
    const ie = side === SIDE_CLIENT ? span.spanIdEnd : span.parentSpanIdEnd;
    const hash = hashKey(buf, ts, te, is, ie);
    const store = this.store;
    let e = store.find(hash, buf, ts, te, is, ie);
    if (e !== undefined && tooFarApart(e.arrivalMs, this.now(), this.cfg.waitMs)) {
      // Tempo's expiry loop would have removed it before this span arrived.
      store.delete(e);
      this.onExpire(e);
      e = undefined;
    }
    if (e !== undefined) {
      this.update(e, res, span, side, m);
      if (e.isComplete) {
        this.metrics.record(e, buf, ts, te);
        store.delete(e);
        store.release(e);
      } else this.updatePeerNode(e);
      return;
    }
    if (store.hasDroppedSide(side === SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT, hash, buf, ts, te, is, ie)) {
      this.counters.droppedEdges++;
      this.discards.discard('service_graphs_filtered_counterpart', SERVICE_GRAPHS, 1);
      return;
    }
    e = store.acquire();
    e.firstSide = side;
    this.update(e, res, span, side, m);
    if (e.isComplete) {
      this.counters.edges++;
      this.metrics.record(e, buf, ts, te);
      store.release(e);
      return;
    }
    this.updatePeerNode(e);
    if (!store.add(e, this.now(), hash, buf, ts, te, is, ie)) {
      store.release(e);
      this.counters.droppedSpans++;
      this.discards.discard('service_graphs_max_items', SERVICE_GRAPHS, 1);
      return;
    }
    this.counters.edges++;
  }

  private update(e: Edge, res: ResourceView, span: SpanView, side: Side, m: number): void {
    const kind = span.kind;
    e.spanKind = kind;
    if (side === SIDE_CLIENT) {
      e.connectionType = kind === SPAN_KIND_PRODUCER ? CONNECTION_MESSAGING : CONNECTION_UNKNOWN;
      e.clientService = res.serviceName;
      e.clientLatencySec = span.durationSeconds();
      e.clientEndHi = span.endHi;
      e.clientEndLo = span.endLo;
    } else {
      // overwrites what the client side set, as Tempo's consume does
      e.connectionType = kind === SPAN_KIND_CONSUMER ? CONNECTION_MESSAGING : CONNECTION_UNKNOWN;
      e.serverService = res.serviceName;
      e.serverLatencySec = span.durationSeconds();
      e.serverStartHi = span.startHi;
      e.serverStartLo = span.startLo;
    }
    if (span.statusCode === STATUS_CODE_ERROR) e.failed = true;
    const plan = this.plan;
    const slots = side === SIDE_CLIENT ? plan.clientSlot : plan.serverSlot;
    for (let d = 0; d < slots.length; d++) {
      const v = this.lookup.get(d);
      if (v !== undefined) e.dimensions[slots[d]] = v;
    }
    e.multiplier = m;
    if (side === SIDE_CLIENT) this.updateDatabase(e, span);
  }

  /**
   * The first present peer attribute (span attributes only) names the node on the other side.
   * Only expiry reads it, so it is taken from the span that leaves the edge pending, which is the
   * latest span of the edge as in Tempo (where every span updates it).
   */
  private updatePeerNode(e: Edge): void {
    for (let k = this.peerBase; k < this.peerEnd; k++) {
      const v = this.lookup.spanValue(k);
      if (v !== undefined) {
        e.peerNode = v;
        return;
      }
    }
  }

  /**
   * A client span with a database name attribute is a database call: it completes the edge alone,
   * with the server named by peer.service, server.address, network.peer.address(:port) or the
   * database name, and its own duration as the server latency (Tempo's upsertDatabaseRequest).
   */
  private updateDatabase(e: Edge, span: SpanView): void {
    const lookup = this.lookup;
    let dbName: string | undefined;
    for (let k = this.dbNameBase; k < this.dbServerBase && dbName === undefined; k++) dbName = lookup.get(k);
    if (dbName === undefined) return;
    e.connectionType = CONNECTION_DATABASE;
    e.serverLatencySec = span.durationSeconds();
    const base = this.dbServerBase;
    const server = lookup.get(base) ?? lookup.get(base + 1);
    if (server !== undefined) {
      e.serverService = server;
      return;
    }
    const host = lookup.get(base + 2);
    if (host !== undefined) {
      const port = lookup.get(base + 3);
      e.serverService = port === undefined ? host : host + ':' + port;
      return;
    }
    if (dbName !== '') e.serverService = dbName;
  }

  /** A filtered span's side (root server spans have none); drops a pending counterpart at once. */
  private addDroppedSide(span: SpanView, client: boolean): void {
    const is = client ? span.spanIdStart : span.parentSpanIdStart;
    const ie = client ? span.spanIdEnd : span.parentSpanIdEnd;
    if (!client && ie === is) return;
    const buf = span.buf;
    const hash = hashKey(buf, span.traceIdStart, span.traceIdEnd, is, ie);
    if (
      this.store.addDroppedSide(
        client ? SIDE_CLIENT : SIDE_SERVER,
        hash,
        buf,
        span.traceIdStart,
        span.traceIdEnd,
        is,
        ie,
        this.now(),
      )
    ) {
      this.counters.droppedEdges++;
      this.discards.discard('service_graphs_filtered_counterpart', SERVICE_GRAPHS, 1);
    }
  }

  /** The clock is read at most once per push, and only when an edge or dropped side is stored. */
  private now(): number {
    if (this.pushNowMs < 0) this.pushNowMs = this.clock();
    return this.pushNowMs;
  }

  /**
   * Expires the edges due at nowMs (every pending edge with `all`, as if `wait` had passed), then
   * appends the batch's increments, expired edges' included, as drain() does.
   */
  expire(nowMs: number, out: SeriesIncrement[], all = false): void {
    for (let e = this.store.takeExpired(nowMs, all); e !== undefined; e = this.store.takeExpired(nowMs, all))
      this.onExpire(e);
    this.store.expireDroppedSides(nowMs, all);
    this.drain(out);
  }

  /** Tempo's onExpire: a virtual node stands in for the missing side where the span says who it is. */
  private onExpire(e: Edge): void {
    if (settleExpired(e, this.plan.virtualNodeSlot, this.metrics, this.counters)) this.retired.push(e);
    else this.store.release(e);
  }

  /**
   * The ingest's end of batch: every pending edge leaves this processor, as a half for the flusher
   * to pair with halves from other batches and partitions, and so does every dropped side. A root
   * server edge can never be paired (no client span has an empty id), so it expires now, as it
   * would after `wait`: its virtual-node metrics go into this batch instead of the flusher's state.
   */
  takePending(): PendingHalves {
    const halves: EdgeHalf[] = [];
    for (let e = this.store.takeExpired(0, true); e !== undefined; e = this.store.takeExpired(0, true)) {
      if (e.isRoot && e.clientService === '') {
        this.onExpire(e);
        continue;
      }
      halves.push(halfOf(e));
      this.store.release(e);
    }
    const droppedSides: DroppedSideHalf[] = [];
    for (const [side, d] of this.store.droppedSideEntries()) {
      droppedSides.push({ key: d.keyBuf.slice(0, d.keyLen), traceIdLength: d.traceLen, side, arrivalMs: d.arrivalMs });
    }
    this.store.clearDroppedSides();
    return { halves, droppedSides };
  }

  drain(out: SeriesIncrement[]): void {
    this.metrics.drain(out);
    for (const e of this.retired) this.store.release(e);
    this.retired = [];
    if (this.strings.resetIfOver(MAX_INTERNED) || this.metrics.cachedLabelSets > MAX_INTERNED)
      this.metrics.clearLabelCache();
    if (this.counters.droppedSpans > this.droppedSpansLogged) {
      this.log.warn('service graphs: skipped spans, too many pending edges', {
        tenant: this.tenant.tenant,
        maxItems: this.cfg.maxItems,
        droppedSpans: this.counters.droppedSpans - this.droppedSpansLogged,
      });
      this.droppedSpansLogged = this.counters.droppedSpans;
    }
  }
}
