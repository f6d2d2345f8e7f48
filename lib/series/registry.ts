// Per-tenant cumulative registry: admits series after the label stages (span-name sanitization,
// per-label limit: label-pipeline.ts), enforces the series or entity limit with the overflow
// series (active-limits.ts), stamps each collection (one timestamp, initial zeros, exemplars),
// removes stale series with staleness markers (a deliberate difference from Tempo), and snapshots
// to plain data. Everything that depends on a series' metric type -- creating, folding, cost,
// rendering, snapshot -- is its type module's (metric-type.ts, reached through metric-types.ts);
// the compact in-memory series base is series-state.ts. No I/O and no clock: every time comes
// from the caller.
//
// Timestamp safety (one out-of-order sample rejects a whole remote-write request):
// - each collection and marker batch gets a timestamp strictly after the previous one;
// - a series removed and re-created within a couple of minutes would put its initial zero
//   (end of the previous minute) before its own staleness marker, which Tempo shrugs off as an
//   out-of-order error but a remote-write receiver rejects: a tombstone remembers the marker time
//   and the zero moves after it, or is left out when it cannot precede the value.

import type { TenantConfig } from '../config/types.ts';
import type { CollectedSeries } from './collected.ts';
import type { Labels, SeriesIncrement } from './types.ts';
import { labelsFromRecord, seriesKey } from './labels.ts';
import { ActiveLimits } from './active-limits.ts';
import { SeriesIndex } from './series-index.ts';
import { LabelPipeline } from './label-pipeline.ts';
import { forEachPrepared, isOverflowLabels, TARGET_INFO_METRIC } from './registry-labels.ts';
import type { TypeSettings } from './metric-type.ts';
import { metricType } from './metric-types.ts';
import { nativeConfigKey } from './native-series.ts';
import type { Entity, SeriesState } from './series-state.ts';
import type { RenderContext } from './series-render.ts';
import type { RegistrySnapshot } from './registry-state.ts';
import { restoreSeries, snapshotSeries } from './series-snapshot.ts';
import { RestoreSharing } from './restore-sharing.ts';
import { Tombstones } from './tombstones.ts';

export type RegistryTenantConfig = Pick<
  TenantConfig,
  'tenant' | 'registry' | 'nativeHistogram' | 'traceIdLabelName' | 'hostInfo'
>;

/** Labels of the series that absorbs new series over the limit (plus __name__ and external labels). */
export const OVERFLOW_LABELS: Labels = [{ name: 'metric_overflow', value: 'true' }];
const OVERFLOW_ENTITY_KEY = seriesKey('', OVERFLOW_LABELS);
const MINUTE_MS = 60_000;

export interface RemovedSeries {
  readonly key: string;
  readonly name: string;
  readonly labels: Labels;
  /** 'stale': not updated for stale_duration; 'native-config': native histogram settings changed. */
  readonly reason: 'stale' | 'native-config';
  /** Staleness markers for every time series of it that was ever sent (empty if none). */
  readonly markers: readonly CollectedSeries[];
}

export class Registry {
  private config!: RegistryTenantConfig;
  private render!: RenderContext;
  private settings!: TypeSettings;
  private readonly series = new SeriesIndex();
  private readonly tombstones = new Tombstones();
  private active = 0;
  private limits!: ActiveLimits;
  private pipeline!: LabelPipeline;
  private infoMetrics!: ReadonlySet<string>;
  private sentUpTo = 0;
  private zeroFloorMs = 0;
  /** Samples are stamped at most here (see limitStampsTo). */
  private stampCeilingMs = Number.POSITIVE_INFINITY;

  constructor(config: RegistryTenantConfig, snapshot?: RegistrySnapshot) {
    this.setConfig(config);
    if (snapshot !== undefined) this.restore(snapshot);
  }

