// One tenant's share of the flusher, kept in one object as Tempo keeps one instance per tenant
// (Tempo: modules/generator/instance.go, with the collection of modules/generator/registry/registry.go):
// the tenant's registry, its service-graph pairing (the flusher's tier, where halves of edges whose
// client and server spans were ingested in different batches or partitions meet), when it is next
// collected, and which of the pairing's counters were already published. Settings are read from
// the live config at each use, so reloaded overrides apply from the next call.

import type { GeneratorConfig } from '../config/types.ts';
import type { TenantDelta } from '../delta/index.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import type { MetricName } from '../metrics/names.ts';
import { HalfPairing } from '../processors/servicegraphs/half-pairing.ts';
import type { PendingEdgesSnapshot } from '../servicegraph-model/saved.ts';
import type { SelfMonitor } from '../self-monitoring/monitor.ts';
import type { CollectedSeries } from '../series/collected.ts';
import { Registry } from '../series/registry.ts';
import type { RegistrySnapshot } from '../series/registry-state.ts';
import { publishRegistryMetrics } from '../series/registry-self-metrics.ts';
import type { SeriesIncrement } from '../series/types.ts';
import type { TenantSend } from './tenant-fan-out.ts';

/**
 * Time series rendered per piece of a streamed collection: a few requests of 2,000 samples, and a
 * few MB held per tenant in flight instead of the whole collection (bench/registry-memory.ts).
 */
export const COLLECT_CHUNK_SERIES = 10_000;

export interface TenantInstanceDeps {
  readonly config: GeneratorConfig;
  readonly metrics: MetricsRecorder;
  readonly selfMonitor?: SelfMonitor;
  /** Nothing a registry created from here on stamps is at or before this time (set at each load). */
  readonly zeroFloorMs: number;
}

/** One collection turn, as every tenant sees it. */
export interface CollectionTurn {
  readonly nowMs: number;
  readonly deadlineMs: number;
  /** Stale series are removed (and their staleness markers sent) in this turn. */
  readonly sweep: boolean;
  /** Every tenant is collected, due or not, and may send until `deadlineMs` (the last collection of a process). */
  readonly all: boolean;
}

export interface TenantCollection {
  /** The tenant's send, or undefined when it has nothing to send in this turn. */
  readonly send: TenantSend | undefined;
  /** Stale series removed in this turn. */
  readonly removed: number;
}

export class TenantInstance {
  private tenantRegistry: Registry | undefined;
  private tenantPairing: HalfPairing | undefined;
  /** When the next collection is due (0: at the next turn). */
  private nextCollectMs = 0;
  /** Service-graph counters already published, per counter and dimensions. */
  private readonly published = new Map<string, number>();

  constructor(
    readonly tenant: string,
    private readonly deps: TenantInstanceDeps,
  ) {}

  /** The registry, once the tenant has had series (a tenant with only received counts has none). */
  get registry(): Registry | undefined {
    return this.tenantRegistry;
  }

  /** The service-graph pairing, once halves reached it (and only while the tenant has service graphs). */
  get pairing(): HalfPairing | undefined {
    return this.tenantPairing;
  }

  /** No series to send and no half waiting to pair or expire. */
  get holdsNothing(): boolean {
    return (this.tenantRegistry?.size ?? 0) === 0 && (this.tenantPairing?.pending ?? 0) === 0;
  }

  /** When the next collection is due, or undefined before the first. */
  get nextCollectionMs(): number | undefined {
    return this.nextCollectMs > 0 ? this.nextCollectMs : undefined;
  }

  /** Takes over the collection schedule of the same tenant's instance before a reload (it is this process's, not the state's). */
  keepScheduleOf(previous: TenantInstance): void {
    this.nextCollectMs = previous.nextCollectMs;
  }

  /** The registry as saved (a load). */
  restoreRegistry(snapshot: RegistrySnapshot): void {
    this.tenantRegistry = this.newRegistry(snapshot);
  }

  /** The pending halves as saved (a load); the saved counters were published by the run that saved them. */
  restorePairing(saved: PendingEdgesSnapshot): void {
    const pairing = this.ensurePairing();
    if (pairing === undefined) return;
    pairing.restore(saved);
    this.publishCounters(false);
  }

  /** Folds the tenant's part of a committed delta: its increments, then its service-graph halves. */
  fold(t: TenantDelta, nowMs: number): void {
    if (t.increments.length > 0 || this.tenantRegistry !== undefined) this.ensureRegistry().apply(t.increments, nowMs);
    if (t.edgeHalves !== undefined || t.droppedSides !== undefined) this.pairHalves(t, nowMs);
  }

  /** Settles the halves that waited in vain by `clock` (record time) and folds what they give. */
  expireHalves(clock: number, nowMs: number): void {
    if (this.tenantPairing === undefined) return;
    this.tenantPairing.expire(clock);
    this.applyPaired(this.tenantPairing, nowMs);
  }

  /**
   * Caps the registry's sample timestamps at `referenceMs` plus the tenant's ingestion slack;
   * returns that slack, or undefined when the tenant has no registry.
   */
  capStamps(referenceMs: number): number | undefined {
    if (this.tenantRegistry === undefined) return undefined;
    const slack = this.deps.config.tenant(this.tenant).ingestionSlackMs;
    this.tenantRegistry.limitStampsTo(referenceMs + slack);
    return slack;
  }

