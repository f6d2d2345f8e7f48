// The service-graphs processor (Tempo: modules/generator/processor/servicegraphs): pairs the client side (CLIENT/PRODUCER span) and the
// server side (SERVER/CONSUMER span) of each request into an edge between two services, and
// emits request counts and latencies per edge as soon as both sides are known. Database client
// spans make an edge alone. Edges still missing a side wait in memory (EdgeStore) until `wait`
// has passed; expire() then turns root-server and client-with-peer edges into virtual-node edges
// and drops the rest (EdgeSettler).
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
  type ResourceView,
  SPAN_KIND_CLIENT,
  SPAN_KIND_CONSUMER,
  SPAN_KIND_PRODUCER,
  SPAN_KIND_SERVER,
  STATUS_CODE_ERROR,
  type SpanView,
} from '../../decode/span-view.ts';
import { type Logger, silentLogger } from '../../log/logger.ts';
import type { SeriesIncrement } from '../../series/types.ts';
import type { ServiceGraphsCounters } from '../../servicegraph-model/counters.ts';
import {
  type EdgeHalf,
  type PendingHalves,
  SIDE_CLIENT,
  SIDE_SERVER,
  type Side,
} from '../../servicegraph-model/half.ts';
import type { ExpiringProcessor, PendingHalvesSource } from '../capabilities.ts';
import { SpanFilter } from '../filter/span-filter.ts';
import { SpanMultiplier } from '../multiplier.ts';
import type { DiscardCounter } from '../processor.ts';
import {
  CONNECTION_DATABASE,
  CONNECTION_MESSAGING,
  CONNECTION_UNKNOWN,
  type Edge,
  KeyProbe,
  tooFarApart,
} from './edge.ts';
import { EdgeAttributes } from './edge-attributes.ts';
import { droppedSideHalfOf, halfOf } from './edge-half.ts';
import { EdgeSettler, SERVICE_GRAPHS } from './edge-settler.ts';

export { SERVICE_GRAPHS } from './edge-settler.ts';

export interface ServiceGraphsOptions {
  /** Processing time in Unix ms, for edge expiry (default Date.now). */
  clock?: () => number;
  log?: Logger;
}

export class ServiceGraphsProcessor implements ExpiringProcessor, PendingHalvesSource {
  readonly name = SERVICE_GRAPHS;
  private readonly cfg: ServiceGraphsConfig;
  private readonly clock: () => number;
  private readonly log: Logger;
  private readonly settler: EdgeSettler;
  private readonly filter: SpanFilter;
  private readonly multiplier: SpanMultiplier;
  private readonly attributes: EdgeAttributes;
  /** The key of the span being looked up, refilled per span. */
  private readonly key = new KeyProbe();
  private droppedSpansLogged = 0;
  /** Processing time of the current push, read from the clock when first needed (-1: not yet). */
  private pushNowMs = -1;

  constructor(
    private readonly tenant: TenantConfig,
    private readonly discards: DiscardCounter,
    options: ServiceGraphsOptions = {},
  ) {
    this.settler = new EdgeSettler(tenant, discards);
    const cfg = (this.cfg = this.settler.cfg);
    this.clock = options.clock ?? Date.now;
    this.log = options.log ?? silentLogger;
    this.filter = new SpanFilter(cfg.filterPolicies);
    this.multiplier = new SpanMultiplier(cfg.spanMultiplierKey, cfg.enableTracestateSpanMultiplier);
    this.attributes = new EdgeAttributes(this.settler.plan, cfg, this.settler.strings);
  }

  get counters(): ServiceGraphsCounters {
    return this.settler.counters;
  }

  /** Edges waiting for their other side. */
  get pendingEdges(): number {
    return this.settler.store.size;
  }

  /** Filtered spans' sides remembered so their counterparts are dropped too. */
  get droppedSpanSides(): number {
    return this.settler.store.droppedSides;
  }

  /** `..._dropped_span_side_cache_overflow_total`. */
  get droppedSpanSideCacheOverflows(): number {
    return this.settler.store.droppedSideOverflows;
  }

