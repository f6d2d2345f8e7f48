// The single-writer flusher (DESIGN "Flush"): holds every tenant's registry, folds committed
// deltas into it, pairs the service-graph halves they carry across batches and partitions,
// remote-writes each tenant's series every collection interval, and saves the state as a new
// epoch at the end of the invocation.
//
// Exactly-once: the state records, per partition, the cursor (offset + attempt) it has folded up
// to. A crash before save() loses only in-memory progress; the next invocation reloads the last
// epoch and refolds the same committed deltas (the delta chain makes that set exact), so every
// delta is counted once in the saved state. Remote write sends cumulative values, so re-sending
// after a crash repeats nothing.

import type { GeneratorConfig } from '../config/types.ts';
import { DeltaFormatError, decodeDelta, joinParts, type TenantDelta } from '../delta/index.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import { HalfPairing } from '../processors/servicegraphs/half-pairing.ts';
import type { CollectedSeries } from '../series/collected.ts';
import type { SeriesIncrement } from '../series/types.ts';
import { Registry } from '../series/registry.ts';
import { publishRegistryMetrics } from '../series/registry-self-metrics.ts';
import { NO_CURSOR, readAllCursors, type Cursor } from '../store/cursor.ts';
import type { Ddb } from '../store/ddb.ts';
import { readCommittedDeltas } from '../store/delta-log.ts';
import { SnapshotStore, type FlusherState } from '../store/snapshot-store.ts';
import type { SelfMonitor } from '../self-monitoring/monitor.ts';
import { TenantFanOut, type TenantSend } from './tenant-fan-out.ts';

/** Sends one tenant's series to every configured endpoint; never throws for HTTP/network failures. */
export interface SeriesSender {
  send(tenant: string, series: readonly CollectedSeries[], deadlineMs: number): Promise<void>;
}

export interface FlusherDeps {
  readonly ddb: Ddb;
  readonly deltasTable: string;
  readonly seriesTable: string;
  readonly config: GeneratorConfig;
  readonly sender: SeriesSender;
  readonly log: Logger;
  readonly metrics: MetricsRecorder;
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Tempo-named self-metrics, remote-written every collection (lib/self-monitoring). */
  readonly selfMonitor?: SelfMonitor;
}

/** How often stale series are swept (Tempo: every 5 minutes). */
const STALE_SWEEP_MS = 5 * 60_000;
/**
 * Pending service-graph halves expire by the latest record time folded, so a backlog folded late
 * still pairs; when no newer records come, by the wall clock minus this much.
 */
export const IDLE_EXPIRY_LAG_MS = 60_000;

export class Flusher {
  private readonly store: SnapshotStore;
  private registries = new Map<string, Registry>();
  private pairings = new Map<string, HalfPairing>();
  /** Latest Kafka record timestamp of the folded deltas (ms). */
  private dataClockMs = 0;
  /** Service-graph counters already published, per tenant and counter. */
  private readonly published = new Map<string, number>();
  private folded = new Map<string, { topic: string; partition: number; cursor: Cursor }>();
  private epoch = 0;
  private loaded = false;
  private nextCollect = new Map<string, number>();
  private lastSweep = 0;
  /** Nothing is stamped at or before this time (see load()). */
  private zeroFloor = 0;
  private readonly fanOut: TenantFanOut;

  constructor(private readonly deps: FlusherDeps) {
    this.store = new SnapshotStore(deps.ddb, deps.seriesTable);
    this.fanOut = new TenantFanOut({ sender: deps.sender, log: deps.log, metrics: deps.metrics, clock: deps.clock });
  }

  /** Current registries (tests, /metrics in local mode). */
  tenants(): ReadonlyMap<string, Registry> {
    return this.registries;
  }

