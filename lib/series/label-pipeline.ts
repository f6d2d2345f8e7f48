// The label stages Tempo's registry runs on every label set of a non-info metric before the
// series/entity limiter (Tempo: modules/generator/registry/builder.go CloseAndBuildLabels):
// span-name sanitization, then the per-label cardinality limit.
//
// - Sanitization (Tempo: registry/drain_sanitizer.go): off by default. Otherwise span_name trains
//   the tenant's Drain clusters and, when its template differs from the name, the label set is
//   counted as sanitized and its sanitized form goes into the post-sanitization demand estimate;
//   `enabled` then uses the template as span_name, `dry_run` keeps the name.
// - Per-label limit (Tempo: registry/per_label_limiter.go): every label's value goes into that
//   label's distinct-value estimate over the stale_duration window (the original value, also while
//   over the limit, so the estimate does not oscillate); while the estimate exceeds
//   max_cardinality_per_label, the value is replaced by `__cardinality_overflow__`, other labels kept.
//   Tempo refreshes the over-limit decision every 15 s; here it is evaluated as each label set is
//   folded, so the limit holds from the first value over it (and replay shows it).
//
// The flusher folds pre-aggregated increments, so a label set passes here once per delta and
// metric rather than once per span: the counters count label sets, not spans.

import type { Labels } from './types.ts';
import { Drain, type DrainSnapshot } from './drain.ts';
import { hashKey, WindowCardinality, type CardinalitySnapshot } from './cardinality.ts';
import { seriesKey, withLabel } from './labels.ts';

export const CARDINALITY_OVERFLOW_VALUE = '__cardinality_overflow__';
const SPAN_NAME = 'span_name';
/** Prometheus metadata labels, never limited (Tempo: schema.IsMetadataLabel). */
const METADATA_LABELS = new Set(['__name__', '__type__', '__unit__']);

export interface LabelPipelineSettings {
  readonly spanNameSanitization: '' | 'dry_run' | 'enabled';
  readonly maxCardinalityPerLabel: number;
  readonly staleDurationMs: number;
}

export interface LabelPipelineSnapshot {
  readonly drain?: DrainSnapshot;
  readonly labels?: readonly (readonly [string, CardinalitySnapshot])[];
}

/** Counts since the last drain of the self-metrics (not persisted). */
export interface LabelPipelineCounts {
  spansSanitized: number;
  readonly labelValuesLimited: Map<string, number>;
}

export class LabelPipeline {
  private settings!: LabelPipelineSettings;
  private drain: Drain | undefined;
  private postSanitizationDemand: WindowCardinality | undefined;
  private readonly perLabel = new Map<string, WindowCardinality>();
  readonly counts: LabelPipelineCounts = { spansSanitized: 0, labelValuesLimited: new Map() };

  constructor(settings: LabelPipelineSettings) {
    this.configure(settings);
  }

  /** A control turned off drops its state, so the saved state does not carry it along. */
  configure(settings: LabelPipelineSettings): void {
    this.settings = settings;
    if (settings.spanNameSanitization === '') {
      this.drain = undefined;
      this.postSanitizationDemand = undefined;
    }
    if (settings.maxCardinalityPerLabel <= 0) this.perLabel.clear();
  }

  /** true when a label set can come out changed or the stages keep state for it. */
  get active(): boolean {
    return this.settings.spanNameSanitization !== '' || this.settings.maxCardinalityPerLabel > 0;
  }

  /** The label set the series is stored under (labels themselves when nothing changes). */
  transform(labels: Labels, nowMs: number): Labels {
    return this.limit(this.sanitize(labels, nowMs), nowMs);
  }

  /** Tempo's 5-minute maintenance: forget the oldest sketch, drop evicted Drain branches. */
  advance(nowMs: number): void {
    this.postSanitizationDemand?.advance(nowMs);
    this.drain?.prune();
    for (const sketch of this.perLabel.values()) sketch.advance(nowMs);
  }

  get drainCounters(): Drain['counters'] | undefined {
    return this.drain?.counters;
  }

  postSanitizationDemandEstimate(): number | undefined {
    return this.postSanitizationDemand?.estimate();
  }

  /** Estimated distinct values per label (only while the limit is on, as in Tempo). */
  labelDemandEstimates(): [string, number][] {
    if (this.settings.maxCardinalityPerLabel <= 0) return [];
    return [...this.perLabel].map(([name, sketch]) => [name, sketch.estimate()]);
  }

  snapshot(): LabelPipelineSnapshot | undefined {
    if (this.drain === undefined && this.perLabel.size === 0) return undefined;
    return {
      ...(this.drain !== undefined && { drain: this.drain.snapshot() }),
      ...(this.perLabel.size > 0 && { labels: [...this.perLabel].map(([n, s]) => [n, s.snapshot()] as const) }),
    };
  }

  restore(s: LabelPipelineSnapshot | undefined): void {
    this.drain = s?.drain !== undefined ? Drain.restore(s.drain) : undefined;
    this.perLabel.clear();
    for (const [name, sketch] of s?.labels ?? [])
      this.perLabel.set(name, WindowCardinality.restore(sketch, this.settings.staleDurationMs));
    this.configure(this.settings); // state saved under settings since turned off is dropped
  }

  private sanitize(labels: Labels, nowMs: number): Labels {
    const mode = this.settings.spanNameSanitization;
    if (mode === '') return labels;
    this.drain ??= new Drain();
    this.postSanitizationDemand ??= new WindowCardinality(this.settings.staleDurationMs, nowMs);
    const name = labels.find((l) => l.name === SPAN_NAME)?.value ?? '';
    const template = this.drain.train(name);
    if (template === undefined || template === name) {
      this.postSanitizationDemand.insert(hashKey(seriesKey('', labels)));
      return labels;
    }
    this.counts.spansSanitized++;
    const sanitized = withLabel(labels, SPAN_NAME, template);
    this.postSanitizationDemand.insert(hashKey(seriesKey('', sanitized)));
    return mode === 'dry_run' ? labels : sanitized;
  }

  private limit(labels: Labels, nowMs: number): Labels {
    const max = this.settings.maxCardinalityPerLabel;
    if (max <= 0) return labels;
    let out: { name: string; value: string }[] | undefined;
    for (let i = 0; i < labels.length; i++) {
      const l = labels[i];
      if (METADATA_LABELS.has(l.name)) continue;
      let sketch = this.perLabel.get(l.name);
      if (sketch === undefined)
        this.perLabel.set(l.name, (sketch = new WindowCardinality(this.settings.staleDurationMs, nowMs)));
      sketch.insert(hashKey(l.value));
      if (sketch.estimate() <= max) continue;
      out ??= labels.slice();
      out[i] = { name: l.name, value: CARDINALITY_OVERFLOW_VALUE };
      this.counts.labelValuesLimited.set(l.name, (this.counts.labelValuesLimited.get(l.name) ?? 0) + 1);
    }
    return out ?? labels;
  }
}
