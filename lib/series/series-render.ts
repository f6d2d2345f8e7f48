// What rendering a registry series to remote-write shaped series needs, whatever its type: the
// context (external labels, exemplar label), the times of one collection, and the labels one
// time series gets (series labels overlaid by external labels, then __name__ and le). Each
// metric type renders its own time series with these (counter.ts, gauge.ts, histogram.ts).

import type { CollectedExemplar, CollectedSeries, Sample } from './collected.ts';
import { formatFloatF } from './format-float.ts';
import { overlayLabels, withLabelObject } from './labels.ts';
import type { SeriesState } from './series-state.ts';
import { staleNaN } from './stale.ts';
import type { Exemplar, Label, Labels } from './types.ts';

export interface RenderContext {
  /** Sorted external labels (incl. inject_tenant_id_as); an empty value removes the label. */
  readonly external: Labels;
  readonly traceIdLabelName: string;
}

export interface RenderTimes {
  /** Timestamp of the current values. */
  readonly atMs: number;
  /** Timestamp for initial zeros of parts not yet sent; undefined = emit none. */
  readonly zeroMs: number | undefined;
  /** Attach (and let the caller clear) pending exemplars. */
  readonly exemplars: boolean;
}

/** Receives rendered series one at a time (an array's push, or an encoder). */
export type SeriesSink = (series: CollectedSeries) => void;

// One collection renders a Label object per time series for `__name__` and `le`; the same few
// objects serve every series instead (a collection of a million series is held until sent).
export const NO_EXEMPLARS: readonly CollectedExemplar[] = Object.freeze([]);
const nameLabels = new Map<string, Map<string, Label>>();

/** The series' labels with external labels: the base of each of its time series. */
export function baseLabels(s: SeriesState, ctx: RenderContext): Labels {
  return overlayLabels(s.labels, ctx.external);
}

/** base with the `__name__` label of metric `name` plus `suffix` (_count, _sum, _bucket or ''). */
export function named(base: Labels, name: string, suffix: string): Label[] {
  return withLabelObject(base, nameLabel(name, suffix));
}

function nameLabel(name: string, suffix: string): Label {
  let bySuffix = nameLabels.get(name);
  if (bySuffix === undefined) nameLabels.set(name, (bySuffix = new Map()));
  let label = bySuffix.get(suffix);
  if (label === undefined) bySuffix.set(suffix, (label = { name: '__name__', value: name + suffix }));
  return label;
}

// Series of one metric share their bounds array, so each `le` label is made once.
const leCache = new WeakMap<readonly number[], readonly Label[]>();

/** The `le` label of bucket i over bounds (i = bounds.length: +Inf). */
export function leLabel(bounds: readonly number[], i: number): Label {
  let les = leCache.get(bounds);
  if (les === undefined) {
    les = [...bounds.map(formatFloatF), '+Inf'].map((value) => ({ name: 'le', value }));
    leCache.set(bounds, les);
  }
  return les[i];
}

/** The value, preceded by an initial zero at zeroMs unless that is undefined. */
export function withZero(zeroMs: number | undefined, value: Sample): Sample[] {
  return zeroMs === undefined ? [value] : [{ value: 0, timestampMs: zeroMs }, value];
}

export function toExemplar(e: Exemplar, ctx: RenderContext, atMs: number): CollectedExemplar {
  return { labels: [{ name: ctx.traceIdLabelName, value: e.traceId }], value: e.value, timestampMs: atMs };
}

/** The staleness marker of one time series. */
export function staleMarker(labels: Labels, atMs: number): CollectedSeries {
  return { labels, samples: [{ value: staleNaN(), timestampMs: atMs, stale: true }], exemplars: NO_EXEMPLARS };
}
