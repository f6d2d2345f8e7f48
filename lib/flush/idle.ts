// When the flusher may end its invocation early: an idle stack then pays for a short invocation a
// minute instead of a full one, and the next scheduled invocation folds whatever arrived.

import type { HalfPairing } from '../processors/servicegraphs/half-pairing.ts';
import type { Registry } from '../series/registry.ts';

/**
 * Nothing to send until new deltas come: no series in any registry (all stale and removed, or
 * none yet), no service-graph half waiting to pair or expire, no partition left behind.
 */
export function nothingToSend(
  registries: ReadonlyMap<string, Registry>,
  pairings: ReadonlyMap<string, HalfPairing>,
  behind: ReadonlyMap<string, number>,
): boolean {
  if (behind.size > 0) return false;
  for (const r of registries.values()) if (r.size > 0) return false;
  for (const p of pairings.values()) if (p.pending > 0) return false;
  return true;
}
