// Sequences of small integers (dictionary references) -> dense ids, in insertion order. Finds a
// label set or a label-name list by content without building a string key per lookup.

interface TrieNode {
  id: number;
  next: Map<number, TrieNode> | undefined;
}

export class RefTrie {
  private readonly root: TrieNode = { id: -1, next: undefined };
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Id of the sequence keys[0..n), or -1. */
  find(keys: readonly number[], n: number): number {
    let node: TrieNode | undefined = this.root;
    for (let i = 0; i < n && node !== undefined; i++) node = node.next?.get(keys[i]);
    return node === undefined ? -1 : node.id;
  }

  /** Adds keys[0..n) and returns its new id, or the existing id as -(id + 2) if it is already there. */
  add(keys: readonly number[], n: number): number {
    let node = this.root;
    for (let i = 0; i < n; i++) {
      let next = node.next;
      if (next === undefined) node.next = next = new Map();
      let child = next.get(keys[i]);
      if (child === undefined) {
        child = { id: -1, next: undefined };
        next.set(keys[i], child);
      }
      node = child;
    }
    if (node.id >= 0) return -(node.id + 2);
    node.id = this.count++;
    return node.id;
  }
}

/** Dictionary references stay below this so a (name, value) pair packs into one safe integer. */
export const MAX_DICTIONARY_SIZE = 2 ** 26;

/** One trie key for a (label name ref, label value ref) pair. */
export function pairKey(nameRef: number, valueRef: number): number {
  return nameRef * MAX_DICTIONARY_SIZE + valueRef;
}
