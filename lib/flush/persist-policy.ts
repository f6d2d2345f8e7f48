// When the flusher saves its state. Saves are decoupled from invocations: deltas are retained
// for days (DELTA_TTL_DAYS), so state saved a few minutes ago plus the deltas committed since
// rebuild the same state, and a save every persist interval instead of every minute divides the
// state tier's write cost by the interval in minutes (BENCHMARKS.md, "state saves").

import { type Env, readEnv } from '../env/contract.ts';

export interface PersistView {
  /** Deltas folded or series removed since the last load or save. */
  readonly changed: boolean;
  /** Service-graph halves waiting: only a save expires them. */
  readonly pendingHalves: boolean;
  /** Clock of the last save, undefined before the first. */
  readonly savedAtMs: number | undefined;
  /** Partitions the last fold left behind (a backlog cut by the deadline). */
  readonly behind: boolean;
  readonly nowMs: number;
  readonly intervalMs: number;
}

/**
 * A save is due when the state changed and the interval has passed since the last save, or at
 * once while partitions are behind: then every run keeps its progress, and a container taking
 * over refolds at most the deltas of one interval of ordinary traffic, which its first fold
 * finishes before it collects, so it never sends a counter below what its predecessor sent. An
 * unchanged state is not saved again (an idle stack writes nothing).
 */
export function saveDue(v: PersistView): boolean {
  if (!v.changed && !v.pendingHalves) return false;
  if (v.savedAtMs === undefined || v.behind) return true;
  return v.nowMs - v.savedAtMs >= v.intervalMs;
}

/** PERSIST_INTERVAL_SECONDS in ms, validated (a bad value fails the start, naming the variable). */
export function persistIntervalFromEnv(env: Env): number {
  return readEnv(env, 'PERSIST_INTERVAL_SECONDS') * 1000;
}
