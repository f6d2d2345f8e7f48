// The clock by which the flusher settles pending service-graph halves that waited `wait` in vain.
// It is the latest record time folded, so halves whose counterpart is in a backlog not yet folded
// keep waiting, or the wall clock minus IDLE_EXPIRY_LAG_MS when records stopped coming.

/**
 * Pending service-graph halves expire by the latest record time folded, so a backlog folded late
 * still pairs; when no newer records come, by the wall clock minus this much.
 */
export const IDLE_EXPIRY_LAG_MS = 60_000;

/**
 * `dataClockMs`: the latest record time folded; `behind`: the partitions the last fold left
 * behind, with the record time reached on each. While partitions are behind (a backlog cut by the
 * deadline), halves wait for the partition furthest behind in record time: their counterparts
 * may be in its unfolded deltas.
 */
export function halvesExpiryClock(dataClockMs: number, behind: ReadonlyMap<string, number>, nowMs: number): number {
  if (behind.size === 0) return Math.max(dataClockMs, nowMs - IDLE_EXPIRY_LAG_MS);
  let clock = dataClockMs;
  for (const reached of behind.values()) if (reached < clock) clock = reached;
  return clock;
}
