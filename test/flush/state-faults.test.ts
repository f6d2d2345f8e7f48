// Acceptance for the flusher's reliability paths under faults: a backlog folded in deadline-bound
// slices over several invocations, a gap in one partition's chain, and two warm containers taking
// turns (so every run checks the saved header and one of them must reload), large deltas read from
// the object store (claim check), one of them with its object gone. For every k, the k-th call of
// the flusher to DynamoDB or the object store fails (before it is sent, and separately after it
// took effect); the invocation fails, the schedule goes on, and the final saved state equals the
// fault-free run.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Flusher } from '../../lib/flush/flusher.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { MemoryObjectStore, type ObjectStore } from '../../lib/store/object-store.ts';
import { InjectedCrash } from '../helpers/crash.ts';
import { slowQueries } from '../../testing/ddb-wrapper.ts';
import { CallFaults, type Fault } from '../helpers/fault-store.ts';
import { deleteDeltaItems } from '../helpers/delta-items.ts';
import { RECORD_TIME_MS, eventOf, makeRecords, startStore, testContext } from '../helpers/ingest-harness.ts';
import { Clock, CheckingSender, flusherOn, freshSeriesTable, freshTables, stateText } from './flusher-harness.ts';

/**
 * The scheduled invocations: two warm containers taking turns, each with its deadline. The first
 * is cut by its deadline; `a` comes back with memory older than what `b` saved.
 */
const TURNS = [
  ['a', 2_000],
  ['b', 10_000],
  ['a', 10_000],
] as const;
/** With a persist interval a run may end without saving, so the schedule goes on one more run. */
const TURNS_WITH_INTERVAL = [...TURNS, ['b', 10_000]] as const;

