// The flusher's state under trouble: a delta gone from the chain, a backlog larger than one
// invocation, two containers taking turns, a poisoned record clock, very many tenants.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';
import { SnapshotStore } from '../../lib/store/snapshot-store.ts';
import type { SeriesIncrement } from '../../lib/series/types.ts';
import { slowQueries, wrapDdb } from '../../testing/ddb-wrapper.ts';
import { deleteDeltaItems } from '../helpers/delta-items.ts';
import { RECORD_TIME_MS, eventOf, makeRecords, startStore, testContext } from '../helpers/ingest-harness.ts';
import {
  Clock,
  CheckingSender,
  commitDelta,
  flusherOn,
  freshTables,
  handMadeDelta,
  stateText,
  type Tables,
} from './flusher-harness.ts';

describe('flusher state reliability', async () => {
  const store = await startStore();
  after(() => store.close());

  /** One ingest invocation per [partition, from, count]. */
  async function ingest(tables: Tables, batches: [number, number, number][], maxPartBytes?: number): Promise<void> {
    for (const [partition, from, count] of batches) {
      const ctx = {
        ...testContext(store.ddb),
        table: tables.deltas,
        ...(maxPartBytes === undefined ? {} : { maxPartBytes }),
      };
      await ingestEvent(ctx, eventOf(makeRecords('traces', partition, from, count)));
    }
  }

  const deleteDelta = (tables: Tables, partition: number, firstOffset: number, onlyPart?: string) =>
    deleteDeltaItems(store.client, tables.deltas, { partition, firstOffset, onlyPart });

  test('a delta gone from one partition is skipped there, counted and logged; everything else folds', async () => {
    const tables = await freshTables(store.client, 'gap');
    await ingest(
      tables,
      [
        [0, 0, 3],
        [0, 3, 3],
        [0, 6, 3],
        [1, 0, 4],
        [0, 9, 6],
        [0, 15, 3],
      ],
      600,
    );
    assert.ok((await deleteDelta(tables, 0, 3)) >= 1, 'the delta at offsets 3..5 is gone');
    assert.equal(await deleteDelta(tables, 0, 9, '0001'), 1, 'one part of the delta at 9..14 is gone');
    // the reference: the same records without the lost ones
    const ref = await freshTables(store.client, 'gap-ref');
    await ingest(ref, [
      [0, 0, 3],
      [0, 6, 3],
      [1, 0, 4],
      [0, 15, 3],
    ]);
    const refFlusher = flusherOn(store.ddb, ref, new CheckingSender(), new Clock(RECORD_TIME_MS + 60_000));
    await refFlusher.run(RECORD_TIME_MS + 61_000);

    const errors: Record<string, unknown>[] = [];
    const metrics = new MetricsRecorder();
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const f = flusherOn(store.ddb, tables, new CheckingSender(), clock, {
      metrics,
      log: { ...silentLogger, error: (_m, fields) => errors.push(fields ?? {}) },
    });
    await f.run(clock.now + 1000);

    assert.equal(stateText(f), stateText(refFlusher));
    assert.equal(metrics.total('DeltasLost'), 2);
    assert.equal(metrics.total('OffsetsLost'), 3 + 6);
    assert.deepEqual(
      errors.map((e) => [e.partition, e.firstOffset, e.lastOffset, e.reason]),
      [
        [0, 3, 5, 'missing_delta'],
        [0, 9, 14, 'missing_parts'],
      ],
    );
    // the saved positions are past the gaps: the next invocation does not report them again
    const again = new MetricsRecorder();
    await flusherOn(store.ddb, tables, new CheckingSender(), clock, { metrics: again }).run(clock.now + 1000);
    assert.equal(again.total('DeltasLost'), 0);
  });

  test('a backlog larger than one invocation folds in slices within the deadline and converges', async () => {
    const tables = await freshTables(store.client, 'backlog');
    const batches: [number, number, number][] = [];
    for (let i = 0; i < 10; i++) batches.push([0, i * 2, 2], [1, i * 2, 2]);
    await ingest(tables, batches);
    const ref = await freshTables(store.client, 'backlog-ref');
    await ingest(ref, batches);
    const refFlusher = flusherOn(store.ddb, ref, new CheckingSender(), new Clock(RECORD_TIME_MS + 60_000));
    await refFlusher.run(RECORD_TIME_MS + 61_000);

    // reading deltas takes time: 100 ms per item read
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const slow = slowQueries(store.ddb, tables.deltas, clock, 100);
    const sender = new CheckingSender();
    let invocations = 0;
    const folded: number[] = [];
    for (; invocations < 10; invocations++) {
      const deadline = clock.now + 1_000;
      const metrics = new MetricsRecorder();
      const f = flusherOn(slow, tables, sender, clock, { sliceDeltas: 2, metrics });
      await f.run(deadline);
      // one slice (2 deltas of one item each, plus the delta proving the second) may end past the deadline
      assert.ok(
        clock.now <= deadline + 300,
        `invocation ${invocations} ran ${clock.now - deadline} ms past its deadline`,
      );
      folded.push(metrics.total('DeltasFolded'));
      const saved = await new SnapshotStore(store.ddb, tables.series).load();
      const behind = saved.folded.some((p) => p.cursor.offset < 19);
      if (!behind) {
        assert.equal(stateText(f), stateText(refFlusher));
        break;
      }
      clock.now += 5_000;
    }
    assert.ok(invocations >= 2, `the backlog took ${invocations + 1} invocations (${folded})`);
    assert.ok(invocations < 10, `the backlog did not converge: ${folded}`);
    assert.equal(
      folded.reduce((a, b) => a + b, 0),
      20,
    );
  });

  test('a warm container whose memory is older than the saved header reloads before folding', async () => {
    const tables = await freshTables(store.client, 'warm');
    const ref = await freshTables(store.client, 'warm-ref');
    const sender = new CheckingSender();
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const a = flusherOn(store.ddb, tables, sender, clock);
    const b = flusherOn(store.ddb, tables, sender, clock);
    const steps: [typeof a, [number, number, number][]][] = [
      [a, [[0, 0, 4]]],
      [
        b,
        [
          [0, 4, 4],
          [1, 0, 3],
        ],
      ],
      [b, [[0, 8, 2]]],
      [a, [[1, 3, 3]]],
      [a, [[0, 10, 2]]],
    ];
    for (const [f, batches] of steps) {
      await ingest(tables, batches);
      await ingest(ref, batches);
      await f.run(clock.now + 20_000);
      clock.now += 10_000;
    }
    const refFlusher = flusherOn(store.ddb, ref, new CheckingSender(), clock);
    await refFlusher.run(clock.now + 1000);
    assert.equal(stateText(a), stateText(refFlusher));
    assert.equal((await new SnapshotStore(store.ddb, tables.series).load()).epoch, steps.length);
  });

  test('a warm container that saved the current epoch keeps its memory (one header read, no reload)', async () => {
    const tables = await freshTables(store.client, 'keep');
    await ingest(tables, [[0, 0, 4]]);
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    let snapshotQueries = 0;
    const counting = wrapDdb(store.ddb, (op, run, input) => {
      if (op === 'query' && (input as { TableName?: string }).TableName === tables.series) snapshotQueries++;
      return run();
    });
    const metrics = new MetricsRecorder();
    const f = flusherOn(counting, tables, new CheckingSender(), clock, { metrics });
    await f.run(clock.now + 20_000);
    const afterFirst = snapshotQueries;
    await ingest(tables, [[0, 4, 4]]);
    await f.run(clock.now + 20_000);
    assert.equal(snapshotQueries, afterFirst, 'the snapshot was not read again');
    assert.equal(metrics.total('StateReloads'), 0);
  });

  test('a delta claiming a far-future record time moves the saved data clock at most to its write time plus the slack', async () => {
    const tables = await freshTables(store.client, 'poison');
    const T = RECORD_TIME_MS;
    await commitDelta(
      store.ddb,
      tables.deltas,
      handMadeDelta({
        minTimestampMs: T,
        maxTimestampMs: T + 10 * 365 * 86400_000,
        tenants: [{ tenant: 'team-a', increments: [] }],
      }),
      T,
    );
    const clock = new Clock(T + 60_000);
    await flusherOn(store.ddb, tables, new CheckingSender(), clock).run(clock.now + 1000);
    const saved = await new SnapshotStore(store.ddb, tables.series).load();
    assert.equal(saved.dataClockMs, T + 30_000);
  });

  test('150,000 tenants: the run loop does not overflow the stack', async () => {
    const tables = await freshTables(store.client, 'many');
    // one counter each: a tenant gets a registry (and a collection schedule) only with series
    const one = (): SeriesIncrement[] => [{ type: 'counter', name: 'c_total', labels: [], value: 1 }];
    const tenants = Array.from({ length: 150_000 }, (_, i) => ({ tenant: `t${i}`, increments: one() }));
    await commitDelta(store.ddb, tables.deltas, handMadeDelta({ tenants }), RECORD_TIME_MS);
    const clock = new Clock(RECORD_TIME_MS + 60_000);
    const f = flusherOn(store.ddb, tables, new CheckingSender(), clock);
    await f.run(clock.now + 1000, { persist: false });
    assert.equal(f.tenants().size, 150_000);
  });
});
