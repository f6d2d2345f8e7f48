// Cuts one tenant's collection into requests of bounded size (queue_config.max_samples_per_send).
//
// Size unit: like Prometheus' queue manager, every float sample, native histogram sample and
// exemplar counts as one. A series goes into a request whole when it fits anywhere; only a series
// heavier than the limit on its own is cut, into consecutive pieces (samples and histograms oldest
// first, then its exemplars) in consecutive requests, so sending the requests in order never sends
// a sample of a series before an older one.

import type { CollectedSeries } from '../series/collected.ts';

/** Samples + native histograms + exemplars of one series: what max_samples_per_send counts. */
export function seriesWeight(s: CollectedSeries): number {
  return s.samples.length + (s.histograms?.length ?? 0) + s.exemplars.length;
}

/**
 * Requests in send order, each weighing at most maxSamplesPerSend. Series that carry nothing
 * (no samples, histograms or exemplars) are left out.
 */
export function splitRequests(series: readonly CollectedSeries[], maxSamplesPerSend: number): CollectedSeries[][] {
  if (!Number.isInteger(maxSamplesPerSend) || maxSamplesPerSend < 1) {
    throw new RangeError(`maxSamplesPerSend must be a positive integer, got ${maxSamplesPerSend}`);
  }
  const requests: CollectedSeries[][] = [];
  let current: CollectedSeries[] = [];
  let used = 0;
  const flush = () => {
    if (current.length > 0) requests.push(current);
    current = [];
    used = 0;
  };
  for (const s of series) {
    const weight = seriesWeight(s);
    if (weight === 0) continue;
    if (weight <= maxSamplesPerSend) {
      if (used + weight > maxSamplesPerSend) flush();
      current.push(s);
      used += weight;
      continue;
    }
    // Too heavy for any request: fill the current request's room, then whole requests.
    if (used === maxSamplesPerSend) flush();
    for (const piece of cutSeries(s, maxSamplesPerSend - used, maxSamplesPerSend)) {
      current.push(piece);
      used += seriesWeight(piece);
      if (used === maxSamplesPerSend) flush();
    }
  }
  flush();
  return requests;
}

/** Pieces of s: the first weighs at most firstRoom (> 0), the others at most room. */
function cutSeries(s: CollectedSeries, firstRoom: number, room: number): CollectedSeries[] {
  const histograms = s.histograms ?? [];
  const total = seriesWeight(s);
  const pieces: CollectedSeries[] = [];
  let at = 0;
  let budget = firstRoom;
  while (at < total) {
    const end = Math.min(total, at + budget);
    pieces.push(slicePiece(s, histograms, at, end));
    at = end;
    budget = room;
  }
  return pieces;
}

/** Units [from, to) of the sequence samples ++ histograms ++ exemplars. */
function slicePiece(
  s: CollectedSeries,
  histograms: NonNullable<CollectedSeries['histograms']>,
  from: number,
  to: number,
): CollectedSeries {
  const n1 = s.samples.length;
  const n2 = n1 + histograms.length;
  const piece: CollectedSeries = {
    labels: s.labels,
    samples: s.samples.slice(Math.min(from, n1), Math.min(to, n1)),
    exemplars: s.exemplars.slice(Math.max(from - n2, 0), Math.max(to - n2, 0)),
    ...(s.histograms !== undefined && {
      histograms: histograms.slice(clamp(from - n1, histograms.length), clamp(to - n1, histograms.length)),
    }),
  };
  return piece;
}

function clamp(i: number, max: number): number {
  return Math.min(Math.max(i, 0), max);
}
