// The flusher's second pairing tier for service graphs, one pairing per tenant: halves of edges
// whose client and server spans were ingested in different batches or partitions meet here, and
// the edges they complete (or that expire unpaired) are folded into the tenant's registry. Kept
// apart from the flusher's fold/collect/save loop, which only hands it halves and a clock.

import type { GeneratorConfig } from '../config/types.ts';
import type { TenantDelta } from '../delta/index.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import type { MetricName } from '../metrics/names.ts';
import { HalfPairing } from '../processors/servicegraphs/half-pairing.ts';
import type { Registry } from '../series/registry.ts';
import type { SeriesIncrement } from '../series/types.ts';
import type { PendingEdgesSnapshot } from '../servicegraph-model/saved.ts';

export class ServiceGraphTenants {
  private pairings = new Map<string, HalfPairing>();
  /** Service-graph counters already published, per tenant and counter. */
  private readonly published = new Map<string, number>();

  constructor(
    private readonly config: GeneratorConfig,
    private readonly metrics: MetricsRecorder,
    /** The tenant's registry, created on first use. */
    private readonly registry: (tenant: string) => Registry,
  ) {}

  get all(): ReadonlyMap<string, HalfPairing> {
    return this.pairings;
  }

  get hasPending(): boolean {
    for (const p of this.pairings.values()) if (p.pending > 0) return true;
    return false;
  }

  /** Replaces every pairing with the saved ones (a load); their counters count as published. */
  restore(saved: Readonly<Record<string, PendingEdgesSnapshot>>): void {
    this.pairings = new Map();
    for (const [tenant, pending] of Object.entries(saved)) this.pairing(tenant)?.restore(pending);
    // The saved counters were published by the run that saved them.
    this.published.clear();
    this.publishCounters(false);
  }

  snapshot(): Record<string, PendingEdgesSnapshot> {
    return Object.fromEntries([...this.pairings].map(([t, p]) => [t, p.snapshot()]));
  }

  /** Pairs a delta's service-graph halves with those of earlier batches and partitions. */
  add(t: TenantDelta, nowMs: number): void {
    const pairing = this.pairing(t.tenant);
    if (pairing === undefined) {
      // The tenant's config no longer has service graphs: the halves have nowhere to go.
      this.metrics.add(
        'ServiceGraphHalvesIgnored',
        (t.edgeHalves?.length ?? 0) + (t.droppedSides?.length ?? 0),
        'Count',
        { tenant: t.tenant },
      );
      return;
    }
    for (const d of t.droppedSides ?? []) pairing.addDroppedSide(d);
    for (const h of t.edgeHalves ?? []) pairing.addHalf(h);
    this.applyPaired(t.tenant, pairing, nowMs);
  }

  /** Settles the halves that waited in vain by `clock` (record time) and folds what they give. */
  expire(clock: number, nowMs: number): void {
    for (const [tenant, pairing] of this.pairings) {
      pairing.expire(clock);
      this.applyPaired(tenant, pairing, nowMs);
    }
  }

  /**
   * Tempo's service-graph self-monitoring counters, as operational metrics: what the saved state
   * counted since the last publication. They are cumulative in the state, so a run that crashed
   * before its save publishes nothing that the next run counts again. With `emit` false, only
   * marks the current values as published (after a load).
   */
  publishCounters(emit = true): void {
    for (const [tenant, p] of this.pairings) {
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
        if (emit && change > 0) this.metrics.add(name, change, 'Count', dims);
      }
      if (emit) this.metrics.set('ServiceGraphPendingEdges', p.pending, 'Count', { tenant });
    }
  }

  /**
   * After a config reload: each pairing is rebuilt on its tenant's new settings (dimensions,
   * labels), keeping its pending halves and counters; one whose tenant no longer has service
   * graphs keeps settling what it holds.
   */
  reload(): void {
    for (const [tenant, old] of this.pairings) {
      const p = this.newPairing(tenant);
      if (p === undefined) continue;
      p.restore(old.snapshot());
      this.pairings.set(tenant, p);
    }
  }

  /** Folds the metrics of the edges a pairing completed or expired into the tenant's registry. */
  private applyPaired(tenant: string, pairing: HalfPairing, nowMs: number): void {
    const out: SeriesIncrement[] = [];
    pairing.drain(out);
    if (out.length > 0) this.registry(tenant).apply(out, nowMs);
  }

  private pairing(tenant: string): HalfPairing | undefined {
    let p = this.pairings.get(tenant);
    if (p === undefined) {
      p = this.newPairing(tenant);
      if (p !== undefined) this.pairings.set(tenant, p);
    }
    return p;
  }

  private newPairing(tenant: string): HalfPairing | undefined {
    const cfg = this.config.tenant(tenant);
    if (cfg.serviceGraphs === undefined) return undefined;
    return new HalfPairing(cfg, {
      discard: (reason, processor, spans) => this.metrics.add('SpansDiscarded', spans, 'Count', { reason, processor }),
    });
  }
}
