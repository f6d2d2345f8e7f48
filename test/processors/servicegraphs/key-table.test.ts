import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EdgeKey, hashKey, KeyProbe } from '../../../lib/processors/servicegraphs/edge.ts';
import { KeyTable } from '../../../lib/processors/servicegraphs/key-table.ts';
import { seededRng, randomInt } from '../../../testing/random-trace.ts';

/** Keys "trace id = [i], span id = []" with a chosen hash, to force collisions and wrap-around. */
function entry(i: number, hash: number): EdgeKey {
  const k = new EdgeKey();
  const p = new KeyProbe().set(Uint8Array.of(i), 0, 1, 0, 0);
  p.hash = hash;
  k.setKey(p);
  return k;
}
function find(t: KeyTable<EdgeKey>, e: EdgeKey): EdgeKey | undefined {
  const p = new KeyProbe().set(e.keyBuf, 0, e.traceLen, e.traceLen, e.keyLen);
  p.hash = e.hash;
  return t.get(p);
}

test('removal keeps colliding and wrapped-around probe chains reachable (random model check)', () => {
  const rng = seededRng(7);
  for (let round = 0; round < 50; round++) {
    const table = new KeyTable<EdgeKey>();
    const live = new Map<number, EdgeKey>();
    for (let op = 0; op < 400; op++) {
      const i = randomInt(rng, 60);
      const existing = live.get(i);
      if (existing !== undefined && rng() < 0.5) {
        table.remove(existing);
        live.delete(i);
      } else if (existing === undefined) {
        // few distinct hashes, near the end of the slot array: long chains that wrap
        const e = entry(i, 60 + randomInt(rng, 8));
        table.add(e);
        live.set(i, e);
      }
      assert.equal(table.size, live.size);
    }
    for (let i = 0; i < 60; i++) {
      const e = live.get(i);
      if (e !== undefined) assert.equal(find(table, e), e);
      else for (let h = 60; h < 68; h++) assert.equal(find(table, entry(i, h)), undefined);
    }
  }
});

test('keys differ by how the bytes split between trace id and span id', () => {
  const buf = Uint8Array.of(1, 2, 3);
  const a = new EdgeKey();
  a.setKey(new KeyProbe().set(buf, 0, 2, 2, 3));
  assert.equal(a.hash, hashKey(buf, 0, 2, 2, 3));
  assert.equal(a.keyEquals(new KeyProbe().set(buf, 0, 2, 2, 3)), true);
  assert.equal(a.keyEquals(new KeyProbe().set(buf, 0, 1, 1, 3)), false);
  assert.notEqual(hashKey(buf, 0, 2, 2, 3), hashKey(buf, 0, 1, 1, 3));
  const root = new EdgeKey();
  root.setKey(new KeyProbe().set(buf, 0, 3, 0, 0));
  assert.equal(root.isRoot, true);
  assert.equal(a.isRoot, false);
});
