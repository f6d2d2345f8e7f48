// The flusher's tier of service-graph pairing: the halves every ingest batch left unpaired meet
// here, across batches, invocations and partitions. A half waits at most max_items deep; expire()
// settles those older than `wait` as virtual-node edges or expired edges (EdgeSettler). Decisions
// depend on the halves' arrival times (Kafka record timestamps) and the clock passed to expire(),
// never on the order partitions are folded in.

import type { TenantConfig } from '../../config/types.ts';
import type { SeriesIncrement } from '../../series/types.ts';
import type { ServiceGraphsCounters } from '../../servicegraph-model/counters.ts';
import { type DroppedSideHalf, type EdgeHalf, SIDE_CLIENT, SIDE_SERVER } from '../../servicegraph-model/half.ts';
import type { PendingEdgesSnapshot } from '../../servicegraph-model/saved.ts';
import type { DiscardCounter } from '../processor.ts';
import { KeyProbe, tooFarApart } from './edge.ts';
import { combine, droppedSideHalfOf, halfOf, loadHalf } from './edge-half.ts';
import { EdgeSettler } from './edge-settler.ts';
import { restoreCounters, savedCounters, savedDroppedSide, savedHalf, savedHalves } from './saved-halves.ts';

export class HalfPairing {
  private readonly settler: EdgeSettler;
  private readonly key = new KeyProbe();

  constructor(tenant: TenantConfig, discards: DiscardCounter) {
    this.settler = new EdgeSettler(tenant, discards);
  }

  get counters(): ServiceGraphsCounters {
    return this.settler.counters;
  }

  get pending(): number {
    return this.settler.store.size;
  }

  /** Pairs a half with its pending counterpart, or keeps it pending. */
  addHalf(h: EdgeHalf): void {
    const settler = this.settler;
    const store = settler.store;
    const key = this.key.setSaved(h.key, h.traceIdLength);
    let e = store.find(key);
    if (e !== undefined && tooFarApart(e.arrivalMs, h.arrivalMs, settler.cfg.waitMs)) {
      // The earlier half had expired before the later one arrived: settle it, keep the new one.
      store.delete(e);
      settler.expire(e);
      e = undefined;
    }
    if (e !== undefined) {
      combine(e, h);
      if (e.isComplete) settler.completeStored(e);
      return;
    }
    if (store.hasDroppedSide(h.side === SIDE_CLIENT ? SIDE_SERVER : SIDE_CLIENT, key)) {
      settler.counters.droppedEdges++;
      return;
    }
    e = store.acquire();
    loadHalf(e, h);
    if (!store.add(e, h.arrivalMs, key)) {
      store.release(e);
      settler.counters.droppedSpans++;
    }
  }

  /** Remembers a filtered span's side; drops a pending counterpart at once. */
  addDroppedSide(d: DroppedSideHalf): void {
    const key = this.key.setSaved(d.key, d.traceIdLength);
    if (this.settler.store.addDroppedSide(d.side, key, d.arrivalMs)) this.settler.counters.droppedEdges++;
  }

  /** Settles every half due at clockMs (arrival + wait, in whole seconds as Tempo) and old dropped sides. */
  expire(clockMs: number): void {
    const store = this.settler.store;
    for (const e of store.takeAllDue(clockMs)) this.settler.expire(e);
    store.expireDroppedSides(clockMs, false);
  }

  /** Appends the increments of the edges completed or expired since the last drain. */
  drain(out: SeriesIncrement[]): void {
    this.settler.drain(out);
  }

  snapshot(): PendingEdgesSnapshot {
    const store = this.settler.store;
    const halves = [...store.pendingEdges()].map((e) => savedHalf(halfOf(e)));
    const droppedSides = [...store.droppedSideEntries()].map(([side, d]) =>
      savedDroppedSide(droppedSideHalfOf(side, d)),
    );
    return { halves, droppedSides, counters: savedCounters(this.counters) };
  }

  /** Loads a snapshot into an empty pairing (the halves in it were already unpaired). */
  restore(s: PendingEdgesSnapshot): void {
    for (const d of s.droppedSides) this.addDroppedSide({ ...d, key: Buffer.from(d.key, 'base64') });
    for (const h of savedHalves(s.halves)) this.addHalf(h);
    restoreCounters(this.counters, s.counters);
  }
}