  /** Applies changed overrides; labels and limits apply from the next apply/collect. */
  setConfig(config: RegistryTenantConfig): void {
    this.config = config;
    const external: Record<string, string> = { ...config.registry.externalLabels };
    if (config.registry.injectTenantIdAs !== '') external[config.registry.injectTenantIdAs] = config.tenant;
    this.render = { external: labelsFromRecord(external), traceIdLabelName: config.traceIdLabelName || 'traceID' };
    this.settings = { native: config.nativeHistogram, nativeKey: nativeConfigKey(config.nativeHistogram) };
    const r = config.registry;
    const stages = {
      spanNameSanitization: r.spanNameSanitization ?? '',
      maxCardinalityPerLabel: r.maxCardinalityPerLabel ?? 0,
      staleDurationMs: r.staleDurationMs,
    };
    if (this.limits === undefined) {
      this.limits = new ActiveLimits(r);
      this.pipeline = new LabelPipeline(stages);
    } else {
      this.limits.configure(r);
      this.pipeline.configure(stages);
    }
    this.infoMetrics = new Set([TARGET_INFO_METRIC, ...(config.hostInfo ? [config.hostInfo.metricName] : [])]);
  }

  /** Limiters and label stages, for their self-metrics (registry-self-metrics.ts). */
  get cardinality(): { readonly limits: ActiveLimits; readonly pipeline: LabelPipeline } {
    return { limits: this.limits, pipeline: this.pipeline };
  }

  /** Active-series count against max_active_series (the overflow series are not counted). */
  get activeSeries(): number {
    return this.active;
  }

  /** tempo_metrics_generator_registry_series_limited_total for this tenant. */
  get seriesLimitedTotal(): number {
    return this.limits.seriesLimitedTotal;
  }

  /** Number of series held, overflow series included. */
  get size(): number {
    return this.series.size;
  }

  /** Latest timestamp handed out by collect or removeStale. */
  get lastSentMs(): number {
    return this.sentUpTo;
  }

  /** Folds one batch of increments at processing time nowMs. */
  apply(increments: readonly SeriesIncrement[], nowMs: number): void {
    forEachPrepared<Entity>(increments, this.pipeline, this.infoMetrics, nowMs, (inc, prepared) => {
      const entityKey = prepared.entityKey;
      const type = metricType(inc.type);
      type.check(inc, entityKey); // before admitting, so a bad increment leaves no empty series
      // The label set's metrics, looked up once per batch (nothing is removed during apply).
      prepared.slot ??= this.series.entity(entityKey);
      let s = prepared.slot?.find(inc.name);
      const step = this.limits.step;
      // An estimate only changes when a series is first counted in a window step.
      if (s === undefined || s.demandStep !== step) {
        this.limits.observe(inc.name, inc.name + entityKey, entityKey, type.incrementCost(inc), nowMs);
        if (s !== undefined) s.demandStep = step;
      }
      let created = false;
      if (s === undefined) {
        [s, created] = this.admit(inc, entityKey, type.incrementCost(inc));
        if (!s.overflow) s.demandStep = step;
        prepared.slot ??= this.series.entity(entityKey);
      }
      // A mismatch is a processor bug; the error names the series.
      if (s.type !== inc.type) throw new Error(`series ${s.key}: got a ${inc.type} increment for a ${s.type} series`);
      type.fold(s, inc, created, this.settings, nowMs);
      const cost = type.cost(s);
      if (cost !== s.cost) this.setCost(s, cost);
    });
  }

  /**
   * The samples of one collection, all at one timestamp (nowMs, or 1 ms after the previous one
   * if the clock did not advance). Empty when disable_collection is set (series are kept).
   * Marks initial zeros as sent and clears the exemplars it returns.
   */
  collect(nowMs: number): CollectedSeries[] {
    return [...this.collectChunks(nowMs, Number.POSITIVE_INFINITY)].flat();
  }

