// The flusher's state as the series table holds it: what a load gives the flusher back, and how
// a save writes it as the next epoch (lib/store/snapshot-store.ts), with what each save reports.

import type { SnapshotStore, StateHead } from '../store/snapshot-store.ts';
import { type FoldPosition, positionKey } from './fold-backlog.ts';
import type { FlusherDeps } from './flusher-deps.ts';
import type { StampClock } from './stamp-clock.ts';
import { TenantInstances } from './tenant-instances.ts';

/** What a save writes and a load restores. */
export interface FlusherMemory {
  readonly epoch: number;
  /** Positions folded up to, per partition. */
  readonly folded: Map<string, FoldPosition>;
  /** Latest Kafka record timestamp of the folded deltas (ms). */
  readonly dataClockMs: number;
  readonly instances: TenantInstances;
}

type StateDeps = Pick<FlusherDeps, 'config' | 'metrics' | 'log' | 'clock' | 'selfMonitor'>;

/**
 * Loads the last saved epoch (`read.head` when the header was just read). The tenants' collection
 * schedules carry over from `previous`: they are this process's, not the state's.
 */
export async function loadMemory(
  store: SnapshotStore,
  deps: StateDeps,
  stamps: StampClock,
  previous: TenantInstances | undefined,
  read?: { readonly head: StateHead | undefined },
): Promise<FlusherMemory> {
  const state = await store.load(read);
  await deps.selfMonitor?.load(state.epoch);
  // Samples a crashed run sent after this state was saved are unknown but all precede now
  // (as far as stamps may go: a host clock far ahead must not lift every later timestamp).
  let slackMs = 0;
  for (const tenant of Object.keys(state.tenants))
    slackMs = Math.max(slackMs, deps.config.tenant(tenant).ingestionSlackMs);
  const zeroFloorMs = stamps.bound(deps.clock(), slackMs);
  const { config, metrics, selfMonitor } = deps;
  return {
    epoch: state.epoch,
    folded: new Map(state.folded.map((f) => [positionKey(f.topic, f.partition), { ...f }])),
    dataClockMs: state.dataClockMs ?? 0,
    instances: TenantInstances.restored({ config, metrics, selfMonitor, zeroFloorMs }, state, previous),
  };
}

/** Saves `memory` as the epoch after its own, stamped `startedMs`; returns the new epoch. */
export async function saveMemory(
  store: SnapshotStore,
  deps: StateDeps,
  memory: FlusherMemory,
  startedMs: number,
): Promise<number> {
  const epoch = memory.epoch + 1;
  await deps.selfMonitor?.save(epoch);
  const saved = await store.save(
    {
      epoch,
      clockMs: startedMs,
      folded: [...memory.folded.values()],
      // one tenant's snapshot at a time, taken as the encoder reaches it
      tenants: memory.instances.registrySnapshots(),
      edges: memory.instances.pendingHalves(),
      dataClockMs: memory.dataClockMs,
    },
    memory.epoch,
    startedMs,
  );
  deps.metrics.add('StateBytes', saved.bytes, 'Bytes');
  deps.metrics.add('StateParts', saved.parts, 'Count', { medium: saved.medium });
  if (saved.retireFailures > 0) {
    deps.log.warn('superseded state parts could not be deleted; retried at the next save', {
      epoch,
      failures: saved.retireFailures,
    });
    deps.metrics.add('StateDeleteFailures', saved.retireFailures);
  }
  return epoch;
}