describe('flusher reliability paths under faults', async () => {
  const store = await startStore();
  after(() => store.close());

  // The deltas are read-only for the flusher: one table serves every scenario.
  const { deltas } = await freshTables(store.client, 'sf');
  // partitions 1 and 2 claim-check every delta (threshold 1 byte), partition 0 stays inline
  const objects = new MemoryObjectStore();
  const objectKeys: string[] = [];
  for (let i = 0; i < 3; i++) {
    for (const partition of i < 2 ? [0, 1, 2] : [0]) {
      const ctx = {
        ...testContext(store.ddb, partition === 0 ? {} : { objects, objectThresholdBytes: 1 }),
        table: deltas,
      };
      const [r] = await ingestEvent(ctx, eventOf(makeRecords('traces', partition, i * 2, 2)));
      if (partition === 2) objectKeys.push(r.committed!.objectKey!);
    }
  }
  // partition 2 loses the object of its first delta (offsets 0..1)
  await objects.delete(objectKeys[0]);
  // partition 0 loses its second delta (offsets 2..3)
  await deleteDeltaItems(store.client, deltas, { partition: 0, firstOffset: 2 });

  /** The schedule with at most one fault; returns the final saved state and the flusher's call count. */
  async function scenario(
    fault?: Fault,
    persistIntervalMs?: number,
    withObjects = false,
  ): Promise<{
    state: string;
    calls: number;
    objectGets: number;
    crashed: boolean;
    foldedPerTurn: number[];
    lost: number;
    reloads: number;
    epoch: number;
    ops: string[];
  }> {
    const tables = { deltas, series: await freshSeriesTable(store.client, 'sf') };
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const faults = new CallFaults(fault);
    // reading deltas takes time, so the deadline cuts the backlog into slices
    const ddb = faults.ddb(slowQueries(store.ddb, deltas, clock, 400));
    // The deltas' objects are shared by every scenario (read-only); the saved state's objects are
    // the scenario's own. Every request goes through the same fault, before and after it.
    const stateObjects = new MemoryObjectStore();
    const storeOf = (key: string): ObjectStore => (key.startsWith('state/') ? stateObjects : objects);
    const routed: ObjectStore = {
      get: (key) => storeOf(key).get(key),
      put: (key, body) => storeOf(key).put(key, body),
      delete: (key) => storeOf(key).delete(key),
    };
    const faultyObjects = faults.objects(routed);
    // withObjects: the state in several small object parts (by default a state this small is one item)
    const stateParts = withObjects ? { stateParts: { inlineMaxBytes: 0, objectPartBytes: 512 } } : {};
    const sender = new CheckingSender();
    const metrics = new MetricsRecorder();
    const container = () =>
      flusherOn(ddb, tables, sender, clock, {
        sliceDeltas: 1,
        log: silentLogger,
        metrics,
        objects: faultyObjects,
        persistIntervalMs,
        ...stateParts,
      });
    const containers: Record<string, Flusher> = { a: container(), b: container() };
    const foldedPerTurn: number[] = [];
    let crashed = false;
    for (const [turn, runMs] of persistIntervalMs === undefined ? TURNS : TURNS_WITH_INTERVAL) {
      try {
        await containers[turn].run(clock.now + runMs);
      } catch (e) {
        if (!(e instanceof InjectedCrash)) throw e;
        crashed = true;
      }
      foldedPerTurn.push(metrics.total('DeltasFolded') - foldedPerTurn.reduce((a, b) => a + b, 0));
      clock.now += 20_000;
    }
    const check = flusherOn(store.ddb, tables, new CheckingSender(), clock, { objects: routed });
    await check.load();
    return {
      state: stateText(check),
      calls: faults.calls,
      objectGets: faults.count('s3.get'),
      crashed,
      foldedPerTurn,
      lost: metrics.total('DeltasLost'),
      reloads: metrics.total('StateReloads'),
      epoch: check.currentEpoch,
      ops: faults.ops,
    };
  }

  test('a fault before and after every call of sliced folds, gap skips, object reads and header checks changes nothing', async () => {
    const reference = await scenario();
    assert.ok(reference.state.includes('traces_spanmetrics_calls_total'));
    assert.ok(reference.calls >= 15, `${reference.calls} calls`);
    // the fault-free run takes every path: a cut backlog, gaps skipped (an item, an object), objects
    // read, a reload
    const [first] = reference.foldedPerTurn;
    assert.ok(first >= 1 && first < 5, `folded per invocation: ${reference.foldedPerTurn}`);
    assert.equal(
      reference.foldedPerTurn.reduce((a, b) => a + b, 0),
      5,
    );
    assert.equal(reference.lost, 2);
    assert.ok(reference.objectGets >= 3, `${reference.objectGets} object GETs`);
    assert.equal(reference.reloads, 1);
    let runs = 0;
    for (let k = 1; k <= reference.calls; k++) {
      for (const when of ['before', 'after'] as const) {
        const got = await scenario({ k, when });
        assert.ok(got.crashed, `call ${k} ${when}: the fault fired`);
        assert.equal(got.state, reference.state, `crash ${when} call ${k}`);
        runs++;
      }
    }
    assert.ok(runs >= 30);
  });

  test('with a persist interval (runs between saves keep their work in memory only), a fault before and after every call changes nothing', async () => {
    // 30 s: the first run saves (behind: its backlog was cut), b's run 21 s later does not, a's saves
    const interval = 30_000;
    const reference = await scenario(undefined, interval);
    assert.equal(reference.epoch, 2, 'one of the three runs did not save');
    assert.equal(reference.state, (await scenario()).state, 'same end state as saving every run');
    for (let k = 1; k <= reference.calls; k++) {
      // after a read, a fault is the same as one before the next call: only writes need both
      const op = reference.ops[k - 1];
      const whens =
        op === 'query' || op === 'getItem' || op === 's3.get' ? (['before'] as const) : (['before', 'after'] as const);
      for (const when of whens) {
        const got = await scenario({ k, when }, interval);
        assert.ok(got.crashed, `call ${k} ${when}: the fault fired`);
        assert.equal(got.state, reference.state, `crash ${when} call ${k}`);
      }
    }
  });

  test('with the saved state in the object store (several parts), a fault before and after every DynamoDB and S3 call changes nothing', async () => {
    const reference = await scenario(undefined, 30_000, true);
    assert.equal(reference.state, (await scenario()).state, 'same end state as with DynamoDB items');
    assert.ok(
      reference.ops.filter((o) => o === 's3.put').length >= 4,
      `${reference.ops.filter((o) => o === 's3.put').length} object parts written`,
    );
    assert.ok(reference.ops.includes('s3.get'), 'a reload read the state back from objects');
    for (let k = 1; k <= reference.calls; k++) {
      const op = reference.ops[k - 1];
      const whens =
        op === 'query' || op === 'getItem' || op === 's3.get' ? (['before'] as const) : (['before', 'after'] as const);
      for (const when of whens) {
        const got = await scenario({ k, when }, 30_000, true);
        assert.ok(got.crashed, `call ${k} (${op}) ${when}: the fault fired`);
        assert.equal(got.state, reference.state, `crash ${when} call ${k} (${op})`);
      }
    }
  });
});
