// The registry's series, indexed by label set (entity) and then by metric name.
//
// Why by entity: the flusher folds deltas whose increments come in groups of one label set
// (calls, latency and size of one span label set share it). Through the entity a batch builds and
// hashes each label set's key once, and each increment then only finds its metric name among the
// entity's few series. Holding no key per series also keeps the index small: one map entry and one
// key string per label set, not per series.
//
// Order: entities in creation order, each entity's series in creation order. Collections,
// snapshots and stale sweeps all walk this order, and a restored registry keeps it.

import { Entity, type SeriesState } from './series-state.ts';
import type { Labels } from './types.ts';

export class SeriesIndex {
  private readonly byKey = new Map<string, Entity>();
  /** One string per metric name, so all series of a metric share it. */
  private readonly names = new Map<string, string>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The series of metric `name` over the label set whose key is `entityKey` (seriesKey('', labels)). */
  find(entityKey: string, name: string): SeriesState | undefined {
    return this.byKey.get(entityKey)?.find(name);
  }

  /** The label set's entity, for repeated finds within a batch (undefined: none yet). */
  entity(entityKey: string): Entity | undefined {
    return this.byKey.get(entityKey);
  }

  /** The label set's entity, created with `labels` if it has none yet. */
  ensureEntity(entityKey: string, labels: Labels): Entity {
    let e = this.byKey.get(entityKey);
    if (e === undefined) this.byKey.set(entityKey, (e = new Entity(entityKey, labels)));
    return e;
  }

  /** The shared string of a metric name. */
  name(name: string): string {
    let shared = this.names.get(name);
    if (shared === undefined) this.names.set(name, (shared = name));
    return shared;
  }

  /** Adds s to its entity, replacing a series of the same name there. */
  add(s: SeriesState): void {
    const e = s.entity;
    const i = e.series.findIndex((other) => other.name === s.name);
    if (i >= 0) {
      e.series = e.series.map((other, j) => (j === i ? s : other));
      return;
    }
    e.series = e.series.concat([s]); // exact size (a spread or push leaves room for more)
    this.count++;
  }

  delete(s: SeriesState): void {
    const e = s.entity;
    if (!e.series.includes(s)) return;
    e.series = e.series.filter((other) => other !== s);
    this.count--;
    if (e.series.length === 0 && this.byKey.get(e.key) === e) this.byKey.delete(e.key);
  }

  clear(): void {
    this.byKey.clear();
    this.names.clear();
    this.count = 0;
  }

  /** Every series in order; `each` must not add or delete series. */
  forEach(each: (s: SeriesState) => void): void {
    for (const e of this.byKey.values()) {
      const series = e.series;
      for (let i = 0; i < series.length; i++) each(series[i]);
    }
  }

  /** The label sets in order (each with its series), for a walk that pauses between them. */
  entities(): IterableIterator<Entity> {
    return this.byKey.values();
  }

  /** Deletes, in order, every series `remove` returns true for. */
  deleteWhere(remove: (s: SeriesState) => boolean): void {
    for (const e of this.byKey.values()) {
      const before = e.series.length;
      const kept = e.series.filter((s) => !remove(s));
      if (kept.length === before) continue;
      this.count -= before - kept.length;
      e.series = kept;
      if (kept.length === 0) this.byKey.delete(e.key);
    }
  }

  /** `each` of every series, in order. */
  map<T>(each: (s: SeriesState) => T): T[] {
    const out: T[] = [];
    this.forEach((s) => {
      out.push(each(s));
    });
    return out;
  }
}
