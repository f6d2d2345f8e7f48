// Which new label sets get their own series: Tempo's two limiters (chosen by the global
// `limiter_type`) and the registry's demand estimates.
//
// - series (Tempo: modules/generator/localserieslimiter/local_series_limiter.go): a new series is
//   refused when active + its cost (1, or a histogram's time series) would pass
//   max_active_series; series_limited_total grows by that cost.
// - entity (Tempo: modules/generator/localentitylimiter/local_entity_limiter.go): an entity is a
//   label set without the metric name, so the calls, latency and size series of one span-metrics
//   label set are one entity. A new series of a known entity is always accepted; a new entity is
//   refused when the entities would pass max_active_entities; entities_limited_total grows by one.
//   An entity ends when its last series goes stale.
// Refused data goes to the metric's `metric_overflow="true"` series (always accepted, never
// counted). Demand estimates (Tempo: registry/registry.go CollectMetrics) count what would be
// active without limits over the stale_duration window: per metric the distinct series times
// their cost, and the distinct entities.

import type { RegistryConfig } from '../config/types.ts';
import { hashKey, WindowCardinality } from './cardinality.ts';

export type ActiveLimitSettings = Pick<
  RegistryConfig,
  'limiterType' | 'maxActiveSeries' | 'maxActiveEntities' | 'staleDurationMs'
>;

/** Self-metric counts since they were last published (not persisted). */
export interface ActiveLimitCounts {
  seriesLimited: number;
  seriesAdded: number;
  seriesRemoved: number;
  entitiesLimited: number;
  entitiesAdded: number;
  entitiesRemoved: number;
}

export class ActiveLimits {
  private settings!: ActiveLimitSettings;
  /** tempo_metrics_generator_registry_series_limited_total, kept in the saved state. */
  seriesLimitedTotal = 0;
  /**
   * Entities with at least one counted series. The registry's entities count their own series
   * (series-state.ts Entity.counted), so no map by entity key is kept here.
   */
  private entities = 0;
  private entityDemand: WindowCardinality | undefined;
  private readonly seriesDemand = new Map<string, { sketch: WindowCardinality; cost: number }>();
  readonly counts: ActiveLimitCounts = newCounts();
  /** Advances of the demand windows so far; a series counted in this step need not be again. */
  step = 0;

  constructor(settings: ActiveLimitSettings) {
    this.configure(settings);
  }

  configure(settings: ActiveLimitSettings): void {
    this.settings = settings;
  }

  get entityLimiter(): boolean {
    return this.settings.limiterType === 'entity';
  }

  get activeEntities(): number {
    return this.entities;
  }

  get maxActive(): number {
    return (this.entityLimiter ? this.settings.maxActiveEntities : this.settings.maxActiveSeries) ?? 0;
  }

  /** Records one increment for the demand estimates (before any limit). */
  observe(name: string, seriesKey: string, entityKey: string, cost: number, nowMs: number): void {
    (this.entityDemand ??= new WindowCardinality(this.settings.staleDurationMs, nowMs)).insert(hashKey(entityKey));
    let d = this.seriesDemand.get(name);
    if (d === undefined)
      this.seriesDemand.set(name, (d = { sketch: new WindowCardinality(this.settings.staleDurationMs, nowMs), cost }));
    d.cost = cost;
    d.sketch.insert(hashKey(seriesKey));
  }

  /**
   * Decides for a new (non-overflow) series; `entityCounted`: its entity already has a counted
   * series; `active` is the registry's active-series cost.
   */
  admit(entityCounted: boolean, cost: number, active: number): boolean {
    const max = this.maxActive;
    if (this.entityLimiter) {
      if (max <= 0 || entityCounted || this.entities + 1 <= max) return true;
      this.counts.entitiesLimited++;
      return false;
    }
    if (max <= 0 || active + cost <= max) return true;
    this.seriesLimitedTotal += cost;
    this.counts.seriesLimited += cost;
    return false;
  }

  /**
   * A new non-overflow series was created (or restored, with count false); `firstOfEntity`: its
   * entity had no counted series before.
   */
  added(firstOfEntity: boolean, cost: number, count = true): void {
    if (firstOfEntity) this.entities++;
    if (!count) return;
    this.counts.seriesAdded += cost;
    if (firstOfEntity) this.counts.entitiesAdded++;
  }

  /** A non-overflow series was removed; `lastOfEntity`: its entity has no counted series left. */
  removed(lastOfEntity: boolean, cost: number): void {
    this.counts.seriesRemoved += cost;
    this.counts.entitiesRemoved++; // Tempo counts every removal of a tracked entity's series
    if (lastOfEntity) this.entities--;
  }

  clearEntities(): void {
    this.entities = 0;
  }

  /** Tempo's 5-minute step of the demand windows. */
  advance(nowMs: number): void {
    this.step++;
    this.entityDemand?.advance(nowMs);
    for (const d of this.seriesDemand.values()) d.sketch.advance(nowMs);
  }

  seriesDemandEstimate(): number {
    let sum = 0;
    for (const d of this.seriesDemand.values()) sum += d.sketch.estimate() * d.cost;
    return sum;
  }

  entityDemandEstimate(): number {
    return this.entityDemand?.estimate() ?? 0;
  }

  takeCounts(): ActiveLimitCounts {
    const c = { ...this.counts };
    Object.assign(this.counts, newCounts());
    return c;
  }
}

function newCounts(): ActiveLimitCounts {
  return {
    seriesLimited: 0,
    seriesAdded: 0,
    seriesRemoved: 0,
    entitiesLimited: 0,
    entitiesAdded: 0,
    entitiesRemoved: 0,
  };
}
