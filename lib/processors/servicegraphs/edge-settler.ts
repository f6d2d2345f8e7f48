// What both service-graph pairing tiers do once an edge is decided: a complete edge records its
// metrics, an edge that waited `wait` in vain becomes a virtual-node edge or counts as expired
// (Tempo's onComplete and onExpire: modules/generator/processor/servicegraphs/servicegraphs.go),
// and drain() hands the batch's increments on and returns the edges to the store's pool. The
// in-batch processor and the flusher's HalfPairing each own one, with its store and counters.

import type { ServiceGraphsConfig, TenantConfig } from '../../config/types.ts';
import { spanKindName } from '../../decode/span-view.ts';
import { StringInterner } from '../../decode/utf8.ts';
import type { SeriesIncrement } from '../../series/types.ts';
import { ServiceGraphsCounters } from '../../servicegraph-model/counters.ts';
import { internerFull } from '../interning.ts';
import type { DiscardCounter } from '../processor.ts';
import { type DimensionPlan, dimensionPlan } from './dimensions.ts';
import type { Edge } from './edge.ts';
import { EdgeMetrics } from './edge-metrics.ts';
import { EdgeStore } from './edge-store.ts';
import { resolveVirtualNode } from './virtual-node.ts';

export const SERVICE_GRAPHS = 'service-graphs';

export class EdgeSettler {
  readonly counters = new ServiceGraphsCounters();
  readonly cfg: ServiceGraphsConfig;
  readonly plan: DimensionPlan;
  readonly store: EdgeStore;
  /** Strings of this tier's edges, interned for the metrics' series tuples. */
  readonly strings = new StringInterner();
  private readonly metrics: EdgeMetrics;
  /** Settled edges whose key bytes back exemplars until the next drain. */
  private retired: Edge[] = [];

  constructor(tenant: TenantConfig, discards: DiscardCounter) {
    const cfg = tenant.serviceGraphs;
    if (cfg === undefined) throw new Error(`tenant ${tenant.tenant} has no service graphs`);
    this.cfg = cfg;
    this.plan = dimensionPlan(cfg);
    this.store = new EdgeStore(cfg.maxItems, cfg.waitMs, this.plan.slots);
    this.metrics = new EdgeMetrics(tenant, this.plan, this.strings, discards, SERVICE_GRAPHS);
  }

  /**
   * Records a complete edge that is not stored, with the exemplar trace id in
   * traceBuf[traceStart, traceEnd) (left unchanged until drain), and returns it to the pool.
   */
  completeWith(e: Edge, traceBuf: Uint8Array, traceStart: number, traceEnd: number): void {
    this.metrics.record(e, traceBuf, traceStart, traceEnd);
    this.store.release(e);
  }

  /** Records a stored edge that just became complete (its own key is the exemplar) and unlinks it. */
  completeStored(e: Edge): void {
    this.metrics.record(e, e.keyBuf, 0, e.traceLen);
    this.store.delete(e);
    this.retired.push(e);
  }

  /** Settles an unlinked edge that waited in vain: a virtual-node edge where the span says who, else expired. */
  expire(e: Edge): void {
    if (resolveVirtualNode(e, this.plan.virtualNodeSlot)) {
      this.metrics.record(e, e.keyBuf, 0, e.traceLen);
      this.retired.push(e);
      return;
    }
    this.counters.countExpired(spanKindName(e.spanKind));
    this.store.release(e);
  }

  /** Expires the stored edges due at nowMs, oldest first, up to the first one not due (all with `all`). */
  expireOldest(nowMs: number, all: boolean): void {
    for (let e = this.store.takeExpired(nowMs, all); e !== undefined; e = this.store.takeExpired(nowMs, all))
      this.expire(e);
  }

  /** Appends the increments of the edges completed or expired since the last drain. */
  drain(out: SeriesIncrement[]): void {
    this.metrics.drain(out);
    for (const e of this.retired) this.store.release(e);
    this.retired = [];
    if (internerFull(this.strings, this.metrics.cachedLabelSets)) this.metrics.clearLabelCache();
  }
}