  /**
   * The tenant's part of a collection turn: stale series removed (their markers go first), and,
   * when its collection interval is due, its series with the interval bookkeeping and metrics.
   * The series are rendered only when the send starts, and as it pulls them.
   */
  collect(turn: CollectionTurn): TenantCollection {
    const registry = this.tenantRegistry;
    if (registry === undefined) return { send: undefined, removed: 0 };
    const { config, metrics, selfMonitor } = this.deps;
    const { nowMs } = turn;
    const tenant = this.tenant;
    const markers: CollectedSeries[] = [];
    let removed = 0;
    if (turn.sweep) {
      const stale = registry.removeStale(nowMs);
      for (const r of stale) for (const m of r.markers) markers.push(m);
      removed = stale.length;
      metrics.add('SeriesRemoved', removed, 'Count', { tenant });
    }
    const interval = config.tenant(tenant).registry.collectionIntervalMs;
    const due = turn.all || nowMs >= this.nextCollectMs;
    if (due) {
      this.nextCollectMs = nowMs + interval;
      metrics.set('ActiveSeries', registry.size, 'Count', { tenant });
      publishRegistryMetrics(tenant, registry, metrics);
      selfMonitor?.collection(tenant);
    } else if (markers.length === 0) return { send: undefined, removed };
    const chunks = function* (): Generator<readonly CollectedSeries[]> {
      yield markers;
      if (due) yield* registry.collectChunks(nowMs, COLLECT_CHUNK_SERIES);
    };
    // a send may take until the next collection is due, except the last one, which has no next
    const deadlineMs = turn.all ? turn.deadlineMs : Math.min(turn.deadlineMs, nowMs + interval);
    return { send: { tenant, chunks, deadlineMs }, removed };
  }

  /**
   * Tempo's service-graph self-monitoring counters, as operational metrics: what the saved state
   * counted since the last publication. They are cumulative in the state, so a run that crashed
   * before its save publishes nothing that the next run counts again. With `emit` false, only
   * marks the current values as published (after a load).
   */
  publishCounters(emit = true): void {
    const p = this.tenantPairing;
    if (p === undefined) return;
    const tenant = this.tenant;
    const c = p.counters;
    const values: [MetricName, number, Record<string, string>][] = [
      ['ServiceGraphDroppedSpans', c.droppedSpans, { tenant }],
      ['ServiceGraphDroppedEdges', c.droppedEdges, { tenant }],
      ...[...c.expiredEdges].map(([kind, n]): [MetricName, number, Record<string, string>] => [
        'ServiceGraphExpiredEdges',
        n,
        { tenant, unmatched_span_kind: kind },
      ]),
    ];
    for (const [name, value, dims] of values) {
      const k = `${name}\u0000${JSON.stringify(dims)}`;
      const change = value - (this.published.get(k) ?? 0);
      this.published.set(k, value);
      if (emit && change > 0) this.deps.metrics.add(name, change, 'Count', dims);
    }
    if (emit) this.deps.metrics.set('ServiceGraphPendingEdges', p.pending, 'Count', { tenant });
  }

  /**
   * After a config reload: the pairing is rebuilt on the tenant's new settings (dimensions,
   * labels), keeping its pending halves and counters; when the tenant no longer has service
   * graphs, the old one keeps settling what it holds.
   */
  reloadPairing(): void {
    if (this.tenantPairing === undefined) return;
    const p = this.newPairing();
    if (p === undefined) return;
    p.restore(this.tenantPairing.snapshot());
    this.tenantPairing = p;
  }

  /** Pairs a delta's service-graph halves with those of earlier batches and partitions. */
  private pairHalves(t: TenantDelta, nowMs: number): void {
    const pairing = this.ensurePairing();
    if (pairing === undefined) {
      // The tenant's config no longer has service graphs: the halves have nowhere to go.
      this.deps.metrics.add(
        'ServiceGraphHalvesIgnored',
        (t.edgeHalves?.length ?? 0) + (t.droppedSides?.length ?? 0),
        'Count',
        { tenant: this.tenant },
      );
      return;
    }
    for (const d of t.droppedSides ?? []) pairing.addDroppedSide(d);
    for (const h of t.edgeHalves ?? []) pairing.addHalf(h);
    this.applyPaired(pairing, nowMs);
  }

  /** Folds the metrics of the edges the pairing completed or expired into the registry. */
  private applyPaired(pairing: HalfPairing, nowMs: number): void {
    const out: SeriesIncrement[] = [];
    pairing.drain(out);
    if (out.length > 0) this.ensureRegistry().apply(out, nowMs);
  }

  private ensureRegistry(): Registry {
    this.tenantRegistry ??= this.newRegistry();
    return this.tenantRegistry;
  }

  private newRegistry(snapshot?: RegistrySnapshot): Registry {
    const r = new Registry(this.deps.config.tenant(this.tenant), snapshot);
    r.resumeAfter(this.deps.zeroFloorMs);
    return r;
  }

  private ensurePairing(): HalfPairing | undefined {
    this.tenantPairing ??= this.newPairing();
    return this.tenantPairing;
  }

  private newPairing(): HalfPairing | undefined {
    const cfg = this.deps.config.tenant(this.tenant);
    if (cfg.serviceGraphs === undefined) return undefined;
    return new HalfPairing(cfg, {
      discard: (reason, processor, spans) =>
        this.deps.metrics.add('SpansDiscarded', spans, 'Count', { reason, processor }),
    });
  }
}
