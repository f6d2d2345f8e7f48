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
import type { DeltaContent } from '../delta/index.ts';
import type { HalfPairing } from '../processors/servicegraphs/half-pairing.ts';
import { formatExposition } from '../series/exposition.ts';
import type { Registry } from '../series/registry.ts';
import type { CommittedDelta } from '../store/delta-chain.ts';
import { SnapshotStore, type StateHead } from '../store/snapshot-store.ts';
import { foldBacklog, type FoldPosition } from './fold-backlog.ts';
import { ReachGuard } from './fold-reach.ts';
import type { FlusherDeps } from './flusher-deps.ts';
import { loadMemory, saveMemory } from './flusher-state.ts';
import { halvesExpiryClock } from './halves-expiry.ts';
import { nothingToSend } from './idle.ts';
import { saveDue } from './persist-policy.ts';
import { StampClock } from './stamp-clock.ts';
import { TenantFanOut } from './tenant-fan-out.ts';
import { TenantInstances } from './tenant-instances.ts';

export type { FlusherDeps, SeriesSender } from './flusher-deps.ts';
export { IDLE_EXPIRY_LAG_MS } from './halves-expiry.ts';
export { COLLECT_CHUNK_SERIES } from './tenant-instance.ts';

/** How often stale series are swept (Tempo: every 5 minutes). */
const STALE_SWEEP_MS = 5 * 60_000;

/** Fallback wake-up of the loop when no collection is scheduled yet. */
const IDLE_WAKE_MS = 15_000;

export interface TickOptions {
  /**
   * Record in the state header how far this process folded before it sends (default true), so a
   * container that takes over refolds that far first (fold-reach.ts). Local mode is one process.
   */
  readonly recordReach?: boolean;
}

export interface TickOutcome {
  /** Deltas folded in this turn. */
  readonly folded: number;
  /** Nothing to send until new deltas come (idle.ts). */
  readonly idle: boolean;
}

export class Flusher {
  private readonly store: SnapshotStore;
  /** Every tenant's registry, service-graph pairing and collection schedule. */
  private instances: TenantInstances;
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
  private lastSweep = 0;
  private readonly fanOut: TenantFanOut;
  private readonly stamps: StampClock;

  constructor(private readonly deps: FlusherDeps) {
    this.store = new SnapshotStore(deps.ddb, deps.seriesTable, { ...deps.stateParts, objects: deps.objects });
    this.fanOut = new TenantFanOut({ sender: deps.sender, log: deps.log, metrics: deps.metrics, clock: deps.clock });
    this.stamps = new StampClock(deps.referenceClock, deps.log, deps.metrics);
    const { config, metrics, selfMonitor } = deps;
    this.instances = new TenantInstances({ config, metrics, selfMonitor, zeroFloorMs: 0 });
  }

  /** Current registries (tests, the self-monitor, config reloads). */
  tenants(): ReadonlyMap<string, Registry> {
    return this.instances.registries;
  }

  /** Service-graph halves waiting in the flusher, per tenant (tests, the self-monitor). */
  serviceGraphPairings(): ReadonlyMap<string, HalfPairing> {
    return this.instances.pairings;
  }

  /** Every tenant's current series in Prometheus text format (local mode's /metrics). */
  metricsText(): string {
    return [...this.instances.registries.values()].map((r) => formatExposition(r)).join('');
  }

  /** Series held per tenant (local mode's progress line). */
  seriesPerTenant(): [tenant: string, series: number][] {
    return [...this.instances.registries].map(([tenant, r]) => [tenant, r.size]);
  }

  get currentEpoch(): number {
    return this.epoch;
  }

  /**
   * One scheduled invocation: a turn of the loop (tick) every collection interval until
   * `deadlineMs` (or until there is nothing to send: idle.ts), then a save if one is due
   * (persist-policy.ts). `persist: false` neither saves nor records the reach (a crash before the save).
   */
  async run(deadlineMs: number, opts: { persist?: boolean } = {}): Promise<void> {
    const { clock, sleep } = this.deps;
    const persist = opts.persist !== false;
    try {
      await this.ensureCurrent();
      for (;;) {
        const now = clock();
        if ((await this.tick(now, deadlineMs, { recordReach: persist })).idle) break;
        const next = this.instances.nextCollectionMs(now + IDLE_WAKE_MS);
        if (next >= deadlineMs) break;
        await sleep(Math.max(0, next - clock()));
      }
      if (persist && this.saveDue()) await this.save();
    } catch (e) {
      // Whatever failed, memory may be ahead of (or beside) the saved state: start from it again.
      this.loaded = false;
      throw e;
    }
  }

