// The registry's series by key, plus a second index by label set (entity) then metric name.
//
// Why the second index: the flusher folds deltas whose increments come in groups of one label set
// (calls, latency and size of one span label set share it). Looking each increment up by its full
// key means building and hashing a fresh ~100-character string per increment; through the entity
// index a batch builds and hashes each label set's key once, and each increment then only looks up
// its metric name (a short string whose hash the decoder's shared string already carries).

import type { SeriesState } from './registry-state.ts';

export class SeriesIndex {
  private readonly byKey = new Map<string, SeriesState>();
  private readonly byEntity = new Map<string, Map<string, SeriesState>>();

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): SeriesState | undefined {
    return this.byKey.get(key);
  }

  /** The series of metric `name` over the label set whose key is `entityKey` (seriesKey('', labels)). */
  find(entityKey: string, name: string): SeriesState | undefined {
    return this.byEntity.get(entityKey)?.get(name);
  }

  /** The metrics of one label set, for repeated finds within a batch (undefined: none yet). */
  entity(entityKey: string): Map<string, SeriesState> | undefined {
    return this.byEntity.get(entityKey);
  }

  /** Adds or replaces s under s.key (a series key is its name followed by its entity key). */
  set(s: SeriesState): void {
    const entityKey = s.key.slice(s.name.length);
    const previous = this.byKey.get(s.key);
    if (previous !== undefined && previous !== s) this.delete(previous);
    this.byKey.set(s.key, s);
    let names = this.byEntity.get(entityKey);
    if (names === undefined) this.byEntity.set(entityKey, (names = new Map()));
    names.set(s.name, s);
  }

  delete(s: SeriesState): void {
    if (this.byKey.get(s.key) !== s) return;
    this.byKey.delete(s.key);
    const entityKey = s.key.slice(s.name.length);
    const names = this.byEntity.get(entityKey);
    if (names === undefined) return;
    names.delete(s.name);
    if (names.size === 0) this.byEntity.delete(entityKey);
  }

  clear(): void {
    this.byKey.clear();
    this.byEntity.clear();
  }

  values(): IterableIterator<SeriesState> {
    return this.byKey.values();
  }

  /** [key, series] in insertion order; deleting the current entry while iterating is allowed. */
  [Symbol.iterator](): IterableIterator<[string, SeriesState]> {
    return this.byKey[Symbol.iterator]();
  }
}
