// How long a processor keeps interned strings and the label sets built from them across batches:
// interned ids are small numbers that series tuples are keyed by, so the label caches go when the
// interner starts over.

import type { StringInterner } from '../decode/utf8.ts';

/** Interned strings (and cached label sets) kept across batches before both start over. */
export const MAX_INTERNED = 1 << 16;

/** Starts the interner over once it holds MAX_INTERNED strings; true when the label cache must go too. */
export function internerFull(strings: StringInterner, cachedLabelSets: number): boolean {
  return strings.resetIfOver(MAX_INTERNED) || cachedLabelSets > MAX_INTERNED;
}
