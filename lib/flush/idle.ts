// When the flusher may end its invocation early: an idle stack then pays for a short invocation a
// minute instead of a full one, and the next scheduled invocation folds whatever arrived.

/**
 * Nothing to send until new deltas come: no tenant holds series (all stale and removed, or none
 * yet) or a service-graph half waiting to pair or expire, and no partition is left behind.
 */
export function nothingToSend(
  tenants: Iterable<{ readonly holdsNothing: boolean }>,
  behind: ReadonlyMap<string, number>,
): boolean {
  if (behind.size > 0) return false;
  for (const t of tenants) if (!t.holdsNothing) return false;
  return true;
}
