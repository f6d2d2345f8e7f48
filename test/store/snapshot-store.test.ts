import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { sdkDdb } from '../../lib/store/ddb.ts';
import { createTable, startLocalDynamo } from '../../lib/store/local-dynamo.ts';
import { EpochConflictError, SnapshotStore, type FlusherState } from '../../lib/store/snapshot-store.ts';
import { SERIES_TABLE } from '../../lib/store/tables.ts';

const stateOf = (epoch: number, marker: number): FlusherState => ({
  epoch,
  clockMs: marker,
  folded: [{ topic: 't', partition: 0, cursor: { offset: marker, attempt: `a${marker}`, committedAtMs: 0 } }],
  tenants: {},
});

test('two writers racing for the same epoch: the loser neither commits nor damages the winner', async () => {
  const local = await startLocalDynamo();
  after(() => local.close());
  await createTable(local.client, SERIES_TABLE, 'snap');
  const store = new SnapshotStore(sdkDdb(local.client), 'snap');
  assert.equal((await store.load()).epoch, 0);
  await store.save(stateOf(1, 10), 0, Date.now());
  // a slow or zombie writer that also started from epoch 1
  await store.save(stateOf(2, 20), 1, Date.now());
  await assert.rejects(store.save(stateOf(2, 99), 1, Date.now()), EpochConflictError);
  const loaded = await store.load();
  assert.equal(loaded.epoch, 2);
  assert.equal(loaded.folded[0].cursor.offset, 20);
});

test('non-finite numbers inside the state (a histogram sum can be NaN or Infinity) survive a save and load', async () => {
  const local = await startLocalDynamo();
  after(() => local.close());
  await createTable(local.client, SERIES_TABLE, 'snap2');
  const store = new SnapshotStore(sdkDdb(local.client), 'snap2');
  const state = stateOf(1, 1);
  await store.save({ ...state, folded: [{ ...state.folded[0], cursor: { offset: 1, attempt: 'a', committedAtMs: Number.NaN } }], tenants: { t: { sum: -Infinity } as never } }, 0, Date.now());
  const loaded = await store.load();
  assert.ok(Number.isNaN(loaded.folded[0].cursor.committedAtMs));
  assert.equal((loaded.tenants.t as unknown as { sum: number }).sum, -Infinity);
});
