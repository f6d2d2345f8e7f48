// The flusher's self-monitoring: turns what the flusher folds, collects and sends into Tempo's
// self-metrics and remote-writes them every collection to one endpoint under one tenant.
//
// Which counters are exact: those derived from folded deltas (spans and bytes received, spans
// discarded, counted per tenant by the ingest) and
// from the saved state (series limited, service-graph expired edges and dropped spans) are saved
// with the epoch they belong to, so a crash and refold counts nothing twice. Counters of sends
// (collections, remote-write samples) count what a run did: they are saved before every
// self-metrics send, so after a crash they resume from at least the value last sent (never a
// decrease, which Prometheus would read as a reset) and lose only what was not sent yet.

import type { DeltaContent } from '../delta/types.ts';
import type { Logger } from '../log/logger.ts';
import type { HalfPairing } from '../processors/servicegraphs/half-pairing.ts';
import type { SendResult } from '../remote-write/result.ts';
import type { Registry } from '../series/registry.ts';
import type { Cursor } from '../store/cursor.ts';
import type { Ddb } from '../store/ddb.ts';
import * as N from './names.ts';
import { SelfMetrics } from './self-metrics.ts';
import { SelfMetricsStore } from './state-store.ts';

/** Counters of what a run sent rather than of what the saved state holds. */
const SEND_COUNTERS: ReadonlySet<string> = new Set([
  N.COLLECTIONS,
  N.COLLECTIONS_FAILED,
  N.RW_SAMPLES,
  N.RW_SAMPLES_FAILED,
  N.RW_SAMPLES_RETRIED,
  N.RW_HISTOGRAMS,
  N.RW_HISTOGRAMS_FAILED,
  N.RW_EXEMPLARS,
  N.RW_BYTES,
]);

/** A tenant label for counts of a pre-format-3 delta that mixes tenants (no per-tenant split). */
export const MIXED_TENANTS = '(multiple)';

export interface SelfMonitorSender {
  send(tenant: string, series: ReturnType<SelfMetrics['render']>, deadlineMs: number): Promise<void>;
}

export interface SelfMonitorDeps {
  readonly ddb: Ddb;
  readonly seriesTable: string;
  readonly sender: SelfMonitorSender;
  /** Tenant the self-metrics are sent as. */
  readonly tenant: string;
  /** Labels added to every self-metric (e.g. cluster, namespace, container for the mixin). */
  readonly externalLabels: Readonly<Record<string, string>>;
  readonly log: Logger;
  /** Least time between two sends (the collection interval); 0 = every collect call. */
  readonly intervalMs?: number;
  /** Tenants whose service-graph counters exist at zero before any half reaches the flusher. */
  readonly hasServiceGraphs?: (tenant: string) => boolean;
}

/** What the monitor reads from the flusher at each collection. */
export interface FlusherView {
  tenants(): ReadonlyMap<string, Registry>;
  serviceGraphPairings(): ReadonlyMap<string, HalfPairing>;
}

export class SelfMonitor {
  readonly metrics = new SelfMetrics();
  private readonly store: SelfMetricsStore;
  private restoredStampMs = 0;
  private nextSendMs = 0;

  constructor(private readonly deps: SelfMonitorDeps) {
    this.store = new SelfMetricsStore(deps.ddb, deps.seriesTable);
  }

  /**
   * After the flusher loaded epoch `epoch`: the state's counters as of that epoch (zero when none
   * were saved for it), the send counters as last saved before a send.
   */
  async load(epoch: number): Promise<void> {
    const saved = await this.store.load(epoch);
    const live = await this.store.loadLive();
    this.metrics.restore(saved?.metrics ?? { counters: [] }, (name) => !SEND_COUNTERS.has(name));
    this.metrics.restore(live?.metrics ?? saved?.metrics ?? { counters: [] }, (name) => SEND_COUNTERS.has(name));
    this.restoredStampMs = Math.max(saved?.lastStampMs ?? 0, live?.lastStampMs ?? 0);
  }

  /** Before the flusher commits epoch `epoch`. */
  async save(epoch: number): Promise<void> {
    const bytes = await this.store.save(epoch, {
      metrics: this.metrics.snapshot((name) => !SEND_COUNTERS.has(name)),
      lastStampMs: this.restoredStampMs,
    });
    if (bytes === undefined)
      this.deps.log.warn('self-monitoring: too many counters to save; they restart at zero after the next load', {
        epoch,
      });
  }

  /**
   * A committed delta folded into the registries. Deltas since format 3 carry the counts per
   * tenant; an older one (written before an upgrade) counts under its only tenant, or under
   * MIXED_TENANTS when it holds several.
   */
  deltaFolded(delta: DeltaContent): void {
    if (delta.tenants.some((t) => t.received !== undefined)) {
      for (const t of delta.tenants) {
        if (t.received === undefined) continue;
        this.metrics.add(N.SPANS_RECEIVED, { tenant: t.tenant }, t.received.spans);
        this.metrics.add(N.BYTES_RECEIVED, { tenant: t.tenant }, t.received.bytes);
        this.discarded(t.tenant, t.received.spansDiscarded);
      }
      return;
    }
    const tenant = delta.tenants.length === 1 ? delta.tenants[0].tenant : MIXED_TENANTS;
    this.metrics.add(N.SPANS_RECEIVED, { tenant }, delta.spans);
    this.discarded(tenant, delta.spansDiscarded);
  }

