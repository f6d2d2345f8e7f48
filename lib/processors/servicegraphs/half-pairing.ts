// The flusher's tier of service-graph pairing (docs/architecture.md): the halves every ingest batch left
// unpaired meet here, across batches, invocations and partitions. A half waits at most max_items
// deep; expire() settles those older than `wait` as virtual-node edges or expired edges (Tempo's onExpire).
// Decisions depend on the halves' arrival times (Kafka record timestamps) and the clock passed
// to expire(), never on the order partitions are folded in.

import type { ServiceGraphsConfig, TenantConfig } from '../../config/types.ts';
import { StringInterner } from '../../decode/utf8.ts';
import type { SeriesIncrement } from '../../series/types.ts';
import type { DiscardCounter } from '../processor.ts';
import { dimensionPlan, type DimensionPlan } from './dimensions.ts';
import { SIDE_CLIENT, SIDE_SERVER, hashKey, tooFarApart, type Edge } from './edge.ts';
import { combine, halfOf, loadHalf, type DroppedSideHalf, type EdgeHalf } from './edge-half.ts';
import { EdgeMetrics } from './edge-metrics.ts';
import { EdgeStore } from './edge-store.ts';
import { ServiceGraphsCounters, SERVICE_GRAPHS } from './processor.ts';
import { settleExpired } from './virtual-node.ts';

/** Pending halves and dropped sides as saved with the flusher's state (JSON-safe). */
export interface PendingEdgesSnapshot {
  readonly halves: readonly SavedHalf[];
  readonly droppedSides: readonly SavedDroppedSide[];
  /** Cumulative self-monitoring counters, saved so each expiry or drop is counted once. */
  readonly counters?: SavedCounters;
}

interface SavedCounters {
  readonly expiredEdges: Readonly<Record<string, number>>;
  readonly droppedSpans: number;
  readonly droppedEdges: number;
}

type SavedHalf = Omit<EdgeHalf, 'key'> & { readonly key: string };
type SavedDroppedSide = Omit<DroppedSideHalf, 'key'> & { readonly key: string };

/** Interned strings kept before the interner starts over (as the in-batch processor). */
const MAX_INTERNED = 1 << 16;

export class HalfPairing {
  readonly counters = new ServiceGraphsCounters();
  private readonly cfg: ServiceGraphsConfig;
  private readonly plan: DimensionPlan;
  private readonly store: EdgeStore;
  private readonly metrics: EdgeMetrics;
  private readonly strings = new StringInterner();
  /** Edges whose key bytes back exemplars until the next drain. */
  private retired: Edge[] = [];

  constructor(tenant: TenantConfig, discards: DiscardCounter) {
    this.cfg = tenant.serviceGraphs!;
    this.plan = dimensionPlan(this.cfg);
    this.store = new EdgeStore(this.cfg.maxItems, this.cfg.waitMs, this.plan.slots);
    this.metrics = new EdgeMetrics(tenant, this.plan, this.strings, discards, SERVICE_GRAPHS);
  }

  get pending(): number {
    return this.store.size;
  }

  /** Pairs a half with its pending counterpart, or keeps it pending. */
  addHalf(h: EdgeHalf): void {
    const buf = h.key;
    const tl = h.traceIdLength;
    const kl = buf.length;
    const hash = hashKey(buf, 0, tl, tl, kl);
    const store = this.store;
    let e = store.find(hash, buf, 0, tl, tl, kl);
    if (e !== undefined && tooFarApart(e.arrivalMs, h.arrivalMs, this.cfg.waitMs)) {
      // The earlier half had expired before the later one arrived: settle it, keep the new one.
      store.delete(e);
      this.expireEdge(e);
      e = undefined;
    }
    if (e !== undefined) {
      combine(e, h);
      if (e.isComplete) {
        this.metrics.record(e, e.keyBuf, 0, e.traceLen);
        store.delete(e);
        this.retired.push(e);
      }
      return;
    }
    if (store.hasDroppedSide(h.side === SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT, hash, buf, 0, tl, tl, kl)) {
      this.counters.droppedEdges++;
      return;
    }
    e = store.acquire();
    loadHalf(e, h);
    if (!store.add(e, h.arrivalMs, hash, buf, 0, tl, tl, kl)) {
      store.release(e);
      this.counters.droppedSpans++;
    }
  }

  /** Remembers a filtered span's side; drops a pending counterpart at once. */
  addDroppedSide(d: DroppedSideHalf): void {
    const tl = d.traceIdLength;
    const kl = d.key.length;
    const hash = hashKey(d.key, 0, tl, tl, kl);
    if (this.store.addDroppedSide(d.side, hash, d.key, 0, tl, tl, kl, d.arrivalMs)) this.counters.droppedEdges++;
  }

  /** Settles every half due at clockMs (arrival + wait, in whole seconds as Tempo) and old dropped sides. */
  expire(clockMs: number): void {
    for (const e of this.store.takeAllDue(clockMs)) this.expireEdge(e);
    this.store.expireDroppedSides(clockMs, false);
  }

  /** Appends the increments of the edges completed or expired since the last drain. */
  drain(out: SeriesIncrement[]): void {
    this.metrics.drain(out);
    for (const e of this.retired) this.store.release(e);
    this.retired = [];
    if (this.strings.resetIfOver(MAX_INTERNED) || this.metrics.cachedLabelSets > MAX_INTERNED)
      this.metrics.clearLabelCache();
  }

  snapshot(): PendingEdgesSnapshot {
    const halves: SavedHalf[] = [];
    for (const e of this.store.pendingEdges()) {
      const h = halfOf(e);
      halves.push({ ...h, key: Buffer.from(h.key).toString('base64') });
    }
    const droppedSides: SavedDroppedSide[] = [];
    for (const [side, d] of this.store.droppedSideEntries()) {
      droppedSides.push({
        key: Buffer.from(d.keyBuf.subarray(0, d.keyLen)).toString('base64'),
        traceIdLength: d.traceLen,
        side,
        arrivalMs: d.arrivalMs,
      });
    }
    const c = this.counters;
    const counters = {
      expiredEdges: Object.fromEntries(c.expiredEdges),
      droppedSpans: c.droppedSpans,
      droppedEdges: c.droppedEdges,
    };
    return { halves, droppedSides, counters };
  }

  /** Loads a snapshot into an empty pairing (the halves in it were already unpaired). */
  restore(s: PendingEdgesSnapshot): void {
    for (const d of s.droppedSides) this.addDroppedSide({ ...d, key: Buffer.from(d.key, 'base64') });
    for (const h of s.halves) this.addHalf({ ...h, key: Buffer.from(h.key, 'base64') });
    const c = this.counters;
    c.expiredEdges.clear();
    for (const [kind, n] of Object.entries(s.counters?.expiredEdges ?? {})) c.expiredEdges.set(kind, n);
    c.droppedSpans = s.counters?.droppedSpans ?? 0;
    c.droppedEdges = s.counters?.droppedEdges ?? 0;
  }

  private expireEdge(e: Edge): void {
    if (settleExpired(e, this.plan.virtualNodeSlot, this.metrics, this.counters)) this.retired.push(e);
    else this.store.release(e);
  }
}
