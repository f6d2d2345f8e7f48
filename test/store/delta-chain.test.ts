// Reading a partition's committed chain forward in bounded slices: failed attempts (orphaned
// parts from crashed or racing ingests) are never folded, slices join up exactly, and what is
// gone is reported as a gap with its offsets.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import { NO_CURSOR, readCursor, type Cursor } from '../../lib/store/cursor.ts';
import { readDeltaSlice, type CommittedDelta, type DeltaGap } from '../../lib/store/delta-chain.ts';
import { createTable } from '../../lib/store/local-dynamo.ts';
import { DELTAS_TABLE } from '../../lib/store/tables.ts';
import { wrapDdb } from '../../testing/ddb-wrapper.ts';
import { deleteDeltaItems } from '../helpers/delta-items.ts';
import { eventOf, makeRecords, startStore, testContext } from '../helpers/ingest-harness.ts';

describe('delta chain slices', async () => {
  const store = await startStore();
  after(() => store.close());
  let seq = 0;

  /** Commits batches of [from, count] on partition 0; before each, an attempt that crashes before its commit. */
  async function chain(batches: [number, number][], crashes = true): Promise<string> {
    const table = `chain-${seq++}`;
    await createTable(store.client, DELTAS_TABLE, table);
    for (const [from, count] of batches) {
      let calls = 0;
      // the crashed attempt writes its parts (a longer batch), then dies at the cursor commit
      const crashing = wrapDdb(store.ddb, async (op, run) => {
        if (op !== 'updateItem') return run();
        calls++;
        throw new Error('crash before commit');
      });
      if (crashes) {
        await assert.rejects(
          ingestEvent(
            { ...testContext(crashing), table, maxPartBytes: 400 },
            eventOf(makeRecords('traces', 0, from, count + 1)),
          ),
        );
        assert.equal(calls, 1);
      }
      await ingestEvent(
        { ...testContext(store.ddb), table, maxPartBytes: 400 },
        eventOf(makeRecords('traces', 0, from, count)),
      );
    }
    return table;
  }

  async function readAll(
    table: string,
    maxDeltas: number,
  ): Promise<{ deltas: CommittedDelta[]; gaps: DeltaGap[]; slices: number; position: Cursor }> {
    const cursor = await readCursor(store.ddb, table, 'traces', 0);
    const deltas: CommittedDelta[] = [];
    const gaps: DeltaGap[] = [];
    let at = NO_CURSOR;
    for (let slices = 1; ; slices++) {
      const s = await readDeltaSlice(store.ddb, table, 'traces', 0, at, cursor, maxDeltas);
      assert.ok(s.deltas.length <= maxDeltas);
      deltas.push(...s.deltas);
      gaps.push(...s.gaps);
      at = s.position;
      if (s.done) return { deltas, gaps, slices, position: at };
      assert.ok(slices < 100);
    }
  }

  const remove = (table: string, firstOffset: number) =>
    deleteDeltaItems(store.client, table, { partition: 0, firstOffset });

  test('slices of any size read exactly the committed deltas, never a failed attempt', async () => {
    const table = await chain([
      [0, 3],
      [3, 2],
      [5, 4],
      [9, 1],
      [10, 3],
    ]);
    const ranges = (ds: CommittedDelta[]) => ds.map((d) => [d.firstOffset, d.lastOffset]);
    const whole = await readAll(table, 1000);
    assert.deepEqual(ranges(whole.deltas), [
      [0, 2],
      [3, 4],
      [5, 8],
      [9, 9],
      [10, 12],
    ]);
    assert.deepEqual(whole.gaps, []);
    for (const max of [1, 2, 3]) {
      const sliced = await readAll(table, max);
      assert.deepEqual(ranges(sliced.deltas), ranges(whole.deltas), `slices of ${max}`);
      assert.deepEqual(
        sliced.deltas.map((d) => d.attempt),
        whole.deltas.map((d) => d.attempt),
      );
      assert.ok(sliced.slices >= Math.ceil(5 / max), `${sliced.slices} slices of ${max}`);
      assert.equal(sliced.position.offset, 12);
    }
  });

  test('gone deltas are gaps with their offsets: at the start, in the middle, and the cursor itself', async () => {
    const table = await chain(
      [
        [0, 3],
        [3, 2],
        [5, 4],
        [9, 1],
        [10, 3],
      ],
      false,
    );
    await remove(table, 0);
    await remove(table, 5);
    await remove(table, 10);
    for (const max of [1, 1000]) {
      const got = await readAll(table, max);
      assert.deepEqual(
        got.deltas.map((d) => [d.firstOffset, d.lastOffset]),
        [
          [3, 4],
          [9, 9],
        ],
        `slices of ${max}`,
      );
      assert.deepEqual(
        got.gaps.map((g) => [g.afterOffset + 1, g.lastOffset, g.reason]),
        [
          [0, 2, 'missing_delta'],
          [5, 8, 'missing_delta'],
          [10, 12, 'missing_delta'],
        ],
      );
      assert.equal(got.position.offset, 12);
    }
  });

  test('when a gap leaves a committed delta and a failed attempt indistinguishable, neither is folded', async () => {
    const table = await chain([
      [0, 3],
      [3, 2],
      [5, 4],
      [9, 1],
    ]);
    // what proved 3..4 committed (the attempts that started from it) is gone
    await remove(table, 5);
    const got = await readAll(table, 1000);
    assert.deepEqual(
      got.deltas.map((d) => [d.firstOffset, d.lastOffset]),
      [
        [0, 2],
        [9, 9],
      ],
    );
    assert.deepEqual(
      got.gaps.map((g) => [g.afterOffset + 1, g.lastOffset]),
      [[3, 8]],
    );
  });
});
