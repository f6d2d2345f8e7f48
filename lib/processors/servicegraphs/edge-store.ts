// Pending service-graph edges (Tempo: modules/generator/processor/servicegraphs/store/store.go):
// edges seen from one side only, waiting for the other
// side until `wait` has passed, at most max_items of them, oldest first. Plus the "dropped side"
// cache of spans the filter policies removed, so their counterparts are dropped too (Tempo's droppedSpanSide).
// Times are passed in (Unix ms): the store has no clock of its own.

import type { Side } from '../../servicegraph-model/half.ts';
import { DroppedSide, Edge, type KeyProbe, unixSeconds } from './edge.ts';
import { KeyTable } from './key-table.ts';

export class EdgeStore {
  private readonly pending = new KeyTable<Edge>();
  private head: Edge | undefined = undefined;
  private tail: Edge | undefined = undefined;
  /** Released edges, reused so pairing inside a batch allocates nothing. */
  private readonly pool: Edge[] = [];
  /** Dropped sides by side (SIDE_CLIENT, SIDE_SERVER). */
  private readonly dropped = [new KeyTable<DroppedSide>(), new KeyTable<DroppedSide>()];
  private readonly droppedPool: DroppedSide[] = [];
  /** Dropped-side insertions skipped because that cache held max_items entries. */
  droppedSideOverflows = 0;

  constructor(
    private readonly maxItems: number,
    private readonly waitMs: number,
    private readonly dimensionSlots: number,
  ) {}

  /** Pending edges. */
  get size(): number {
    return this.pending.size;
  }

  get droppedSides(): number {
    return this.dropped[0].size + this.dropped[1].size;
  }

  find(key: KeyProbe): Edge | undefined {
    return this.pending.get(key);
  }

  /** A cleared edge, without a key until it is stored (most complete at once and never need one). */
  acquire(): Edge {
    const e = this.pool.pop() ?? new Edge(this.dimensionSlots);
    e.clear();
    return e;
  }

  /** Returns an edge that is neither stored nor referenced any more to the pool. */
  release(e: Edge): void {
    if (this.pool.length < this.maxItems) this.pool.push(e);
  }

  /**
   * Stores a new incomplete edge under this key, expiring at (nowMs + wait) truncated to whole
   * seconds as Tempo does; false when max_items edges are already pending (the caller drops it).
   */
  add(e: Edge, nowMs: number, key: KeyProbe): boolean {
    if (this.pending.size >= this.maxItems) return false;
    e.setKey(key);
    e.arrivalMs = nowMs;
    e.expirationSec = unixSeconds(nowMs + this.waitMs);
    e.prev = this.tail;
    e.next = undefined;
    if (this.tail !== undefined) this.tail.next = e;
    else this.head = e;
    this.tail = e;
    this.pending.add(e);
    return true;
  }

  /** Unlinks a stored edge (the caller releases it when done with it). */
  delete(e: Edge): void {
    this.pending.remove(e);
    if (e.prev !== undefined) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next !== undefined) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = e.next = undefined;
  }

  /**
   * The oldest pending edge if it is due at nowMs (or any, with `all`), unlinked; undefined when
   * none. Like Tempo, it stops at the first edge that is not due: edges are stored in time order.
   */
  takeExpired(nowMs: number, all: boolean): Edge | undefined {
    const e = this.head;
    if (e === undefined || (!all && unixSeconds(nowMs) < e.expirationSec)) return undefined;
    this.delete(e);
    return e;
  }

  /**
   * Unlinks and returns every pending edge due at nowMs, scanning them all: in the flusher, edges
   * are stored in fold order, which is not arrival order across partitions.
   */
  takeAllDue(nowMs: number): Edge[] {
    const due: Edge[] = [];
    const nowSec = unixSeconds(nowMs);
    for (let e = this.head; e !== undefined; ) {
      const next = e.next;
      if (nowSec >= e.expirationSec) {
        this.delete(e);
        due.push(e);
      }
      e = next;
    }
    return due;
  }

  /** Every pending edge, oldest first (not unlinked). */
  *pendingEdges(): IterableIterator<Edge> {
    for (let e = this.head; e !== undefined; e = e.next) yield e;
  }

  /** Every dropped side, by side (not removed). */
  *droppedSideEntries(): IterableIterator<[Side, DroppedSide]> {
    for (const side of [0, 1] as const) {
      const found: DroppedSide[] = [];
      this.dropped[side].forEach((d) => {
        found.push(d);
      });
      for (const d of found) yield [side, d];
    }
  }

  /** Forgets every dropped side. */
  clearDroppedSides(): void {
    this.expireDroppedSides(0, true);
  }

  hasDroppedSide(side: Side, key: KeyProbe): boolean {
    return this.dropped[side].get(key) !== undefined;
  }

  /**
   * Records a filtered span's side for `wait` (refreshing an existing entry). A pending edge with
   * this key from the other side is deleted at once; true when that happened.
   */
  addDroppedSide(side: Side, key: KeyProbe, nowMs: number): boolean {
    let droppedCounterpart = false;
    const pending = this.pending.get(key);
    if (pending !== undefined && pending.side !== side) {
      this.delete(pending);
      this.release(pending);
      droppedCounterpart = true;
    }
    const table = this.dropped[side];
    const existing = table.get(key);
    if (existing !== undefined) {
      existing.arrivalMs = nowMs;
      existing.expiresAtMs = nowMs + this.waitMs;
      return droppedCounterpart;
    }
    if (this.droppedSides >= this.maxItems) {
      this.droppedSideOverflows++;
      return droppedCounterpart;
    }
    const d = this.droppedPool.pop() ?? new DroppedSide();
    d.setKey(key);
    d.arrivalMs = nowMs;
    d.expiresAtMs = nowMs + this.waitMs;
    table.add(d);
    return droppedCounterpart;
  }

  /** Forgets dropped sides older than `wait` (all of them with `all`). */
  expireDroppedSides(nowMs: number, all: boolean): void {
    for (const table of this.dropped) {
      if (table.size === 0) continue;
      table.forEach((d) => {
        if (all || nowMs >= d.expiresAtMs) {
          table.remove(d);
          if (this.droppedPool.length < this.maxItems) this.droppedPool.push(d);
        }
      });
    }
  }
}
