// One series to its snapshot and back, through its metric type (metric-types.ts).

import { metricType } from './metric-types.ts';
import type { SeriesSnapshot } from './registry-state.ts';
import type { RestoreSharing } from './restore-sharing.ts';
import type { Entity, SeriesState } from './series-state.ts';

export function snapshotSeries(s: SeriesState): SeriesSnapshot {
  const common = {
    name: s.name,
    labels: s.labels.map((l) => ({ name: l.name, value: l.value })),
    lastUpdatedMs: s.lastUpdatedMs,
    overflow: s.overflow,
  };
  return metricType(s.type).snapshot(s, common);
}

/** Rebuilds a series of `entity` (the registry finds it by the labels), its cost included. */
export function restoreSeries(
  snap: SeriesSnapshot,
  entity: Entity,
  name: string,
  sharing: RestoreSharing,
): SeriesState {
  const type = metricType(snap.type);
  const s = type.create(entity, name, snap.overflow);
  type.restore(s, snap, sharing);
  s.lastUpdatedMs = snap.lastUpdatedMs;
  s.cost = type.cost(s);
  return s;
}
