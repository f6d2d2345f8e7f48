// Bounds lists seen by earlier decodes, by content: every delta of a tenant carries the same few
// lists, and handing out one array for them lets the registry compare bounds by identity (no
// element-wise check per histogram increment) and keep one array per metric. Bounds arrays are
// never mutated (see lib/series/classic-series.ts). Bounded: forgotten when full.
const SHARED_BOUNDS_MAX = 256;
const sharedBounds = new Map<string, readonly number[]>();

/** The array handed out for bounds with this boundsKey (payload-format.ts): the first one seen. */
export function sharedBoundsFor(key: string, bounds: readonly number[]): readonly number[] {
  const shared = sharedBounds.get(key);
  if (shared !== undefined) return shared;
  if (sharedBounds.size >= SHARED_BOUNDS_MAX) sharedBounds.clear();
  sharedBounds.set(key, bounds);
  return bounds;
}
