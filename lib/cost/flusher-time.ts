// How long the flusher's invocation runs each minute, from the measured CPU units. One invocation a
// minute (EventBridge) stays in for every collection of its minute: collections at 0, 15, 30 and
// 45 s after it starts (Tempo's default collection_interval), each folding the deltas committed
// since the one before, then it saves and ends (lib/flush/flusher.ts run()). What it pays for is
// 45 s of mostly waiting plus the last collection's work and the save, at the memory's CPU share.

import type { UnitFigures } from './units.ts';

/** Lambda gives this much memory one full vCPU; less memory gets a proportional share. */
export const LAMBDA_MB_PER_VCPU = 1769;
export const COLLECTION_INTERVAL_MS = 15_000;
/** Collections one invocation makes before its 55 s deadline. */
export const COLLECTIONS_PER_INVOCATION = 4;
/** The flush function's timeout (infra: just under the schedule's minute). */
export const FLUSH_TIMEOUT_MS = 58_000;

export interface FlusherLoad {
  /** Deltas committed per second over all partitions. */
  readonly deltasPerSecond: number;
  /** Label sets one delta touches. */
  readonly touchedPerDelta: number;
  readonly activeLabelSets: number;
  readonly memoryMb: number;
}

export interface FlusherTime {
  /** Billed duration of one invocation (ms). */
  readonly invocationMs: number;
  /** Work of one collection slot (fold + collect + send) at this memory's CPU share (ms). */
  readonly slotWorkMs: number;
  /** The save at the end (ms). */
  readonly saveMs: number;
  /** The work does not fit the collection interval: deltas wait longer every minute. */
  readonly fallsBehind: boolean;
}

export function flusherTime(load: FlusherLoad, units: UnitFigures): FlusherTime {
  const slowdown = Math.max(1, LAMBDA_MB_PER_VCPU / load.memoryMb);
  const deltasPerSlot = (load.deltasPerSecond * COLLECTION_INTERVAL_MS) / 1000;
  const foldMs = (deltasPerSlot * load.touchedPerDelta * units.flushFoldUsPerTouchedLabelSet) / 1000;
  const collectMs = (load.activeLabelSets * units.flushCollectUsPerLabelSet) / 1000;
  const slotWorkMs = (foldMs + collectMs) * slowdown;
  const saveMs = ((load.activeLabelSets * units.flushSaveUsPerLabelSet) / 1000) * slowdown;
  // a slot that outlasts the interval delays the next one: the invocation then runs into its deadline
  const waited = (COLLECTIONS_PER_INVOCATION - 1) * Math.max(COLLECTION_INTERVAL_MS, slotWorkMs);
  const invocationMs = units.flushIdleMs + waited + slotWorkMs + saveMs;
  return {
    invocationMs: Math.min(invocationMs, FLUSH_TIMEOUT_MS),
    slotWorkMs,
    saveMs,
    fallsBehind: invocationMs > FLUSH_TIMEOUT_MS || slotWorkMs > COLLECTION_INTERVAL_MS,
  };
}

/**
 * The same minute's work without the waits: what one invocation per collection (a 15 s scheduler)
 * or one invocation a minute sending the minute's four collections would bill.
 */
export function flusherWorkOnlyMs(load: FlusherLoad, units: UnitFigures): number {
  const t = flusherTime(load, units);
  return units.flushIdleMs + COLLECTIONS_PER_INVOCATION * t.slotWorkMs + t.saveMs;
}
