// The single-writer flusher: holds every tenant's registry, folds committed
// deltas into it, pairs the service-graph halves they carry across batches and partitions,
// remote-writes each tenant's series every collection interval, and saves the state as a new
// epoch at the end of the invocation.
//
// Exactly-once: the state records, per partition, the cursor (offset + attempt) it has folded up
// to. A crash before save() loses only in-memory progress; the next invocation reloads the last
// epoch and refolds the same committed deltas (the delta chain makes that set exact), so every
// delta is counted once in the saved state. Remote write sends cumulative values, so re-sending
// after a crash repeats nothing.
//
// Slices, chain gaps: fold-backlog.ts; capped sample timestamps: stamp-clock.ts.

import { randomBytes } from 'node:crypto';
import type { GeneratorConfig } from '../config/types.ts';
import type { DeltaContent, TenantDelta } from '../delta/index.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import type { HalfPairing } from '../processors/servicegraphs/half-pairing.ts';
import type { CollectedSeries } from '../series/collected.ts';
import { Registry } from '../series/registry.ts';
import { publishRegistryMetrics } from '../series/registry-self-metrics.ts';
import type { Ddb } from '../store/ddb.ts';
import type { CommittedDelta } from '../store/delta-chain.ts';
import type { ObjectStore } from '../store/object-store.ts';
import {
  SnapshotStore,
  type FlusherStateToSave,
  type RegistrySnapshotStream,
  type SnapshotStoreOptions,
  type StateHead,
} from '../store/snapshot-store.ts';
import { foldBacklog, positionKey, type FoldPosition } from './fold-backlog.ts';
import { nothingToSend } from './idle.ts';
import { saveDue } from './persist-policy.ts';
import { ReachGuard } from './fold-reach.ts';
import { ServiceGraphTenants } from './service-graph-tenants.ts';
import { StampClock } from './stamp-clock.ts';
import type { SelfMonitor } from '../self-monitoring/monitor.ts';
import { TenantFanOut, type TenantSend } from './tenant-fan-out.ts';

/** Sends one tenant's series to every configured endpoint; never throws for HTTP/network failures. */
export interface SeriesSender {
  send(tenant: string, series: readonly CollectedSeries[], deadlineMs: number): Promise<void>;
  /**
   * The same send pulled piece by piece, each piece sent before the next is rendered, so a large
   * tenant's collection is never held whole (optional: senders without it get it in one piece).
   */
  sendChunks?(tenant: string, chunks: Iterable<readonly CollectedSeries[]>, deadlineMs: number): Promise<void>;
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
  /** Committed deltas read per partition per turn (default: fold-backlog's). */
  readonly sliceDeltas?: number;
  /** An independent clock to check `clock` against (the store's, see stamp-clock.ts); none: trust `clock`. */
  readonly referenceClock?: () => number | undefined;
  /** Tempo-named self-metrics, remote-written every collection (lib/self-monitoring). */
  readonly selfMonitor?: SelfMonitor;
  /** Least time between two saves (ms; default 0: every run that changed the state): persist-policy.ts. */
  readonly persistIntervalMs?: number;
  /** Where large saved state goes (S3 in AWS); none: DynamoDB items only. */
  readonly objects?: ObjectStore;
  /** Part sizes of the saved state (tests; defaults: lib/store/state-parts.ts). */
  readonly stateParts?: Pick<SnapshotStoreOptions, 'objectPartBytes' | 'inlineMaxBytes'>;
}

/**
 * Time series rendered per piece of a streamed collection: a few requests of 2,000 samples, and a
 * few MB held per tenant in flight instead of the whole collection (bench/registry-memory.ts).
 */