  /**
   * collect() in pieces of at least `chunkSeries` time series (a label set stays in one piece),
   * rendered as pulled, so a sender holds one piece instead of the whole collection. One
   * timestamp for all pieces. A caller that stops early leaves the rest unmarked (their zeros and
   * exemplars go with the next collection). Nothing may be folded while pieces are pulled.
   */
  *collectChunks(nowMs: number, chunkSeries: number): Generator<CollectedSeries[], void, undefined> {
    if (this.config.registry.disableCollection) return;
    const at = Math.max(Math.min(nowMs, this.stampCeilingMs), this.sentUpTo + 1);
    this.tombstones.prune(at);
    this.sentUpTo = at; // before the first piece leaves: a later collection or marker is after it
    const zeroBase = Math.floor(at / MINUTE_MS) * MINUTE_MS - 1000;
    const settings = this.settings;
    let chunk: CollectedSeries[] = [];
    const sink = (series: CollectedSeries): number => chunk.push(series);
    for (const entity of this.series.entities()) {
      const series = entity.series;
      for (let i = 0; i < series.length; i++) {
        const s = series[i];
        const type = metricType(s.type);
        type.beforeCollect(s, settings, at);
        const zeroMs = type.needsZero(s) ? this.zeroTimestamp(s, zeroBase, at) : undefined;
        type.render(s, this.render, { atMs: at, zeroMs, exemplars: true }, sink);
        type.markSent(s);
      }
      if (chunk.length >= chunkSeries) {
        yield chunk;
        chunk = [];
      }
    }
    if (chunk.length > 0) yield chunk;
  }

  /**
   * The current cumulative values without changing anything: no initial zeros, no exemplars,
   * each series stamped with its last update. For the text exposition (replay, /metrics).
   */
  peek(): CollectedSeries[] {
    const out: CollectedSeries[] = [];
    const sink = (x: CollectedSeries): void => void out.push(x);
    this.series.forEach((s) => {
      metricType(s.type).render(s, this.render, { atMs: s.lastUpdatedMs, zeroMs: undefined, exemplars: false }, sink);
    });
    return out;
  }

  /**
   * Deletes series not updated for longer than stale_duration (and native histograms built under
   * other native settings) and returns them with their staleness markers, stamped after anything
   * sent before. Tempo runs this every 5 minutes.
   */
  removeStale(nowMs: number): RemovedSeries[] {
    const removed: RemovedSeries[] = [];
    const markerAt = Math.max(Math.min(nowMs, this.stampCeilingMs), this.sentUpTo + 1);
    let marked = false;
    this.series.deleteWhere((s) => {
      const type = metricType(s.type);
      const stale = nowMs - s.lastUpdatedMs > this.config.registry.staleDurationMs;
      if (!stale && !type.outdated(s, this.settings)) return false;
      const key = s.key;
      if (!s.overflow) {
        this.active -= s.cost;
        this.limits.removed(--s.entity.counted === 0, s.cost);
      }
      const markers: CollectedSeries[] = [];
      if (!this.config.registry.disableCollection && type.wasSent(s)) {
        type.renderStale(s, this.render, markerAt, (m) => markers.push(m));
        this.tombstones.set(key, markerAt);
        marked = true;
      }
      removed.push({ key, name: s.name, labels: s.labels, reason: stale ? 'stale' : 'native-config', markers });
      return true;
    });
    if (marked) this.sentUpTo = markerAt;
    this.tombstones.prune(nowMs);
    // Tempo steps its estimate windows and prunes Drain every 5 minutes, as often as this runs.
    this.limits.advance(nowMs);
    this.pipeline.advance(nowMs);
    return removed;
  }

  snapshot(): RegistrySnapshot {
    const cardinality = this.pipeline.snapshot();
    return {
      version: 1,
      lastSentMs: this.sentUpTo,
      seriesLimitedTotal: this.limits.seriesLimitedTotal,
      tombstones: [...this.tombstones.entries()],
      series: this.series.map(snapshotSeries),
      ...(cardinality !== undefined && { cardinality }),
    };
  }

