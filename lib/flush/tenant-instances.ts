// The flusher's tenants: one TenantInstance each, created as a tenant first brings series or
// service-graph halves, and rebuilt from the saved state at each load. Read-only views give the
// registries and the pairings to those that want only those (the self-monitor, config reloads).

import type { TenantDelta } from '../delta/index.ts';
import type { HalfPairing } from '../processors/servicegraphs/half-pairing.ts';
import type { PendingEdgesSnapshot } from '../servicegraph-model/saved.ts';
import type { Registry } from '../series/registry.ts';
import type { RegistrySnapshot } from '../series/registry-state.ts';
import type { RegistrySnapshotStream } from '../store/snapshot-store.ts';
import type { TenantSend } from './tenant-fan-out.ts';
import { type CollectionTurn, TenantInstance, type TenantInstanceDeps } from './tenant-instance.ts';

export class TenantInstances implements Iterable<TenantInstance> {
  private readonly byTenant = new Map<string, TenantInstance>();
  /** Every tenant's registry, for those that have one (a live view). */
  readonly registries: ReadonlyMap<string, Registry> = new PartView(this.byTenant, (i) => i.registry);
  /** Every tenant's service-graph pairing, for those that have one (a live view). */
  readonly pairings: ReadonlyMap<string, HalfPairing> = new PartView(this.byTenant, (i) => i.pairing);

  constructor(private readonly deps: TenantInstanceDeps) {}

  /**
   * The tenants of a saved state: registries, then pending halves. Collection schedules are this
   * process's, so they carry over from the instances held before the load.
   */
  static restored(
    deps: TenantInstanceDeps,
    state: {
      readonly tenants: Readonly<Record<string, RegistrySnapshot>>;
      readonly edges?: Readonly<Record<string, PendingEdgesSnapshot>>;
    },
    previous: TenantInstances | undefined,
  ): TenantInstances {
    const instances = new TenantInstances(deps);
    for (const [tenant, snap] of Object.entries(state.tenants)) instances.get(tenant).restoreRegistry(snap);
    for (const [tenant, pending] of Object.entries(state.edges ?? {})) instances.get(tenant).restorePairing(pending);
    for (const old of previous ?? [])
      if (old.nextCollectionMs !== undefined) instances.get(old.tenant).keepScheduleOf(old);
    return instances;
  }

  [Symbol.iterator](): Iterator<TenantInstance> {
    return this.byTenant.values();
  }

  /** The tenant's instance, created on first use. */
  get(tenant: string): TenantInstance {
    let i = this.byTenant.get(tenant);
    if (i === undefined) this.byTenant.set(tenant, (i = new TenantInstance(tenant, this.deps)));
    return i;
  }

  /** Folds one tenant's part of a delta; a tenant present only with received counts gets no instance from that. */
  fold(t: TenantDelta, nowMs: number): void {
    const carries = t.increments.length > 0 || t.edgeHalves !== undefined || t.droppedSides !== undefined;
    const instance = this.byTenant.get(t.tenant) ?? (carries ? this.get(t.tenant) : undefined);
    instance?.fold(t, nowMs);
  }

  /** Every tenant's part of a collection turn: the sends, and whether stale series were removed. */
  collect(turn: CollectionTurn): { readonly sends: TenantSend[]; readonly removed: boolean } {
    const sends: TenantSend[] = [];
    let removed = false;
    for (const instance of this.byTenant.values()) {
      const c = instance.collect(turn);
      if (c.removed > 0) removed = true;
      if (c.send !== undefined) sends.push(c.send);
    }
    return { sends, removed };
  }

  /** The earliest collection due, or `latestMs` when none is due before it. */
  nextCollectionMs(latestMs: number): number {
    // A loop, not Math.min(...spread): the spread overflows the stack at ~130,000 tenants.
    let next = latestMs;
    for (const instance of this.byTenant.values()) {
      const due = instance.nextCollectionMs;
      if (due !== undefined && due < next) next = due;
    }
    return next;
  }

  expireHalves(clock: number, nowMs: number): void {
    for (const instance of this.byTenant.values()) instance.expireHalves(clock, nowMs);
  }

  publishCounters(): void {
    for (const instance of this.byTenant.values()) instance.publishCounters();
  }

  reloadPairings(): void {
    for (const instance of this.byTenant.values()) instance.reloadPairing();
  }

  get hasPendingHalves(): boolean {
    for (const p of this.pairings.values()) if (p.pending > 0) return true;
    return false;
  }

  /** Each registry's snapshot, taken as the state encoder reaches it. */
  *registrySnapshots(): Generator<readonly [string, RegistrySnapshotStream]> {
    for (const [tenant, r] of this.registries) yield [tenant, r.snapshot()];
  }

  pendingHalves(): Record<string, PendingEdgesSnapshot> {
    return Object.fromEntries([...this.pairings].map(([t, p]) => [t, p.snapshot()]));
  }
}

/** One part of every instance that has it, as a read-only map by tenant. */
class PartView<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly instances: ReadonlyMap<string, TenantInstance>,
    private readonly part: (i: TenantInstance) => V | undefined,
  ) {}

  get size(): number {
    let n = 0;
    for (const i of this.instances.values()) if (this.part(i) !== undefined) n++;
    return n;
  }

  get(tenant: string): V | undefined {
    const i = this.instances.get(tenant);
    return i === undefined ? undefined : this.part(i);
  }

  has(tenant: string): boolean {
    return this.get(tenant) !== undefined;
  }

  *entries(): MapIterator<[string, V]> {
    for (const [tenant, i] of this.instances) {
      const v = this.part(i);
      if (v !== undefined) yield [tenant, v];
    }
  }

  *keys(): MapIterator<string> {
    for (const [tenant] of this.entries()) yield tenant;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(callback: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [tenant, v] of this.entries()) callback(v, tenant, this);
  }
}
