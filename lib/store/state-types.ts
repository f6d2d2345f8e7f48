// What the flusher saves: its folded positions and clock, every tenant's registry, and the
// service-graph halves still waiting for their counterpart.

import type { PendingEdgesSnapshot } from '../servicegraph-model/saved.ts';
import type { RegistrySnapshot, SeriesSnapshot } from '../series/registry-state.ts';
import type { Cursor } from './cursor.ts';

export interface FoldedPosition {
  readonly topic: string;
  readonly partition: number;
  readonly cursor: Cursor;
}

export interface FlusherState {
  readonly epoch: number;
  /** The clock of the invocation that saved it (ms). */
  readonly clockMs: number;
  readonly folded: readonly FoldedPosition[];
  readonly tenants: Readonly<Record<string, RegistrySnapshot>>;
  /** Service-graph halves still waiting for their counterpart, per tenant. */
  readonly edges?: Readonly<Record<string, PendingEdgesSnapshot>>;
  /** The latest Kafka record time folded (ms): the clock pending halves expire by. */
  readonly dataClockMs?: number;
}

export const EMPTY_STATE: FlusherState = { epoch: 0, clockMs: 0, folded: [], tenants: {} };

/** A registry snapshot whose series (and tombstones) are produced one at a time while saving. */
export interface RegistrySnapshotStream extends Omit<RegistrySnapshot, 'series' | 'tombstones'> {
  readonly series: Iterable<SeriesSnapshot>;
  readonly tombstones: Iterable<readonly [string, number]>;
}

/**
 * The state as handed to a save: like FlusherState, but tenants may come as a sequence of
 * (tenant, snapshot) pairs, each snapshot taken when the encoder reaches it, so only one
 * tenant's snapshot needs to exist at a time.
 */
export interface FlusherStateToSave extends Omit<FlusherState, 'tenants'> {
  readonly tenants:
    | Readonly<Record<string, RegistrySnapshotStream>>
    | Iterable<readonly [string, RegistrySnapshotStream]>;
}