  private discarded(tenant: string, byKey: Readonly<Record<string, number>>): void {
    for (const [key, n] of Object.entries(byKey)) {
      const i = key.indexOf('|');
      const reason = i < 0 ? key : key.slice(0, i);
      const processor = i < 0 ? '' : key.slice(i + 1);
      this.metrics.add(N.SPANS_DISCARDED, { tenant, reason, processor }, n);
    }
  }

  /**
   * A partition's lag before a fold: offsets the ingest committed that the flusher had not
   * folded, and how long the oldest of them has waited since its commit.
   */
  partitionLag(topic: string, partition: number, committed: Cursor, folded: Cursor, nowMs: number): void {
    const behind = Math.max(0, committed.offset - folded.offset);
    const since = folded.committedAtMs > 0 ? folded.committedAtMs : committed.committedAtMs;
    const seconds = behind > 0 && since > 0 ? Math.max(0, (nowMs - since) / 1000) : 0;
    const labels = { group: N.LAG_GROUP, topic, partition: String(partition) };
    this.metrics.set(N.PARTITION_LAG, labels, behind);
    this.metrics.set(N.PARTITION_LAG_SECONDS, labels, seconds);
  }

  /** One tenant's series were collected for sending. */
  collection(tenant: string): void {
    this.metrics.add(N.COLLECTIONS, { tenant }, 1);
    this.metrics.touch(N.COLLECTIONS_FAILED, { tenant, error_type: 'remote_write' });
  }

  /** The outcome of one tenant's send to one endpoint (the tenants' and the self-metrics' own). */
  sent(r: SendResult): void {
    const labels = { tenant: r.tenant, remote_name: r.endpoint };
    const m = this.metrics;
    let samples = 0;
    let histograms = 0;
    let failedSamples = 0;
    let failedHistograms = 0;
    for (const req of r.requests) {
      samples += req.samples;
      histograms += req.histograms;
      m.add(N.RW_BYTES, labels, req.attempts * req.bytes);
      m.add(N.RW_SAMPLES_RETRIED, labels, req.retries * req.samples);
      if (!req.ok) {
        failedSamples += req.samples;
        failedHistograms += req.histograms;
      }
    }
    m.add(N.RW_SAMPLES, labels, samples);
    m.add(N.RW_HISTOGRAMS, labels, histograms);
    m.add(N.RW_EXEMPLARS, labels, r.delivered.exemplars);
    m.touch(N.RW_SAMPLES_FAILED, labels);
    m.add(N.RW_SAMPLES_FAILED, labels, failedSamples);
    m.add(N.RW_HISTOGRAMS_FAILED, labels, failedHistograms);
    if (failedSamples + failedHistograms > 0)
      m.add(N.COLLECTIONS_FAILED, { tenant: r.tenant, error_type: 'remote_write' }, 1);
  }

  /** Reads the registries and pairings, then sends every self-metric. Never throws for a failed send. */
  async collect(nowMs: number, deadlineMs: number, flusher: FlusherView): Promise<void> {
    if (nowMs < this.nextSendMs) return;
    this.nextSendMs = nowMs + (this.deps.intervalMs ?? 0);
    const m = this.metrics;
    for (const [tenant, registry] of flusher.tenants()) {
      const limits = registry.cardinality.limits;
      m.set(N.ACTIVE_SERIES, { tenant }, registry.activeSeries);
      m.set(N.MAX_ACTIVE_SERIES, { tenant }, limits.maxActive);
      // Cumulative in the saved registry state: read as is, never summed here.
      m.set(N.SERIES_LIMITED, { tenant }, registry.seriesLimitedTotal);
    }
    const pairings = flusher.serviceGraphPairings();
    const graphTenants = new Set(pairings.keys());
    for (const tenant of flusher.tenants().keys())
      if (this.deps.hasServiceGraphs?.(tenant) === true) graphTenants.add(tenant);
    for (const tenant of graphTenants) {
      // Cumulative in the saved pairing state (zero until a half reaches the flusher), as Tempo
      // creates them with the processor.
      const c = pairings.get(tenant)?.counters;
      m.set(N.SG_DROPPED_SPANS, { tenant }, c?.droppedSpans ?? 0);
      m.set(N.SG_DROPPED_EDGES, { tenant }, c?.droppedEdges ?? 0);
      for (const kind of ['client', 'server'])
        m.set(N.SG_EXPIRED_EDGES, { tenant, unmatched_span_kind: kind }, c?.expiredEdges.get(kind) ?? 0);
      for (const [kind, n] of c?.expiredEdges ?? [])
        m.set(N.SG_EXPIRED_EDGES, { tenant, unmatched_span_kind: kind }, n);
    }
    const series = m.render(Math.max(nowMs, this.restoredStampMs + 1), this.deps.externalLabels);
    this.restoredStampMs = Math.max(this.restoredStampMs, series[0]?.samples[0]?.timestampMs ?? 0);
    try {
      // saved first: a crash after this send resumes the send counters from these values
      await this.store.saveLive({
        metrics: m.snapshot((name) => SEND_COUNTERS.has(name)),
        lastStampMs: this.restoredStampMs,
      });
      await this.deps.sender.send(this.deps.tenant, series, deadlineMs);
    } catch (e) {
      this.deps.log.warn('self-monitoring: not sent (saving its counters or sending failed)', {
        error: e instanceof Error ? e.message : String(e),
      });
    }
  }
}
