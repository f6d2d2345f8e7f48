// Pending halves and counters to and from the plain data the flusher saves with its state
// (servicegraph-model/saved.ts). A half is saved as its delta-codec record, the same bytes an
// ingest batch writes it with, so one table says what a half holds.

import { decodeStandaloneHalf, encodeStandaloneHalf } from '../../delta/records/edge-half.ts';
import type { ServiceGraphsCounters } from '../../servicegraph-model/counters.ts';
import type { DroppedSideHalf, EdgeHalf } from '../../servicegraph-model/half.ts';
import type { SavedCounters, SavedDroppedSide, SavedHalf } from '../../servicegraph-model/saved.ts';

export function savedHalf(h: EdgeHalf): SavedHalf {
  const bytes = encodeStandaloneHalf(h);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The halves of a snapshot, in either saved form (DeltaFormatError for a damaged record). */
export function* savedHalves(saved: readonly SavedHalf[]): Generator<EdgeHalf> {
  for (const h of saved) {
    if (typeof h === 'string') yield decodeStandaloneHalf(Buffer.from(h, 'base64'));
    else yield { ...h, key: Buffer.from(h.key, 'base64') };
  }
}

export function savedDroppedSide(d: DroppedSideHalf): SavedDroppedSide {
  return { ...d, key: Buffer.from(d.key).toString('base64') };
}

export function savedCounters(c: ServiceGraphsCounters): SavedCounters {
  return {
    expiredEdges: Object.fromEntries(c.expiredEdges),
    droppedSpans: c.droppedSpans,
    droppedEdges: c.droppedEdges,
  };
}

/** Replaces the counters with saved ones (zero where none were saved). */
export function restoreCounters(c: ServiceGraphsCounters, saved: SavedCounters | undefined): void {
  c.expiredEdges.clear();
  for (const [kind, n] of Object.entries(saved?.expiredEdges ?? {})) c.expiredEdges.set(kind, n);
  c.droppedSpans = saved?.droppedSpans ?? 0;
  c.droppedEdges = saved?.droppedEdges ?? 0;
}