  pushTrace(trace: DecodedTrace): void {
    this.pushNowMs = -1;
    const strings = this.settler.strings;
    for (let r = 0; r < trace.resourceCount; r++) {
      const res = trace.resources[r];
      // Tempo skips a resource without a service.name attribute (an empty value is accepted).
      if (!res.hasServiceName || res.spanCount === 0) continue;
      this.attributes.setResource(res);
      for (let i = res.firstSpan, end = res.firstSpan + res.spanCount; i < end; i++) {
        const span = trace.spans[i];
        const kind = span.kind;
        const client = kind === SPAN_KIND_CLIENT || kind === SPAN_KIND_PRODUCER;
        if (!client && kind !== SPAN_KIND_SERVER && kind !== SPAN_KIND_CONSUMER) continue;
        if (!this.filter.keep(res, span, strings)) {
          this.addDroppedSide(span, client);
          this.discards.discard('service_graphs_filtered', SERVICE_GRAPHS, 1);
          continue;
        }
        const m = this.multiplier.constant ? 1 : this.multiplier.of(span, res, strings);
        this.attributes.setSpan(span);
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
    const key =
      side === SIDE_CLIENT
        ? this.key.set(buf, ts, te, span.spanIdStart, span.spanIdEnd)
        : this.key.set(buf, ts, te, span.parentSpanIdStart, span.parentSpanIdEnd);
    const settler = this.settler;
    const store = settler.store;
    let e = store.find(key);
    if (e !== undefined && tooFarApart(e.arrivalMs, this.now(), this.cfg.waitMs)) {
      // Tempo's expiry loop would have removed it before this span arrived.
      store.delete(e);
      settler.expire(e);
      e = undefined;
    }
    if (e !== undefined) {
      this.update(e, res, span, side, m);
      if (e.isComplete) {
        store.delete(e);
        settler.completeWith(e, buf, ts, te);
      } else this.updatePeerNode(e);
      return;
    }
    if (store.hasDroppedSide(side === SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT, key)) {
      this.droppedCounterpart();
      return;
    }
    e = store.acquire();
    e.firstSide = side;
    this.update(e, res, span, side, m);
    if (e.isComplete) {
      settler.counters.edges++;
      settler.completeWith(e, buf, ts, te);
      return;
    }
    this.updatePeerNode(e);
    if (!store.add(e, this.now(), key)) {
      store.release(e);
      settler.counters.droppedSpans++;
      this.discards.discard('service_graphs_max_items', SERVICE_GRAPHS, 1);
      return;
    }
    settler.counters.edges++;
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
      // overwrites what the client side set, as Tempo does
      e.connectionType = kind === SPAN_KIND_CONSUMER ? CONNECTION_MESSAGING : CONNECTION_UNKNOWN;
      e.serverService = res.serviceName;
      e.serverLatencySec = span.durationSeconds();
      e.serverStartHi = span.startHi;
      e.serverStartLo = span.startLo;
    }
    if (span.statusCode === STATUS_CODE_ERROR) e.failed = true;
    const plan = this.settler.plan;
    const slots = side === SIDE_CLIENT ? plan.clientSlot : plan.serverSlot;
    for (let d = 0; d < slots.length; d++) {
      const v = this.attributes.dimension(d);
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
    const peer = this.attributes.peerNode();
    if (peer !== undefined) e.peerNode = peer;
  }

  /**
   * A client span with a database name attribute is a database call: it completes the edge alone,
   * with the server named by its attributes (EdgeAttributes.databaseServer) and its own duration
   * as the server latency.
   */
  private updateDatabase(e: Edge, span: SpanView): void {
    const databaseName = this.attributes.databaseName();
    if (databaseName === undefined) return;
    e.connectionType = CONNECTION_DATABASE;
    e.serverLatencySec = span.durationSeconds();
    const server = this.attributes.databaseServer(databaseName);
    if (server !== undefined) e.serverService = server;
  }

  /** A filtered span's side (root server spans have none); drops a pending counterpart at once. */
  private addDroppedSide(span: SpanView, client: boolean): void {
    const is = client ? span.spanIdStart : span.parentSpanIdStart;
    const ie = client ? span.spanIdEnd : span.parentSpanIdEnd;
    if (!client && ie === is) return;
    const key = this.key.set(span.buf, span.traceIdStart, span.traceIdEnd, is, ie);
    if (this.settler.store.addDroppedSide(client ? SIDE_CLIENT : SIDE_SERVER, key, this.now()))
      this.droppedCounterpart();
  }

  private droppedCounterpart(): void {
    this.settler.counters.droppedEdges++;
    this.discards.discard('service_graphs_filtered_counterpart', SERVICE_GRAPHS, 1);
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
    this.settler.expireOldest(nowMs, all);
    this.settler.store.expireDroppedSides(nowMs, all);
    this.drain(out);
  }

  /**
   * The ingest's end of batch: every pending edge leaves this processor, as a half for the flusher
   * to pair with halves from other batches and partitions, and so does every dropped side. A root
   * server edge can never be paired (no client span has an empty id), so it expires now, as it
   * would after `wait`: its virtual-node metrics go into this batch instead of the flusher's state.
   */
  takePending(): PendingHalves {
    const settler = this.settler;
    const store = settler.store;
    const halves: EdgeHalf[] = [];
    for (let e = store.takeExpired(0, true); e !== undefined; e = store.takeExpired(0, true)) {
      if (e.isRoot && e.clientService === '') {
        settler.expire(e);
        continue;
      }
      halves.push(halfOf(e));
      store.release(e);
    }
    const droppedSides = [...store.droppedSideEntries()].map(([side, d]) => droppedSideHalfOf(side, d));
    store.clearDroppedSides();
    return { halves, droppedSides };
  }

  drain(out: SeriesIncrement[]): void {
    this.settler.drain(out);
    const dropped = this.settler.counters.droppedSpans;
    if (dropped > this.droppedSpansLogged) {
      this.log.warn('service graphs: skipped spans, too many pending edges', {
        tenant: this.tenant.tenant,
        maxItems: this.cfg.maxItems,
        droppedSpans: dropped - this.droppedSpansLogged,
      });
      this.droppedSpansLogged = dropped;
    }
  }
}
