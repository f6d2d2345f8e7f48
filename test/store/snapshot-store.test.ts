import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
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

async function allItems(local: { client: import('@aws-sdk/client-dynamodb').DynamoDBClient }, table: string) {
  const { ScanCommand } = await import('@aws-sdk/client-dynamodb');
  const out = await local.client.send(new ScanCommand({ TableName: table }));
  return out.Items ?? [];
}

/** A state whose snapshot compresses to more than one 350 KB part (random text barely deflates). */
function bigState(epoch: number): FlusherState {
  const text = randomBytes(600_000).toString('base64');
  return { ...stateOf(epoch, epoch), tenants: { t: { blob: text } as never } };
}

test('the current epoch never expires; superseded epochs do', async () => {
  const local = await startLocalDynamo();
  after(() => local.close());
  await createTable(local.client, SERIES_TABLE, 'snap3');
  const store = new SnapshotStore(sdkDdb(local.client), 'snap3');
  for (let e = 1; e <= 4; e++) await store.save(stateOf(e, e), e - 1, Date.now());
  const byEpoch = new Map<number, boolean[]>();
  for (const item of await allItems(local, 'snap3')) {
    const m = /^snap#(\d+)#/.exec(item.pk.S!);
    if (m === null) continue;
    const list = byEpoch.get(Number(m[1])) ?? [];
    list.push(item.ttl !== undefined);
    byEpoch.set(Number(m[1]), list);
  }
  assert.deepEqual(byEpoch.get(4), [false], 'the current epoch has no TTL');
  assert.deepEqual(byEpoch.get(3), [false], 'the epoch before it is kept for recovery');
  assert.deepEqual(byEpoch.get(1), [true], 'older epochs expire');
  assert.deepEqual(byEpoch.get(2), [true], 'older epochs expire');
  // a long pause without any save (TTL elapsed): what carries a TTL is gone, the state loads
  for (const item of await allItems(local, 'snap3')) {
    if (item.ttl !== undefined) await local.client.send(new (await import('@aws-sdk/client-dynamodb')).DeleteItemCommand({ TableName: 'snap3', Key: { pk: item.pk, sk: item.sk } }));
  }
  assert.equal((await store.load()).epoch, 4);
});

test('a missing snapshot part is detected and named (epoch and part)', async () => {
  const local = await startLocalDynamo();
  after(() => local.close());
  await createTable(local.client, SERIES_TABLE, 'snap4');
  const store = new SnapshotStore(sdkDdb(local.client), 'snap4');
  await store.save(bigState(1), 0, Date.now());
  const parts = (await allItems(local, 'snap4')).filter((i) => i.pk.S!.startsWith('snap#1#'));
  assert.ok(parts.length >= 2, `${parts.length} parts`);
  const { DeleteItemCommand } = await import('@aws-sdk/client-dynamodb');
  const first = parts.find((p) => p.sk.S === '0000')!;
  await local.client.send(new DeleteItemCommand({ TableName: 'snap4', Key: { pk: first.pk, sk: first.sk } }));
  await assert.rejects(store.load(), (e: Error) => e.name === 'SnapshotMissingError' && /epoch 1\b/.test(e.message) && /part 0\b/.test(e.message));
  for (const p of parts) await local.client.send(new DeleteItemCommand({ TableName: 'snap4', Key: { pk: p.pk, sk: p.sk } }));
  await assert.rejects(store.load(), (e: Error) => e.name === 'SnapshotMissingError' && /epoch 1\b/.test(e.message) && /part 0, 1/.test(e.message));
});