  /** Replaces all state with a snapshot (taken by any registry of the same tenant). */
  restore(snapshot: RegistrySnapshot): void {
    if (snapshot.version !== 1) throw new Error(`registry snapshot: unsupported version ${String(snapshot.version)}`);
    this.series.clear();
    this.tombstones.clear();
    this.active = 0;
    this.limits.clearEntities();
    const sharing = new RestoreSharing();
    for (const snap of snapshot.series) {
      const entityKey = seriesKey('', snap.labels);
      const entity = this.series.entity(entityKey) ?? this.series.ensureEntity(entityKey, sharing.labels(snap.labels));
      const s = restoreSeries(snap, entity, this.series.name(snap.name), sharing);
      this.series.add(s);
      if (s.overflow) continue;
      this.active += s.cost;
      this.limits.added(entity.counted++ === 0, s.cost, false);
    }
    for (const [key, at] of snapshot.tombstones) this.tombstones.set(key, at);
    this.limits.seriesLimitedTotal = snapshot.seriesLimitedTotal;
    this.pipeline.restore(snapshot.cardinality);
    this.sentUpTo = snapshot.lastSentMs;
  }

  /**
   * Creates the series for a new label set, or redirects it to its metric's overflow series
   * (created on first use). Returns the series and whether it was just created.
   */
  private admit(inc: SeriesIncrement, entityKey: string, cost: number): [SeriesState, boolean] {
    const overflowLabels = isOverflowLabels(inc.labels);
    const create = metricType(inc.type).create;
    const name = this.series.name(inc.name);
    if (overflowLabels || this.limits.admit((this.series.entity(entityKey)?.counted ?? 0) > 0, cost, this.active)) {
      const entity = this.series.ensureEntity(entityKey, inc.labels);
      const s = create(entity, name, overflowLabels);
      s.cost = cost;
      if (!overflowLabels) {
        this.active += cost;
        this.limits.added(entity.counted++ === 0, cost);
      }
      this.series.add(s);
      return [s, true];
    }
    const existing = this.series.find(OVERFLOW_ENTITY_KEY, name);
    if (existing !== undefined) return [existing, false];
    const s = create(this.series.ensureEntity(OVERFLOW_ENTITY_KEY, OVERFLOW_LABELS), name, true);
    s.cost = cost;
    this.series.add(s);
    return [s, true];
  }

  private setCost(s: SeriesState, cost: number): void {
    if (!s.overflow) this.active += cost - s.cost;
    s.cost = cost;
  }

  /** Initial-zero timestamp for s (which owes one) at this collection; undefined: leave it out. */
  private zeroTimestamp(s: SeriesState, zeroBase: number, at: number): number | undefined {
    let zero = Math.max(zeroBase, this.zeroFloorMs + 1);
    const tomb = this.tombstones.take(() => s.key);
    if (tomb !== undefined) zero = Math.max(zero, tomb + 1);
    return zero < at ? zero : undefined;
  }

  /**
   * Stamps later samples at most at `ms` (still after everything sent before). The flusher sets
   * it from a clock it can check its own against, so one run on a host whose clock is ahead
   * cannot push every later timestamp of the series into the future.
   */
  limitStampsTo(ms: number): void {
    this.stampCeilingMs = ms;
  }

  /**
   * Every series counts as sent, its initial zero included (a takeover refolded what another run
   * sent: lib/flush/fold-reach.ts).
   */
  markAllSent(): void {
    this.series.forEach((s) => {
      metricType(s.type).markSent(s);
    });
  }

  /**
   * Nothing sent from now on (samples, initial zeros, markers) is stamped at or before `ms`.
   * After a restart the samples a crashed run sent since the last saved state are unknown, but
   * they all came before the restart; stamping anything at or before it could collide with one of
   * them, and one out-of-order or duplicate sample makes the receiver reject the whole request.
   */
  resumeAfter(ms: number): void {
    this.zeroFloorMs = Math.max(this.zeroFloorMs, ms);
    this.sentUpTo = Math.max(this.sentUpTo, ms);
  }
}
