// Distinct-count estimate over a sliding window, as Tempo's registry keeps one for demand
// estimates and per-label limits (Tempo: modules/generator/registry/cardinality.go): a ring of
// sketches, one per 5 minutes, covering stale_duration (ceil, at least 2); advance() starts a new
// sketch and forgets the oldest, the estimate is over all of them.
//
// Tempo uses HyperLogLog sketches at precision 10 in sparse mode, which are exact for small
// counts. Here a window holds the exact set of hashes (with the newest sketch each was seen in)
// up to EXACT_LIMIT, then switches to dense HyperLogLog registers at precision 10 (3.25 %
// standard error). Inserting and estimating are O(1); advancing is O(window).

const DEFAULT_STALE_MS = 15 * 60_000;
export const SKETCH_MS = 5 * 60_000;
const EXACT_LIMIT = 256;
const P = 10;
const M = 1 << P;
const ALPHA = 0.7213 / (1 + 1.079 / M);
/** Bits of a key below the register index. */
const KEY_BITS = 53;
const TWO_21 = 0x200000;

/** A 53-bit hash of s (two 32-bit FNV-1a passes, finalized), safe as a JS number. */
export function hashKey(s: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return fmix(a) * TWO_21 + (fmix(b ^ a) & (TWO_21 - 1));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export interface CardinalitySnapshot {
  readonly slots: number;
  readonly current: number;
  readonly lastAdvanceMs: number;
  /** Exact mode: [key, slot] pairs. */
  readonly exact?: readonly (readonly [number, number])[];
  /** Dense mode: one base64 register array per slot. */
  readonly dense?: readonly string[];
}

export class WindowCardinality {
  private readonly slots: number;
  private current = 0;
  private lastAdvanceMs: number;
  private exact: Map<number, number> | undefined = new Map();
  private dense: Uint8Array[] | undefined;
  private merged: Uint8Array | undefined;
  private inverseSum = 0;
  private zeros = 0;

  constructor(staleDurationMs: number, nowMs: number) {
    // Tempo's bounds: a window of a minute or less, or shorter than one sketch, is 15 minutes.
    const stale = staleDurationMs <= 60_000 || staleDurationMs < SKETCH_MS ? DEFAULT_STALE_MS : staleDurationMs;
    this.slots = Math.max(2, Math.floor((stale + SKETCH_MS) / SKETCH_MS));
    this.lastAdvanceMs = nowMs;
  }

  insert(key: number): void {
    if (this.exact !== undefined) {
      this.exact.set(key, this.current);
      if (this.exact.size > EXACT_LIMIT) this.toDense();
      return;
    }
    this.insertDense(key, this.current);
  }

  /** Distinct keys inserted in the window. */
  estimate(): number {
    if (this.exact !== undefined) return this.exact.size;
    let e = (ALPHA * M * M) / this.inverseSum;
    if (e <= 2.5 * M && this.zeros > 0) e = M * Math.log(M / this.zeros);
    return Math.round(e);
  }

  /**
   * Tempo's Advance, called every 5 minutes: at least one step, more when more time passed
   * (at most a whole window), each forgetting the oldest sketch.
   */
  advance(nowMs: number): void {
    const elapsed = nowMs - this.lastAdvanceMs;
    const steps = Math.min(this.slots, elapsed < SKETCH_MS ? 1 : Math.floor(elapsed / SKETCH_MS));
    for (let i = 0; i < steps; i++) {
      this.current = (this.current + 1) % this.slots;
      this.lastAdvanceMs += SKETCH_MS;
      if (this.exact !== undefined) {
        for (const [key, slot] of this.exact) if (slot === this.current) this.exact.delete(key);
      } else if (this.dense !== undefined) {
        this.dense[this.current].fill(0);
      }
    }
    if (this.dense !== undefined) this.remerge();
  }

  snapshot(): CardinalitySnapshot {
    const common = { slots: this.slots, current: this.current, lastAdvanceMs: this.lastAdvanceMs };
    if (this.exact !== undefined) return { ...common, exact: [...this.exact] };
    return { ...common, dense: (this.dense ?? []).map((r) => Buffer.from(r).toString('base64')) };
  }

  static restore(s: CardinalitySnapshot, staleDurationMs: number): WindowCardinality {
    const c = new WindowCardinality(staleDurationMs, s.lastAdvanceMs);
    if (s.slots !== c.slots) return c; // stale_duration changed: start the window afresh
    c.current = s.current;
    if (s.dense !== undefined) {
      c.exact = undefined;
      c.dense = s.dense.map((b) => new Uint8Array(Buffer.from(b, 'base64')));
      if (c.dense.length !== c.slots || c.dense.some((r) => r.length !== M))
        return new WindowCardinality(staleDurationMs, s.lastAdvanceMs);
      c.remerge();
    } else {
      for (const [key, slot] of s.exact ?? []) c.exact?.set(key, slot);
    }
    return c;
  }

  private toDense(): void {
    const exact = this.exact as Map<number, number>;
    this.exact = undefined;
    this.dense = Array.from({ length: this.slots }, () => new Uint8Array(M));
    this.merged = new Uint8Array(M);
    this.inverseSum = M;
    this.zeros = M;
    for (const [key, slot] of exact) this.insertDense(key, slot);
  }

  private insertDense(key: number, slot: number): void {
    const hi = Math.floor(key / TWO_21); // 32 bits
    const index = hi >>> (32 - P);
    const rest = (hi & ((1 << (32 - P)) - 1)) * TWO_21 + (key % TWO_21); // the KEY_BITS - P low bits
    const rho = rest === 0 ? KEY_BITS - P + 1 : KEY_BITS - P - Math.floor(Math.log2(rest));
    const regs = (this.dense as Uint8Array[])[slot];
    if (rho > regs[index]) regs[index] = rho;
    const merged = this.merged as Uint8Array;
    const old = merged[index];
    if (rho > old) {
      merged[index] = rho;
      this.inverseSum += 2 ** -rho - 2 ** -old;
      if (old === 0) this.zeros--;
    }
  }

  private remerge(): void {
    const merged = new Uint8Array(M);
    for (const regs of this.dense ?? []) for (let j = 0; j < M; j++) if (regs[j] > merged[j]) merged[j] = regs[j];
    this.merged = merged;
    this.inverseSum = 0;
    this.zeros = 0;
    for (let j = 0; j < M; j++) {
      this.inverseSum += 2 ** -merged[j];
      if (merged[j] === 0) this.zeros++;
    }
  }
}
