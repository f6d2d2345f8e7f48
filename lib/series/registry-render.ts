// Turns registry series into remote-write shaped series (Tempo: modules/generator/registry/
// counter.go, histogram.go, native_histogram.go, gauge.go): which time series one
// registry series becomes (_count/_sum/_bucket{le}, the bare native name), their labels
// (series labels overlaid by external labels, then __name__ and le), initial zeros, exemplars,
// and staleness markers. Pure: the registry decides what to mark as sent.

import type { CollectedExemplar, CollectedSeries, Sample } from './collected.ts';
import type { ClassicState, HistogramState, SeriesState } from './series-state.ts';
import { pendingExemplars } from './classic-exemplars.ts';
import type { Exemplar, Label, Labels } from './types.ts';
import { formatFloatF } from './format-float.ts';
import { overlayLabels, withLabelObject } from './labels.ts';
import { toNativeSample } from './native-histogram.ts';
import { staleNaN } from './stale.ts';

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

export function renderSeries(s: SeriesState, ctx: RenderContext, t: RenderTimes, out: SeriesSink): void {
  const base = overlayLabels(s.labels, ctx.external);
  switch (s.type) {
    case 'counter':
      out({
        labels: withLabelObject(base, nameLabel(s.name, '')),
        samples: withZero(s.zeroSent ? undefined : t.zeroMs, { value: s.value, timestampMs: t.atMs }),
        exemplars: NO_EXEMPLARS,
      });
      return;
    case 'gauge':
      out({
        labels: withLabelObject(base, nameLabel(s.name, '')),
        samples: [{ value: s.value, timestampMs: t.atMs }],
        exemplars: NO_EXEMPLARS,
      });
      return;
    case 'histogram':
      if (s.classic !== undefined) renderClassic(s.name, base, s.classic, ctx, t, out);
      if (s.native !== undefined) {
        const n = s.native;
        const histograms = [toNativeSample(n.hist, t.atMs)];
        if (!n.zeroSent && t.zeroMs !== undefined) {
          // Tempo's initial native sample: the schema only, no zero threshold, no buckets.
          histograms.unshift({
            count: 0,
            sum: 0,
            schema: n.hist.schema,
            zeroThreshold: 0,
            zeroCount: 0,
            negativeSpans: [],
            negativeDeltas: [],
            positiveSpans: [],
            positiveDeltas: [],
            timestampMs: t.zeroMs,
          });
        }
        // With a classic part (mode both) Tempo sends the exemplars on _bucket only.
        const exemplar = t.exemplars && s.classic === undefined ? n.hist.exemplar : undefined;
        out({
          labels: withLabelObject(base, nameLabel(s.name, '')),
          samples: [],
          exemplars: exemplar === undefined ? NO_EXEMPLARS : [toExemplar(exemplar, ctx, t.atMs)],
          histograms,
        });
      }
      return;
  }
}

function renderClassic(
  name: string,
  base: Labels,
  c: ClassicState,
  ctx: RenderContext,
  t: RenderTimes,
  out: SeriesSink,
): void {
  const zeroMs = c.zeroSent ? undefined : t.zeroMs;
  out({
    labels: withLabelObject(base, nameLabel(name, '_count')),
    samples: withZero(zeroMs, { value: c.count, timestampMs: t.atMs }),
    exemplars: NO_EXEMPLARS,
  });
  out({
    labels: withLabelObject(base, nameLabel(name, '_sum')),
    samples: [{ value: c.sum, timestampMs: t.atMs }], // no initial zero for _sum (as Tempo's histogram.go)
    exemplars: NO_EXEMPLARS,
  });
  const bucketBase = withLabelObject(base, nameLabel(name, '_bucket'));
  let cumulative = 0;
  const held = t.exemplars ? pendingExemplars(c, c.counts.length) : undefined;
  for (let i = 0; i < c.counts.length; i++) {
    cumulative += c.counts[i];
    const exemplar = held?.[i];
    out({
      labels: withLabelObject(bucketBase, leLabel(c, i)),
      samples: withZero(zeroMs, { value: cumulative, timestampMs: t.atMs }),
      exemplars: exemplar === undefined ? NO_EXEMPLARS : [toExemplar(exemplar, ctx, t.atMs)],
    });
  }
}

/** Staleness markers for every time series of s that has been sent. */
export function renderStaleMarkers(s: SeriesState, ctx: RenderContext, atMs: number, out: SeriesSink): void {
  const base = overlayLabels(s.labels, ctx.external);
  const mark = (labels: Labels): void => {
    out({ labels, samples: [{ value: staleNaN(), timestampMs: atMs, stale: true }], exemplars: NO_EXEMPLARS });
  };
  switch (s.type) {
    case 'counter':
      if (s.zeroSent) mark(withLabelObject(base, nameLabel(s.name, '')));
      return;
    case 'gauge':
      if (s.sent) mark(withLabelObject(base, nameLabel(s.name, '')));
      return;
    case 'histogram':
      if (s.classic?.zeroSent) {
        const c = s.classic;
        mark(withLabelObject(base, nameLabel(s.name, '_count')));
        mark(withLabelObject(base, nameLabel(s.name, '_sum')));
        const bucketBase = withLabelObject(base, nameLabel(s.name, '_bucket'));
        for (let i = 0; i < c.counts.length; i++) mark(withLabelObject(bucketBase, leLabel(c, i)));
      }
      if (s.native?.zeroSent) mark(withLabelObject(base, nameLabel(s.name, '')));
      return;
  }
}

/** True if the series has been sent at least once (so a restart must not resend its zero). */
export function wasSent(s: SeriesState): boolean {
  switch (s.type) {
    case 'counter':
      return s.zeroSent;
    case 'gauge':
      return s.sent;
    case 'histogram':
      return hasSentPart(s);
  }
}

function hasSentPart(s: HistogramState): boolean {
  return (s.classic?.zeroSent ?? false) || (s.native?.zeroSent ?? false);
}

// One collection renders a Label object per time series for `__name__` and `le`; the same few
// objects serve every series instead (a collection of a million series is held until sent).
const NO_EXEMPLARS: readonly CollectedExemplar[] = Object.freeze([]);
const nameLabels = new Map<string, Map<string, Label>>();

/** The `__name__` label of metric `name` with `suffix` (_count, _sum, _bucket or ''). */
function nameLabel(name: string, suffix: string): Label {
  let bySuffix = nameLabels.get(name);
  if (bySuffix === undefined) nameLabels.set(name, (bySuffix = new Map()));
  let label = bySuffix.get(suffix);
  if (label === undefined) bySuffix.set(suffix, (label = { name: '__name__', value: name + suffix }));
  return label;
}

// Series of one metric share their bounds array, so each `le` label is made once.
const leCache = new WeakMap<readonly number[], readonly Label[]>();

function leLabel(c: ClassicState, i: number): Label {
  let les = leCache.get(c.bounds);
  if (les === undefined) {
    les = [...c.bounds.map(formatFloatF), '+Inf'].map((value) => ({ name: 'le', value }));
    leCache.set(c.bounds, les);
  }
  return les[i];
}

function withZero(zeroMs: number | undefined, value: Sample): Sample[] {
  return zeroMs === undefined ? [value] : [{ value: 0, timestampMs: zeroMs }, value];
}

function toExemplar(e: Exemplar, ctx: RenderContext, atMs: number): CollectedExemplar {
  return { labels: [{ name: ctx.traceIdLabelName, value: e.traceId }], value: e.value, timestampMs: atMs };
}
