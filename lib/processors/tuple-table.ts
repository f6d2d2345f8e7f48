// A hash table keyed by fixed-width tuples of small integers (label-value ids), so the per-span
// series lookup hashes a few numbers instead of building and hashing a string key.

export class TupleTable<T> {
  private keys: Int32Array;
  private slots: Int32Array;
  private values: T[] = [];

  constructor(private readonly width: number) {
    this.keys = new Int32Array(64 * Math.max(1, width));
    this.slots = new Int32Array(128).fill(-1);
  }

  get size(): number {
    return this.values.length;
  }

  /** The value stored for tuple[0..width), or undefined. */
  get(tuple: Int32Array): T | undefined {
    const i = this.find(tuple, hashTuple(tuple, this.width));
    return i < 0 ? undefined : this.values[i];
  }

  /** Stores value for a tuple that get() just reported missing. */
  add(tuple: Int32Array, value: T): void {
    const w = this.width;
    const index = this.values.length;
    if ((index + 1) * w > this.keys.length) {
      const keys = new Int32Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
    }
    for (let k = 0; k < w; k++) this.keys[index * w + k] = tuple[k];
    this.values.push(value);
    if ((index + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.slots[this.freeSlot(hashTuple(tuple, w))] = index;
  }

  valuesInOrder(): readonly T[] {
    return this.values;
  }

  clear(): void {
    this.values = [];
    this.slots.fill(-1);
  }

  private find(tuple: Int32Array, h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    const w = this.width;
    const keys = this.keys;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const i = slots[slot];
      if (i < 0) return -1;
      let k = 0;
      const base = i * w;
      while (k < w && keys[base + k] === tuple[k]) k++;
      if (k === w) return i;
    }
  }

  private freeSlot(h: number): number {
    const mask = this.slots.length - 1;
    let slot = h & mask;
    while (this.slots[slot] >= 0) slot = (slot + 1) & mask;
    return slot;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size).fill(-1);
    const w = this.width;
    for (let i = 0; i < this.values.length; i++) {
      this.slots[this.freeSlot(hashTuple(this.keys.subarray(i * w, i * w + w), w))] = i;
    }
  }
}

function hashTuple(tuple: Int32Array, width: number): number {
  let h = 0x9e3779b9 | 0;
  for (let k = 0; k < width; k++) {
    h = Math.imul(h ^ tuple[k], 0x85ebca6b);
    h ^= h >>> 13;
  }
  return h;
}