  /** Service-graph halves waiting in the flusher, per tenant (tests, diagnostics). */
  serviceGraphPairings(): ReadonlyMap<string, HalfPairing> {
    return this.pairings;
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  /**
   * One scheduled invocation: fold and flush every collection interval until `deadlineMs`, then
   * save the state. `persist: false` skips the save (local mode saves on its own schedule).
   */
  async run(deadlineMs: number, opts: { persist?: boolean } = {}): Promise<void> {
    const { clock, sleep } = this.deps;
    try {
      if (!this.loaded) await this.load();
      for (;;) {
        const now = clock();
        await this.fold(now);
        await this.collectDue(now, deadlineMs);
        const next = Math.min(...[...this.nextCollect.values(), now + 15_000]);
        if (next >= deadlineMs) break;
        await sleep(Math.max(0, next - clock()));
      }
      if (opts.persist !== false) await this.save();
    } catch (e) {
      // Whatever failed, memory may be ahead of (or beside) the saved state: start from it again.
      this.loaded = false;
      throw e;
    }
  }

  /** Loads the last saved epoch (a warm container that saved it keeps its memory instead). */
  async load(): Promise<void> {
    const state = await this.store.load();
    await this.deps.selfMonitor?.load(state.epoch);
    this.epoch = state.epoch;
    this.folded = new Map(state.folded.map((f) => [key(f.topic, f.partition), { ...f }]));
    this.registries = new Map();
    this.pairings = new Map();
    this.dataClockMs = state.dataClockMs ?? 0;
    for (const [tenant, pending] of Object.entries(state.edges ?? {})) this.pairing(tenant)?.restore(pending);
    // The saved counters were published by the run that saved them.
    this.published.clear();
    this.publishServiceGraphCounters(false);
    // Samples a crashed run sent after this state was saved are unknown but all precede now.
    this.zeroFloor = this.deps.clock();
    for (const [tenant, snap] of Object.entries(state.tenants)) {
      const r = new Registry(this.deps.config.tenant(tenant), snap);
      r.resumeAfter(this.zeroFloor);
      this.registries.set(tenant, r);
    }
    this.loaded = true;
    this.deps.metrics.set('StateEpoch', this.epoch);
  }

  /** Folds every committed delta after the folded positions into the registries. */
  async fold(nowMs: number): Promise<number> {
    if (!this.loaded) await this.load();
    const { ddb, deltasTable, metrics } = this.deps;
    let folded = 0;
    let maxLagSeconds = 0;
    for (const { topic, partition, cursor } of await readAllCursors(ddb, deltasTable)) {
      const k = key(topic, partition);
      const after = this.folded.get(k)?.cursor ?? NO_CURSOR;
      this.deps.selfMonitor?.partitionLag(topic, partition, cursor, after, nowMs);
      if (cursor.offset <= after.offset) continue;
      // Unfolded deltas were committed after the folded position: they waited at most this long.
      const since = after.committedAtMs > 0 ? after.committedAtMs : cursor.committedAtMs;
      if (since > 0) maxLagSeconds = Math.max(maxLagSeconds, (nowMs - since) / 1000);
      for (const committed of await readCommittedDeltas(ddb, deltasTable, topic, partition, after, cursor)) {
        let delta;
        try {
          delta = decodeDelta(joinParts(committed.parts));
        } catch (e) {
          if (!(e instanceof DeltaFormatError)) throw e;
          // A committed delta that does not decode would stop every later fold: skip it, loudly.
          metrics.add('CorruptDeltas', 1, 'Count', { topic });
          this.deps.log.error('skipping a committed delta that does not decode', {
            topic,
            partition,
            firstOffset: committed.firstOffset,
            lastOffset: committed.lastOffset,
            error: e.message,
          });
          continue;
        }
        this.deps.selfMonitor?.deltaFolded(delta);
        for (const t of delta.tenants) {
          // a tenant present only with received counts gets no registry from that
          if (t.increments.length > 0 || this.registries.has(t.tenant)) this.registry(t.tenant).apply(t.increments, nowMs);
          if (t.edgeHalves !== undefined || t.droppedSides !== undefined) this.pairHalves(t, nowMs);
        }
        if (delta.maxTimestampMs > this.dataClockMs) this.dataClockMs = delta.maxTimestampMs;
        folded++;
      }
      metrics.set('FoldLagOffsets', cursor.offset - after.offset, 'Count', { topic, partition: String(partition) });
      this.folded.set(k, { topic, partition, cursor });
    }
    metrics.add('DeltasFolded', folded);
    metrics.set('FoldLagSeconds', maxLagSeconds, 'Seconds');
    return folded;
  }

  /**
   * Collects every tenant whose collection interval is due, sweeps stale series, and sends each
   * tenant's series (staleness markers first) through the fair, bounded fan-out: tenants go out
   * concurrently, each with its own deadline, so a slow receiver delays no other tenant.
   */
  async collectDue(nowMs: number, deadlineMs: number): Promise<void> {
    const sweep = nowMs - this.lastSweep >= STALE_SWEEP_MS;
    if (sweep) this.lastSweep = nowMs;
    const sends: TenantSend[] = [];
    for (const [tenant, registry] of this.registries) {
      const markers: CollectedSeries[] = [];
      if (sweep) {
        const removed = registry.removeStale(nowMs);
        for (const r of removed) for (const m of r.markers) markers.push(m);
        this.deps.metrics.add('SeriesRemoved', removed.length, 'Count', { tenant });
      }
      const interval = this.deps.config.tenant(tenant).registry.collectionIntervalMs;
      const due = nowMs >= (this.nextCollect.get(tenant) ?? 0);
      if (due) {
        this.nextCollect.set(tenant, nowMs + interval);
        this.deps.metrics.set('ActiveSeries', registry.size, 'Count', { tenant });
        publishRegistryMetrics(tenant, registry, this.deps.metrics);
        this.deps.selfMonitor?.collection(tenant);
      } else if (markers.length === 0) continue;
      // collected when the tenant's send starts, so only the tenants in flight are in memory
      const series = (): CollectedSeries[] => {
        if (due) for (const s of registry.collect(nowMs)) markers.push(s);
        return markers;
      };
      sends.push({ tenant, series, deadlineMs: Math.min(deadlineMs, nowMs + interval) });
    }
    await this.fanOut.sendAll(sends);
    await this.deps.selfMonitor?.collect(nowMs, deadlineMs, this);
  }

  /**
   * Expires pending service-graph halves, then saves the state as the next epoch. Expiry happens
   * only here, right before the atomic save and after the last send: a run that crashes before
   * the save sent nothing that depends on its expiry decisions, and the run that redoes the
   * epoch decides afresh from the same saved state. `expireAllHalves` settles every pending half
   * as if `wait` had passed (local mode's shutdown: its state does not outlive the process).
   */
  async save(opts: { expireAllHalves?: boolean } = {}): Promise<void> {
    const started = this.deps.clock();
    try {
      if (!this.loaded) await this.load();
      this.expireHalves(opts.expireAllHalves === true ? Number.MAX_SAFE_INTEGER : started);
      const state: FlusherState = {
        epoch: this.epoch + 1,
        clockMs: started,
        folded: [...this.folded.values()],
        tenants: Object.fromEntries([...this.registries].map(([t, r]) => [t, r.snapshot()])),
        edges: Object.fromEntries([...this.pairings].map(([t, p]) => [t, p.snapshot()])),
        dataClockMs: this.dataClockMs,
      };
      await this.deps.selfMonitor?.save(state.epoch);
      const bytes = await this.store.save(state, this.epoch, started);
      this.epoch = state.epoch;
      this.deps.metrics.add('StateBytes', bytes, 'Bytes');
    } catch (e) {
      // Memory is ahead of the saved state now (expiry ran): start again from the saved state.
      this.loaded = false;
      throw e;
    }
    this.publishServiceGraphCounters();
    this.deps.metrics.add('PersistMilliseconds', this.deps.clock() - started, 'Milliseconds');
    this.deps.metrics.set('StateEpoch', this.epoch);
  }

  /** Pairs a delta's service-graph halves with those of earlier batches and partitions. */
  private pairHalves(t: TenantDelta, nowMs: number): void {
    const pairing = this.pairing(t.tenant);
    if (pairing === undefined) {
      // The tenant's config no longer has service graphs: the halves have nowhere to go.
      this.deps.metrics.add('ServiceGraphHalvesIgnored', (t.edgeHalves?.length ?? 0) + (t.droppedSides?.length ?? 0), 'Count', { tenant: t.tenant });
      return;
    }
    for (const d of t.droppedSides ?? []) pairing.addDroppedSide(d);
    for (const h of t.edgeHalves ?? []) pairing.addHalf(h);
    this.applyPaired(t.tenant, pairing, nowMs);
  }

  /** Folds the metrics of the edges a pairing completed or expired into the tenant's registry. */
  private applyPaired(tenant: string, pairing: HalfPairing, nowMs: number): void {
    const out: SeriesIncrement[] = [];
    pairing.drain(out);
    if (out.length > 0) this.registry(tenant).apply(out, nowMs);
  }

  /**
   * Settles the halves that waited `wait` in vain. The clock is the latest record time folded
   * (so halves whose counterpart is in a backlog not yet folded keep waiting), or the wall clock
   * minus IDLE_EXPIRY_LAG_MS when records stopped coming.
   */
  private expireHalves(nowMs: number): void {
    const clock = Math.max(this.dataClockMs, nowMs - IDLE_EXPIRY_LAG_MS);
    for (const [tenant, pairing] of this.pairings) {
      pairing.expire(clock);
      this.applyPaired(tenant, pairing, nowMs);
    }
  }

  /**
   * Tempo's service-graph self-monitoring counters, as operational metrics (spec 3.2): what the
   * saved state counted since the last publication. They are cumulative in the state, so a run
   * that crashed before its save publishes nothing that the next run counts again. With `emit`
   * false, only marks the current values as published (after a load).
   */
  private publishServiceGraphCounters(emit = true): void {
    for (const [tenant, p] of this.pairings) {
      const c = p.counters;
      const values: [string, number, Record<string, string>][] = [
        ['ServiceGraphDroppedSpans', c.droppedSpans, { tenant }],
        ['ServiceGraphDroppedEdges', c.droppedEdges, { tenant }],
        ...[...c.expiredEdges].map(([kind, n]): [string, number, Record<string, string>] => ['ServiceGraphExpiredEdges', n, { tenant, unmatched_span_kind: kind }]),
      ];
      for (const [name, value, dims] of values) {
        const k = `${name}\u0000${JSON.stringify(dims)}`;
        const change = value - (this.published.get(k) ?? 0);
        this.published.set(k, value);
        if (emit && change > 0) this.deps.metrics.add(name, change, 'Count', dims);
      }
      if (emit) this.deps.metrics.set('ServiceGraphPendingEdges', p.pending, 'Count', { tenant });
    }
  }

  private pairing(tenant: string): HalfPairing | undefined {
    let p = this.pairings.get(tenant);
    if (p === undefined) {
      const cfg = this.deps.config.tenant(tenant);
      if (cfg.serviceGraphs === undefined) return undefined;
      p = new HalfPairing(cfg, {
        discard: (reason, processor, spans) => this.deps.metrics.add('SpansDiscarded', spans, 'Count', { reason, processor }),
      });
      this.pairings.set(tenant, p);
    }
    return p;
  }

  private registry(tenant: string): Registry {
    let r = this.registries.get(tenant);
    if (r === undefined) {
      r = new Registry(this.deps.config.tenant(tenant));
      r.resumeAfter(this.zeroFloor);
      this.registries.set(tenant, r);
    }
    return r;
  }
}

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
