// How far any run has folded, recorded in the state header before each send. Between saves a
// run sends from folded positions the saved state does not have; a container that takes over
// (after a crash, or when containers alternate) starts from the last save and must refold at
// least that far before it sends, or a counter would go out lower than one already sent (which
// a Prometheus reads as a reset). It keeps folding, and holds its collections, until then.

import type { FoldPosition } from './fold-backlog.ts';

/** positionKey -> offset folded up to. */
export type Reach = ReadonlyMap<string, number>;

export function encodeReach(folded: ReadonlyMap<string, FoldPosition>): string {
  return JSON.stringify([...folded].map(([k, f]) => [k, f.cursor.offset]));
}

export function decodeReach(text: string | undefined): Reach {
  if (text === undefined || text === '') return new Map();
  try {
    const pairs = JSON.parse(text) as unknown;
    if (!Array.isArray(pairs)) return new Map();
    return new Map(
      pairs.filter(
        (p): p is [string, number] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'number',
      ),
    );
  } catch {
    // a damaged record only loses the guard, never the state
    return new Map();
  }
}

/** True when `folded` is at or past `reach` on every partition it names. */
export function reached(folded: ReadonlyMap<string, FoldPosition>, reach: Reach): boolean {
  for (const [k, offset] of reach) if ((folded.get(k)?.cursor.offset ?? -1) < offset) return false;
  return true;
}

/** True when `folded` is past what was last recorded on some partition (a new record is needed). */
export function advanced(folded: ReadonlyMap<string, FoldPosition>, recorded: Reach): boolean {
  for (const [k, f] of folded) if (f.cursor.offset > (recorded.get(k) ?? -1)) return true;
  return false;
}

/** The reach as one container sees it: what to wait for after a takeover, what it last recorded. */
export class ReachGuard {
  private holdUntil: Reach = new Map();
  private recordedReach: Reach = new Map();
  /** The reach was past the loaded save: what is refolded up to it was sent already. */
  private refoldingSent = false;

  /** After a load from the saved state, with the reach the header recorded. */
  afterLoad(folded: ReadonlyMap<string, FoldPosition>, recorded: string | undefined): void {
    this.holdUntil = decodeReach(recorded);
    this.recordedReach = this.holdUntil;
    this.refoldingSent = !reached(folded, this.holdUntil);
  }

  /**
   * Whether collections may go out. Once the refold is there, series that first appeared in it
   * count as sent, since their initial zero went out from another run: no second zero after a value.
   */
  mayCollect(folded: ReadonlyMap<string, FoldPosition>, registries: Iterable<{ markAllSent(): void }>): boolean {
    if (!reached(folded, this.holdUntil)) return false;
    this.holdUntil = new Map();
    if (this.refoldingSent) for (const r of registries) r.markAllSent();
    this.refoldingSent = false;
    return true;
  }

  /** The record to write before sending, or undefined when nothing advanced since the last one. */
  toRecord(folded: ReadonlyMap<string, FoldPosition>): string | undefined {
    return advanced(folded, this.recordedReach) ? encodeReach(folded) : undefined;
  }

  recorded(folded: ReadonlyMap<string, FoldPosition>): void {
    this.recordedReach = new Map([...folded].map(([k, f]) => [k, f.cursor.offset]));
  }
}
