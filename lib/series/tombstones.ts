// The staleness-marker times of recently removed series. A series removed and re-created within
// a couple of minutes would put its initial zero (end of the previous minute) before its own
// marker, which a remote-write receiver rejects: the registry moves the zero after the marker.

/** Tombstones only matter while an initial zero (at most 61 s before a collection) could reach them. */
const TOMBSTONE_TTL_MS = 2 * 60_000;

export class Tombstones {
  private readonly markedAt = new Map<string, number>();

  /** Series key -> marker time, in the order they were set. */
  entries(): IterableIterator<[string, number]> {
    return this.markedAt.entries();
  }

  set(key: string, markerMs: number): void {
    this.markedAt.set(key, markerMs);
  }

  /**
   * The marker time of the series whose key `keyOf` builds, forgotten once taken (a series key is
   * built on demand: only when there are tombstones to match).
   */
  take(keyOf: () => string): number | undefined {
    if (this.markedAt.size === 0) return undefined;
    const key = keyOf();
    const at = this.markedAt.get(key);
    if (at !== undefined) this.markedAt.delete(key);
    return at;
  }

  /** Forgets the tombstones no initial zero sent at nowMs or later can reach. */
  prune(nowMs: number): void {
    for (const [key, at] of this.markedAt) if (at < nowMs - TOMBSTONE_TTL_MS) this.markedAt.delete(key);
  }

  clear(): void {
    this.markedAt.clear();
  }
}
