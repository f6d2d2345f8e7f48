// A hash table from (trace id, span id) byte keys to entries that own a copy of their key, so a
// span's lookup hashes and compares bytes in place instead of building a string key.
// Open addressing with linear probing; deletion shifts later entries back, so no tombstones.

import type { KeyProbe } from './edge.ts';

export interface KeyedEntry {
  readonly hash: number;
  keyEquals(probe: KeyProbe): boolean;
}

export class KeyTable<T extends KeyedEntry> {
  private slots: (T | undefined)[] = new Array(64).fill(undefined);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(probe: KeyProbe): T | undefined {
    const hash = probe.hash;
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const e = slots[i];
      if (e === undefined) return undefined;
      if (e.hash === hash && e.keyEquals(probe)) return e;
    }
  }

  /** Adds an entry whose key is not in the table. */
  add(entry: T): void {
    if ((this.count + 1) * 2 > this.slots.length) this.grow();
    this.place(entry);
    this.count++;
  }

  /** Removes this very entry (found by identity). */
  remove(entry: T): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = entry.hash & mask;
    while (slots[i] !== entry) {
      if (slots[i] === undefined) return;
      i = (i + 1) & mask;
    }
    // Shift back every following entry whose probe path crosses the freed slot.
    let j = i;
    while (true) {
      j = (j + 1) & mask;
      const e = slots[j];
      if (e === undefined) break;
      const home = e.hash & mask;
      // e may move to i unless its home lies cyclically in (i, j]
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        slots[i] = e;
        i = j;
      }
    }
    slots[i] = undefined;
    this.count--;
  }

  forEach(fn: (entry: T) => void): void {
    for (const e of this.slots.slice()) if (e !== undefined) fn(e);
  }

  clear(): void {
    this.slots.fill(undefined);
    this.count = 0;
  }

  private place(entry: T): void {
    const slots = this.slots;
    const mask = slots.length - 1;
    let i = entry.hash & mask;
    while (slots[i] !== undefined) i = (i + 1) & mask;
    slots[i] = entry;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Array(old.length * 2).fill(undefined);
    for (const e of old) if (e !== undefined) this.place(e);
  }
}