  /**
   * One turn of the flush loop, as the Lambda's run and local mode drive it: fold what is
   * committed (until `deadlineMs`), cap sample timestamps, then collect and send every tenant
   * whose collection interval is due, each until `deadlineMs` at the latest; collections are held
   * while a container that took over still refolds what another one sent (fold-reach.ts).
   */
  async tick(nowMs: number, deadlineMs: number, opts: TickOptions = {}): Promise<TickOutcome> {
    const folded = await this.fold(nowMs, deadlineMs);
    this.stamps.limit(this.instances, nowMs);
    if (this.reach.mayCollect(this.folded, this.instances.registries.values())) {
      const record = opts.recordReach === false ? undefined : this.reach.toRecord(this.folded);
      if (record !== undefined) await this.store.recordReach(record).then(() => this.reach.recorded(this.folded));
      await this.collectDue(nowMs, deadlineMs);
    } else this.deps.metrics.add('CollectionsHeld', 1);
    return { folded, idle: folded === 0 && nothingToSend(this.instances, this.behind) };
  }

  /**
   * The last turn of a process that will not come back with this memory (local mode's stop):
   * folds everything committed, sends every tenant once more, due or not, each for up to
   * `sendWithinMs`, and saves. With `settleHalves` (the state dies with the process) every waiting
   * service-graph half is settled first, as if `wait` had passed, so what it gives goes out too.
   */
  async finish(sendWithinMs: number, opts: { readonly settleHalves: boolean }): Promise<void> {
    const { clock } = this.deps;
    const now = clock();
    await this.fold(now);
    if (opts.settleHalves) {
      await this.save({ expireAllHalves: true });
      const at = clock();
      await this.collectDue(at, at + sendWithinMs, { all: true });
    } else {
      await this.collectDue(now, now + sendWithinMs, { all: true });
      await this.save();
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
      pendingHalves: this.instances.hasPendingHalves,
      savedAtMs: this.store.head?.savedAtMs,
      behind: this.behind.size > 0,
      nowMs: this.deps.clock(),
      intervalMs: this.deps.persistIntervalMs ?? 0,
    });
  }

  /** Loads the last saved epoch (`read.head` when the header was just read). */
  async load(read?: { readonly head: StateHead | undefined }): Promise<void> {
    const m = await loadMemory(this.store, this.deps, this.stamps, this.instances, read);
    ({ epoch: this.epoch, folded: this.folded, dataClockMs: this.dataClockMs, instances: this.instances } = m);
    this.behind = new Map();
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
      this.instances.fold(t, nowMs);
      slackMs = Math.max(slackMs, this.deps.config.tenant(t.tenant).ingestionSlackMs);
    }
    // The data clock is shared by every tenant's pending halves: a delta can move it at most to
    // when it was written plus the slack, whatever record time it claims.
    const plausible = (committed.writtenAtMs > 0 ? committed.writtenAtMs : nowMs) + slackMs;
    const recordClock = Math.min(delta.maxTimestampMs, plausible);
    if (recordClock > this.dataClockMs) this.dataClockMs = recordClock;
  }

  /**
   * Collects every tenant whose collection interval is due (`all`: every tenant), sweeps stale
   * series, and sends each tenant's series (staleness markers first) through the fair, bounded
   * fan-out: tenants go out concurrently, each with its own deadline, so a slow receiver delays
   * no other tenant.
   */
  async collectDue(nowMs: number, deadlineMs: number, opts: { readonly all?: boolean } = {}): Promise<void> {
    const sweep = nowMs - this.lastSweep >= STALE_SWEEP_MS;
    if (sweep) this.lastSweep = nowMs;
    const { sends, removed } = this.instances.collect({ nowMs, deadlineMs, sweep, all: opts.all === true });
    if (removed) this.changedSinceSave = true;
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
      const expiryNowMs = opts.expireAllHalves === true ? Number.MAX_SAFE_INTEGER : started;
      const expiryClock = halvesExpiryClock(this.dataClockMs, this.behind, expiryNowMs);
      this.instances.expireHalves(expiryClock, expiryNowMs);
      const memory = {
        epoch: this.epoch,
        folded: this.folded,
        dataClockMs: this.dataClockMs,
        instances: this.instances,
      };
      this.epoch = await saveMemory(this.store, this.deps, memory, started);
      this.changedSinceSave = false;
    } catch (e) {
      // Memory is ahead of the saved state now (expiry ran): start again from the saved state.
      this.loaded = false;
      throw e;
    }
    this.instances.publishCounters();
    this.deps.metrics.add('PersistMilliseconds', this.deps.clock() - started, 'Milliseconds');
    this.deps.metrics.set('StateEpoch', this.epoch);
  }

  /** After a config reload: service-graph pairings follow their tenant's new settings. */
  reloadServiceGraphs(): void {
    this.instances.reloadPairings();
  }
}
