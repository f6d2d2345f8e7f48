import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { DeleteItemCommand, PutItemCommand, ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sdkDdb } from '../../lib/store/ddb.ts';
import { createTable, startLocalDynamo } from '../../lib/store/local-dynamo.ts';
import { MemoryObjectStore } from '../../lib/store/object-store.ts';
import { EpochConflictError, SnapshotStore, type FlusherState } from '../../lib/store/snapshot-store.ts';
import { SERIES_TABLE } from '../../lib/store/tables.ts';
import type { SeriesSnapshot } from '../../lib/series/registry-state.ts';
import { LEGACY_STATE_BYTES, legacyExampleState } from './legacy-state-example.ts';

let local: Awaited<ReturnType<typeof startLocalDynamo>>;
let seq = 0;
before(async () => {
  local = await startLocalDynamo();
});
after(() => local.close());

async function freshTable(): Promise<string> {
  const name = `snap${seq++}`;
  await createTable(local.client, SERIES_TABLE, name);
  return name;
}

const stateOf = (epoch: number, marker: number): FlusherState => ({
  epoch,
  clockMs: marker,
  folded: [{ topic: 't', partition: 0, cursor: { offset: marker, attempt: `a${marker}`, committedAtMs: 0 } }],
  tenants: {},
});

/** A state whose encoding is about `kb` KB: label values of random text barely compress. */
function bigState(epoch: number, kb: number): FlusherState {
  const series: SeriesSnapshot[] = [];
  for (let i = 0; i < kb * 16; i++) {
    series.push({
      type: 'counter',
      name: 'calls_total',
      labels: [{ name: 'id', value: randomBytes(48).toString('base64') }],
      lastUpdatedMs: 1,
      overflow: false,
      value: i,
      zeroSent: true,
    });
  }
  return {
    ...stateOf(epoch, epoch),
    tenants: { t: { version: 1, lastSentMs: 0, seriesLimitedTotal: 0, tombstones: [], series } },
  };
}

async function allItems(client: DynamoDBClient, table: string) {
  const out = await client.send(new ScanCommand({ TableName: table }));
  return out.Items ?? [];
}

test('two writers racing for the same epoch: the loser neither commits nor damages the winner', async () => {
  const store = new SnapshotStore(sdkDdb(local.client), await freshTable());
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
  const store = new SnapshotStore(sdkDdb(local.client), await freshTable());
  const state = stateOf(1, 1);
  const series: SeriesSnapshot = {
    type: 'histogram',
    name: 'h',
    labels: [],
    lastUpdatedMs: 1,
    overflow: false,
    classic: { bounds: [1], counts: [1, 0], sum: -Infinity, count: 1, zeroSent: true },
    native: null,
  };
  await store.save(
    {
      ...state,
      folded: [{ ...state.folded[0], cursor: { offset: 1, attempt: 'a', committedAtMs: Number.NaN } }],
      tenants: { t: { version: 1, lastSentMs: 0, seriesLimitedTotal: 0, tombstones: [], series: [series] } },
    },
    0,
    Date.now(),
  );
  const loaded = await store.load();
  assert.ok(Number.isNaN(loaded.folded[0].cursor.committedAtMs));
  assert.deepEqual(loaded.tenants.t.series, [series]);
});

test('the current epoch never expires; superseded epochs do', async () => {
  const table = await freshTable();
  const store = new SnapshotStore(sdkDdb(local.client), table);
  for (let e = 1; e <= 4; e++) await store.save(stateOf(e, e), e - 1, Date.now());
  const byEpoch = new Map<number, boolean[]>();
  for (const item of await allItems(local.client, table)) {
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
  for (const item of await allItems(local.client, table)) {
    if (item.ttl !== undefined)
      await local.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: item.pk, sk: item.sk } }));
  }
  assert.equal((await store.load()).epoch, 4);
});

test('a missing or damaged snapshot item is detected and named (epoch and part)', async () => {
  const table = await freshTable();
  const store = new SnapshotStore(sdkDdb(local.client), table);
  await store.save(bigState(1, 500), 0, Date.now());
  const parts = (await allItems(local.client, table)).filter((i) => i.pk.S!.startsWith('snap#1#'));
  assert.ok(parts.length >= 2, `${parts.length} parts`);
  const first = parts.find((p) => p.sk.S === '0000')!;
  const second = parts.find((p) => p.sk.S === '0001')!;
  const damaged = Buffer.from(second.d.B!);
  damaged[100] ^= 1;
  await local.client.send(new PutItemCommand({ TableName: table, Item: { ...second, d: { B: damaged } } }));
  await assert.rejects(
    new SnapshotStore(sdkDdb(local.client), table).load(),
    (e: Error) =>
      e.name === 'SnapshotMissingError' && /epoch 1\b/.test(e.message) && /part 1 of 2 corrupt/.test(e.message),
  );
  await local.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: first.pk, sk: first.sk } }));
  await assert.rejects(
    store.load(),
    (e: Error) =>
      e.name === 'SnapshotMissingError' && /epoch 1\b/.test(e.message) && /part 0 of 2 missing/.test(e.message),
  );
  for (const p of parts)
    await local.client.send(new DeleteItemCommand({ TableName: table, Key: { pk: p.pk, sk: p.sk } }));
  await assert.rejects(
    store.load(),
    (e: Error) => e.name === 'SnapshotMissingError' && /epoch 1\b/.test(e.message) && /part 0, 1/.test(e.message),
  );
});

