// The registry's per-series state, and its plain-data snapshot form. The flusher persists the
// registry and restores it in another invocation, so everything that affects what is sent next
// -- cumulative values, which initial zeros were already sent, native reset timers -- lives here
// and round-trips through snapshot(). Pending exemplars do not: a collection forgets them once
// sent (Tempo: modules/generator/registry/histogram.go), the flusher collects after its last fold,
// and exemplars were most of the saved bytes. Snapshots written with exemplars still restore them.

import type { Label } from './types.ts';
import type { NativeState } from './native-series.ts';
import type { LabelPipelineSnapshot } from './label-pipeline.ts';
import { holdExemplar } from './classic-exemplars.ts';
import {
  ClassicState,
  CounterState,
  GaugeState,
  HistogramState,
  type Entity,
  type SeriesState,
} from './series-state.ts';

// ---- snapshot (JSON-shaped: Maps become [index, count] pairs, undefined becomes null) ----
// Numbers may be NaN or +-Infinity (e.g. the sum after a NaN observation): a persistence
// encoding must keep them; plain JSON.stringify would turn them into null.

export interface ExemplarSnapshot {
  traceId: string;
  value: number;
}

export interface ClassicSnapshot {
  bounds: number[];
  counts: number[];
  sum: number;
  count: number;
  /** Only in snapshots saved before exemplars were left out. */
  exemplars?: (ExemplarSnapshot | null)[];
  zeroSent: boolean;
}

export interface NativeSnapshot {
  schema: number;
  zeroThreshold: number;
  zeroCount: number;
  positive: [number, number][];
  negative: [number, number][];
  count: number;
  sum: number;
  /** Only in snapshots saved before exemplars were left out. */
  exemplar?: ExemplarSnapshot | null;
  lastResetMs: number;
  resetScheduled: boolean;
  zeroSent: boolean;
  configKey: string;
}

interface CommonSnapshot {
  name: string;
  labels: Label[];
  lastUpdatedMs: number;
  overflow: boolean;
}

export type SeriesSnapshot =
  | (CommonSnapshot & { type: 'counter'; value: number; zeroSent: boolean })
  | (CommonSnapshot & { type: 'gauge'; value: number; sent: boolean })
  | (CommonSnapshot & { type: 'histogram'; classic: ClassicSnapshot | null; native: NativeSnapshot | null });

export interface RegistrySnapshot {
  version: 1;
  /** Latest timestamp the registry has sent (collections and staleness markers). */
  lastSentMs: number;
  seriesLimitedTotal: number;
  /** Recently removed series key -> timestamp of its staleness marker. */
  tombstones: [string, number][];
  series: SeriesSnapshot[];
  /** Drain clusters and per-label estimates (absent when those controls never ran). */
  cardinality?: LabelPipelineSnapshot;
}

export function snapshotSeries(s: SeriesState): SeriesSnapshot {
  const common: CommonSnapshot = {
    name: s.name,
    labels: s.labels.map((l) => ({ name: l.name, value: l.value })),
    lastUpdatedMs: s.lastUpdatedMs,
    overflow: s.overflow,
  };
  switch (s.type) {
    case 'counter':
      return { ...common, type: 'counter', value: s.value, zeroSent: s.zeroSent };
    case 'gauge':
      return { ...common, type: 'gauge', value: s.value, sent: s.sent };
    case 'histogram':
      return {
        ...common,
        type: 'histogram',
        classic: s.classic === undefined ? null : snapshotClassic(s.classic),
        native: s.native === undefined ? null : snapshotNative(s.native),
      };
  }
}

/** Rebuilds a series of `entity` (the registry finds it by the labels); cost is derived by the registry. */
export function restoreSeries(snap: SeriesSnapshot, entity: Entity, name: string): SeriesState {
  let s: SeriesState;
  switch (snap.type) {
    case 'counter': {
      const c = new CounterState(entity, name, snap.overflow);
      c.value = snap.value;
      c.zeroSent = snap.zeroSent;
      s = c;
      break;
    }
    case 'gauge': {
      const g = new GaugeState(entity, name, snap.overflow);
      g.value = snap.value;
      g.sent = snap.sent;
      s = g;
      break;
    }
    case 'histogram': {
      const h = new HistogramState(entity, name, snap.overflow);
      if (snap.classic !== null) h.classic = restoreClassic(snap.classic);
      if (snap.native !== null) h.native = restoreNative(snap.native);
      s = h;
      break;
    }
  }
  s.lastUpdatedMs = snap.lastUpdatedMs;
  return s;
}

function snapshotClassic(c: ClassicState): ClassicSnapshot {
  return {
    bounds: [...c.bounds],
    counts: [...c.counts],
    sum: c.sum,
    count: c.count,
    zeroSent: c.zeroSent,
  };
}

function restoreClassic(c: ClassicSnapshot): ClassicState {
  const state = new ClassicState([...c.bounds], [...c.counts], c.sum, c.count, c.zeroSent);
  for (let i = 0; i < c.counts.length; i++) {
    const e = c.exemplars?.[i];
    if (e !== undefined && e !== null) holdExemplar(state, i, e.traceId, e.value);
  }
  return state;
}

function snapshotNative(n: NativeState): NativeSnapshot {
  const h = n.hist;
  return {
    schema: h.schema,
    zeroThreshold: h.zeroThreshold,
    zeroCount: h.zeroCount,
    positive: [...h.positive].sort((a, b) => a[0] - b[0]),
    negative: [...h.negative].sort((a, b) => a[0] - b[0]),
    count: h.count,
    sum: h.sum,
    lastResetMs: n.lastResetMs,
    resetScheduled: n.resetScheduled,
    zeroSent: n.zeroSent,
    configKey: n.configKey,
  };
}

function restoreNative(n: NativeSnapshot): NativeState {
  const state: NativeState = {
    hist: {
      schema: n.schema,
      zeroThreshold: n.zeroThreshold,
      zeroCount: n.zeroCount,
      positive: new Map(n.positive),
      negative: new Map(n.negative),
      count: n.count,
      sum: n.sum,
    },
    lastResetMs: n.lastResetMs,
    resetScheduled: n.resetScheduled,
    zeroSent: n.zeroSent,
    configKey: n.configKey,
  };
  if (n.exemplar !== undefined && n.exemplar !== null)
    state.hist.exemplar = { traceId: n.exemplar.traceId, value: n.exemplar.value };
  return state;
}