export const COLLECT_CHUNK_SERIES = 10_000;
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
  private readonly graphs: ServiceGraphTenants;
  /** Latest Kafka record timestamp of the folded deltas (ms). */
  private dataClockMs = 0;
  private folded = new Map<string, FoldPosition>();
  /** Partitions the last fold left behind (deadline), with the record time reached on each. */
  private behind: ReadonlyMap<string, number> = new Map();
  private foldTurn = 0;
  /** This container's token in the header's `runner` (see ensureCurrent). */
  private runToken = '';
  private epoch = 0;
  private loaded = false;
  /** Deltas folded or series removed since the state was loaded or saved. */
  private changedSinceSave = false;
  /** How far any run sent from (fold-reach.ts): after a takeover, collections wait for the refold. */
  private readonly reach = new ReachGuard();
  private nextCollect = new Map<string, number>();
  private lastSweep = 0;
  /** Nothing is stamped at or before this time (see load()). */
  private zeroFloor = 0;
  private readonly fanOut: TenantFanOut;

  private readonly stamps: StampClock;

  constructor(private readonly deps: FlusherDeps) {
    this.store = new SnapshotStore(deps.ddb, deps.seriesTable, { ...deps.stateParts, objects: deps.objects });
    this.fanOut = new TenantFanOut({ sender: deps.sender, log: deps.log, metrics: deps.metrics, clock: deps.clock });
    this.stamps = new StampClock(deps.referenceClock, deps.log, deps.metrics);
    this.graphs = new ServiceGraphTenants(deps.config, deps.metrics, (tenant) => this.registry(tenant));
  }

  /** Current registries (tests, /metrics in local mode). */
  tenants(): ReadonlyMap<string, Registry> {
    return this.registries;
  }

  /** Service-graph halves waiting in the flusher, per tenant (tests, diagnostics). */
  serviceGraphPairings(): ReadonlyMap<string, HalfPairing> {
    return this.graphs.all;
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  /**
   * One scheduled invocation: fold and flush every collection interval until `deadlineMs` (or
   * until there is nothing to send: idle.ts), then save the state if a save is due (persist-policy.ts).
   * `persist: false` skips the save (local mode saves on its own schedule).
   */
  async run(deadlineMs: number, opts: { persist?: boolean } = {}): Promise<void> {
    const { clock, sleep } = this.deps;
    try {
      await this.ensureCurrent();
      for (;;) {
        const now = clock();
        const folded = await this.fold(now, deadlineMs);
        this.stamps.limit(this.registries, now, (tenant) => this.deps.config.tenant(tenant).ingestionSlackMs);
        if (this.reach.mayCollect(this.folded, this.registries.values())) {
          // local mode (persist: false) is one process: no other container ever takes over from it
          const record = opts.persist === false ? undefined : this.reach.toRecord(this.folded);
          if (record !== undefined) await this.store.recordReach(record).then(() => this.reach.recorded(this.folded));
          await this.collectDue(now, deadlineMs);
        } else this.deps.metrics.add('CollectionsHeld', 1);
        if (folded === 0 && nothingToSend(this.registries, this.graphs.all, this.behind)) break;
        // A loop, not Math.min(...spread): the spread overflows the stack at ~130,000 tenants.
        let next = now + 15_000;
        for (const due of this.nextCollect.values()) if (due < next) next = due;
        if (next >= deadlineMs) break;
        await sleep(Math.max(0, next - clock()));
      }
      if (opts.persist !== false && this.saveDue()) await this.save();
    } catch (e) {
      // Whatever failed, memory may be ahead of (or beside) the saved state: start from it again.
      this.loaded = false;
      throw e;
    }
  }

  /**
   * Memory is trusted only if nobody ran since this container's last run: with reserved
   * concurrency 1, two containers can still take turns, and the other one may have saved a newer
   * epoch, or sent samples from state it then failed to save. One write to the header per run
   * (its token, returning the previous token and epoch) decides.
   */
  private async ensureCurrent(): Promise<void> {
    const token = randomBytes(8).toString('hex');
    const { head, lastRun, reach } = await this.store.claim(token);
    const trusted = this.loaded && lastRun === this.runToken && this.store.holds(head);
    this.runToken = token;
    if (trusted) return;
    if (this.loaded) {
      this.deps.log.info('another container ran since this one did: reloading the saved state', {
        heldEpoch: this.epoch,
        savedEpoch: head?.epoch ?? 0,
      });
      this.deps.metrics.add('StateReloads', 1);
    }
    await this.load({ head });
    this.reach.afterLoad(this.folded, reach);
  }

  private saveDue(): boolean {
    return saveDue({
      changed: this.changedSinceSave,
      pendingHalves: this.graphs.hasPending,
      savedAtMs: this.store.head?.savedAtMs,
      behind: this.behind.size > 0,
      nowMs: this.deps.clock(),
      intervalMs: this.deps.persistIntervalMs ?? 0,
    });
  }

  /** Loads the last saved epoch (`read.head` when the header was just read). */
  async load(read?: { readonly head: StateHead | undefined }): Promise<void> {
    const state = await this.store.load(read);
    await this.deps.selfMonitor?.load(state.epoch);
    this.epoch = state.epoch;
    this.folded = new Map(state.folded.map((f) => [positionKey(f.topic, f.partition), { ...f }]));
    this.behind = new Map();
    this.registries = new Map();
    this.dataClockMs = state.dataClockMs ?? 0;
    this.graphs.restore(state.edges ?? {});
    // Samples a crashed run sent after this state was saved are unknown but all precede now
    // (as far as stamps may go: a host clock far ahead must not lift every later timestamp).
    let slackMs = 0;
    for (const tenant of Object.keys(state.tenants))
      slackMs = Math.max(slackMs, this.deps.config.tenant(tenant).ingestionSlackMs);
    this.zeroFloor = this.stamps.bound(this.deps.clock(), slackMs);
    for (const [tenant, snap] of Object.entries(state.tenants)) {
      const r = new Registry(this.deps.config.tenant(tenant), snap);
      r.resumeAfter(this.zeroFloor);
      this.registries.set(tenant, r);
    }
    this.loaded = true;
    this.changedSinceSave = false;
    this.deps.metrics.set('StateEpoch', this.epoch);
  }

  /**
   * Folds committed deltas after the folded positions into the registries, in slices per
   * partition, until all are folded or `deadlineMs` passes (the rest waits for the next call).
   */
  async fold(nowMs: number, deadlineMs = Number.POSITIVE_INFINITY): Promise<number> {
    if (!this.loaded) await this.load();
    const { ddb, deltasTable, log, metrics, clock, sliceDeltas, objects } = this.deps;
    const outcome = await foldBacklog(
      { ddb, deltasTable, log, metrics, clock, objects },
      this.folded,
      {
        nowMs,
        deadlineMs,
        sliceDeltas,
        turn: this.foldTurn++,
        onPartition: (topic, partition, cursor, after) =>
          this.deps.selfMonitor?.partitionLag(topic, partition, cursor, after, nowMs),
      },
      (delta, committed) => this.applyDelta(delta, committed, nowMs),
    );
    this.behind = outcome.behind;
    return outcome.folded;
  }

  private applyDelta(delta: DeltaContent, committed: CommittedDelta, nowMs: number): void {
    let slackMs = 0;
    this.changedSinceSave = true;
    this.deps.selfMonitor?.deltaFolded(delta);
    for (const t of delta.tenants) {
      // a tenant present only with received counts gets no registry from that
      if (t.increments.length > 0 || this.registries.has(t.tenant)) this.registry(t.tenant).apply(t.increments, nowMs);
      if (t.edgeHalves !== undefined || t.droppedSides !== undefined) this.graphs.add(t, nowMs);
      slackMs = Math.max(slackMs, this.deps.config.tenant(t.tenant).ingestionSlackMs);
    }
    // The data clock is shared by every tenant's pending halves: a delta can move it at most to
    // when it was written plus the slack, whatever record time it claims.
    const plausible = (committed.writtenAtMs > 0 ? committed.writtenAtMs : nowMs) + slackMs;
    const recordClock = Math.min(delta.maxTimestampMs, plausible);
    if (recordClock > this.dataClockMs) this.dataClockMs = recordClock;
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
        if (removed.length > 0) this.changedSinceSave = true;
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
      // collected when the tenant's send starts and as it is sent, markers first
      const chunks = function* (): Generator<readonly CollectedSeries[]> {
        yield markers;
        if (due) yield* registry.collectChunks(nowMs, COLLECT_CHUNK_SERIES);
      };
      sends.push({ tenant, chunks, deadlineMs: Math.min(deadlineMs, nowMs + interval) });
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
      const state: FlusherStateToSave = {
        epoch: this.epoch + 1,
        clockMs: started,
        folded: [...this.folded.values()],
        // one tenant's snapshot at a time, taken as the encoder reaches it
        tenants: snapshotsOf(this.registries),
        edges: this.graphs.snapshot(),
        dataClockMs: this.dataClockMs,
      };
      await this.deps.selfMonitor?.save(state.epoch);
      const saved = await this.store.save(state, this.epoch, started);
      this.epoch = state.epoch;
      this.changedSinceSave = false;
      this.deps.metrics.add('StateBytes', saved.bytes, 'Bytes');
      this.deps.metrics.add('StateParts', saved.parts, 'Count', { medium: saved.medium });
      if (saved.retireFailures > 0) {
        this.deps.log.warn('superseded state parts could not be deleted; retried at the next save', {
          epoch: state.epoch,
          failures: saved.retireFailures,
        });
        this.deps.metrics.add('StateDeleteFailures', saved.retireFailures);
      }
    } catch (e) {
      // Memory is ahead of the saved state now (expiry ran): start again from the saved state.
      this.loaded = false;
      throw e;
    }
    this.graphs.publishCounters();
    this.deps.metrics.add('PersistMilliseconds', this.deps.clock() - started, 'Milliseconds');
    this.deps.metrics.set('StateEpoch', this.epoch);
  }

  /**
   * Settles the halves that waited `wait` in vain. The clock is the latest record time folded
   * (so halves whose counterpart is in a backlog not yet folded keep waiting), or the wall clock
   * minus IDLE_EXPIRY_LAG_MS when records stopped coming.
   */
  private expireHalves(nowMs: number): void {
    const clock =
      this.behind.size > 0 ? this.backlogExpiryClock() : Math.max(this.dataClockMs, nowMs - IDLE_EXPIRY_LAG_MS);
    this.graphs.expire(clock, nowMs);
  }

  /**
   * While partitions are still behind (a backlog cut by the deadline), halves wait for the
   * partition furthest behind in record time: their counterparts may be in its unfolded deltas.
   */
  private backlogExpiryClock(): number {
    let clock = this.dataClockMs;
    for (const reached of this.behind.values()) if (reached < clock) clock = reached;
    return clock;
  }

  /** After a config reload: service-graph pairings follow their tenant's new settings. */
  reloadServiceGraphs(): void {
    this.graphs.reload();
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

function* snapshotsOf(registries: ReadonlyMap<string, Registry>): Generator<readonly [string, RegistrySnapshotStream]> {
  for (const [tenant, r] of registries) yield [tenant, r.snapshot()];
}