test('large state goes to the object store as state/<epoch>/<attempt>/<part>; the current epoch and the one before are kept, older ones deleted', async () => {
  const table = await freshTable();
  const objects = new MemoryObjectStore();
  const store = new SnapshotStore(sdkDdb(local.client), table, { objects, objectPartBytes: 64 * 1024 });
  const states = [1, 2, 3, 4].map((e) => bigState(e, 150));
  for (const s of states) {
    const out = await store.save(s, s.epoch - 1, Date.now());
    assert.equal(out.medium, 'object');
    assert.ok(out.parts >= 2, `${out.parts} parts`);
  }
  const epochs = new Set(objects.keys().map((k) => Number(/^state\/(\d+)\/[0-9a-f]{16}\/\d+$/.exec(k)![1])));
  assert.deepEqual([...epochs].sort(), [3, 4]);
  assert.equal(
    (await allItems(local.client, table)).filter((i) => i.pk.S!.startsWith('snap#')).length,
    0,
    'no state items in DynamoDB',
  );
  const loaded = await new SnapshotStore(sdkDdb(local.client), table, { objects }).load();
  assert.deepEqual(loaded, { ...states[3], edges: {} });
});

test('a missing or corrupt object of the current epoch fails the load, naming epoch, attempt and part', async () => {
  const table = await freshTable();
  const objects = new MemoryObjectStore();
  const store = new SnapshotStore(sdkDdb(local.client), table, { objects, objectPartBytes: 64 * 1024 });
  await store.save(bigState(1, 150), 0, Date.now());
  const keys = objects.keys().sort();
  const attempt = keys[0].split('/')[2];
  const body = (await objects.get(keys[1]))!;
  body[10] ^= 1;
  await objects.delete(keys[1]);
  await objects.put(keys[1], body);
  await assert.rejects(
    store.load(),
    (e: Error) =>
      e.name === 'SnapshotMissingError' &&
      e.message.includes(`epoch 1 (attempt ${attempt}): snapshot part 1 of`) &&
      /corrupt/.test(e.message),
  );
  await objects.delete(keys[0]);
  await assert.rejects(
    store.load(),
    (e: Error) =>
      e.name === 'SnapshotMissingError' &&
      e.message.includes(`epoch 1 (attempt ${attempt}): snapshot part 0 of`) &&
      /missing/.test(e.message),
  );
});

test('a small state stays one DynamoDB item even with an object store (cheaper than a PUT)', async () => {
  const table = await freshTable();
  const objects = new MemoryObjectStore();
  const store = new SnapshotStore(sdkDdb(local.client), table, { objects });
  const out = await store.save(stateOf(1, 1), 0, Date.now());
  assert.equal(out.medium, 'item');
  assert.equal(objects.requests.put, 0);
  assert.equal((await store.load()).folded[0].cursor.offset, 1);
});

test('a state saved by the JSON format (version 1) loads, and the next save writes the binary format', async () => {
  const table = await freshTable();
  // the items as the version 1 store wrote them: a header without a version, one part
  await local.client.send(
    new PutItemCommand({
      TableName: table,
      Item: { pk: { S: 'snap#7#old' }, sk: { S: '0000' }, d: { B: LEGACY_STATE_BYTES } },
    }),
  );
  await local.client.send(
    new PutItemCommand({
      TableName: table,
      Item: {
        pk: { S: 'state' },
        sk: { S: 'head' },
        e: { N: '7' },
        att: { S: 'old' },
        parts: { N: '1' },
        clock: { N: '1' },
        pe: { N: '6' },
        patt: { S: 'older' },
        pparts: { N: '1' },
      },
    }),
  );
  const store = new SnapshotStore(sdkDdb(local.client), table, { objects: new MemoryObjectStore() });
  const loaded = await store.load();
  assert.deepEqual(loaded, legacyExampleState());
  await store.save({ ...loaded, epoch: 8 }, 7, Date.now());
  const head = await store.readHead();
  assert.equal(head?.version, 2);
  assert.deepEqual(head?.previous, { epoch: 7, attempt: 'old', parts: 1, medium: 'item' });
  const again = await new SnapshotStore(sdkDdb(local.client), table).load();
  assert.deepEqual(again, { ...legacyExampleState(), epoch: 8 });
});
