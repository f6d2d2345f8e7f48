// Pending halves as the flusher saves them with its state, per tenant (plain data, JSON-safe: the
// state format stores it as it is). A half is saved as the base64 of its delta-codec record
// (lib/delta/records/edge-half.ts); state saved by earlier releases holds each half as an object of
// the half's fields with a base64 key, and still loads.

import type { DroppedSideHalf, EdgeHalf } from './half.ts';

export interface PendingEdgesSnapshot {
  readonly halves: readonly SavedHalf[];
  readonly droppedSides: readonly SavedDroppedSide[];
  /** Cumulative self-monitoring counters, saved so each expiry or drop is counted once. */
  readonly counters?: SavedCounters;
}

export interface SavedCounters {
  readonly expiredEdges: Readonly<Record<string, number>>;
  readonly droppedSpans: number;
  readonly droppedEdges: number;
}

/** A half as saved: its codec record in base64, or (earlier releases) its fields with a base64 key. */
export type SavedHalf = string | LegacySavedHalf;
export type LegacySavedHalf = Omit<EdgeHalf, 'key'> & { readonly key: string };
export type SavedDroppedSide = Omit<DroppedSideHalf, 'key'> & { readonly key: string };
