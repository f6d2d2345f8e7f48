// Sequences of dictionary references (label sets, label-name lists) -> dense ids in insertion
// order, found by content. A hash of the sequence indexes a flat key store: one Map lookup per
// sequence and no per-entry objects, which matters because every new label set passes through.

export class SequenceTable {
  /** hash -> the newest id with that hash; older ones follow `chain`. */
  private readonly heads = new Map<number, number>();
  private readonly chain: number[] = [];
  /** Keys of id i are keys[starts[i] .. starts[i + 1]). */
  private readonly starts: number[] = [0];
  private readonly keys: number[] = [];

  get size(): number {
    return this.chain.length;
  }

  /** Id of the sequence seq[0..n), or -1. */
  find(seq: readonly number[], n: number): number {
    let id = this.heads.get(hashOf(seq, n));
    while (id !== undefined && id >= 0) {
      if (this.equals(id, seq, n)) return id;
      id = this.chain[id];
    }
    return -1;
  }

  /** Adds seq[0..n) and returns its new id; if it is already there, returns -(existing id + 2). */
  add(seq: readonly number[], n: number): number {
    const h = hashOf(seq, n);
    const head = this.heads.get(h);
    for (let id = head ?? -1; id >= 0; id = this.chain[id]) if (this.equals(id, seq, n)) return -(id + 2);
    const id = this.chain.length;
    this.chain.push(head ?? -1);
    this.heads.set(h, id);
    for (let i = 0; i < n; i++) this.keys.push(seq[i]);
    this.starts.push(this.keys.length);
    return id;
  }

  private equals(id: number, seq: readonly number[], n: number): boolean {
    const start = this.starts[id];
    if (this.starts[id + 1] - start !== n) return false;
    for (let i = 0; i < n; i++) if (this.keys[start + i] !== seq[i]) return false;
    return true;
  }
}

function hashOf(seq: readonly number[], n: number): number {
  let h = n | 0;
  for (let i = 0; i < n; i++) {
    const k = seq[i];
    h = Math.imul(h ^ (k >>> 0), 0x85ebca6b);
    h = Math.imul(h ^ ((k / 4294967296) | 0) ^ (h >>> 15), 0xc2b2ae35);
  }
  return h ^ (h >>> 16);
}

/** Dictionary references stay below this so a (name, value) pair packs into one safe integer. */
export const MAX_DICTIONARY_SIZE = 2 ** 26;

/** One key for a (label name ref, label value ref) pair. */
export function pairKey(nameRef: number, valueRef: number): number {
  return nameRef * MAX_DICTIONARY_SIZE + valueRef;
}
