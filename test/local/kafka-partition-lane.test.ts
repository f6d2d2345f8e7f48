import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PartitionLane } from '../../lib/local/kafka-partition-lane.ts';

/** A lane of numbers weighing their value, whose steps the test ends one at a time. */
function controlledLane(capacity: { items: number; bytes: number }) {
  const steps: { items: number[]; done: () => void }[] = [];
  const lane = new PartitionLane<number>(
    (items) => new Promise<void>((done) => steps.push({ items, done })),
    capacity,
    (n) => n,
  );
  return { lane, steps };
}

const tick = () => new Promise((r) => setTimeout(r, 5));
const never = new AbortController().signal;

describe('partition lane', () => {
  test('holds at most the byte capacity: a push waits until a step ends and frees room', async () => {
    const { lane, steps } = controlledLane({ items: 8, bytes: 100 });
    assert.equal(await lane.push(60, never), true);
    assert.equal(await lane.push(30, never), true);
    let third = false;
    const pushed = lane.push(20, never).then(() => (third = true));
    await tick();
    assert.equal(third, false, '60 + 30 + 20 is over 100 bytes: the third waits');
    assert.deepEqual(lane.holding, { items: 2, bytes: 90 });
    assert.deepEqual(
      steps.map((s) => s.items),
      [[60]],
    );
    steps[0].done();
    await pushed;
    assert.deepEqual(steps[1].items, [30], 'the next step starts with what was queued');
    assert.deepEqual(lane.holding, { items: 2, bytes: 50 }, 'the waiting push got in once 60 bytes were freed');
    steps[1].done();
    await tick();
    assert.deepEqual(steps[2].items, [20]);
    steps[2].done();
    await lane.whenIdle();
    assert.deepEqual(lane.holding, { items: 0, bytes: 0 });
  });

  test('a step takes at most half the byte capacity, and at least one item however big', async () => {
    const { lane, steps } = controlledLane({ items: 8, bytes: 100 });
    await lane.push(10, never);
    for (const n of [30, 30, 20]) await lane.push(n, never);
    steps[0].done();
    await tick();
    assert.deepEqual(steps[1].items, [30], '30 + 30 is over half of 100');
    steps[1].done();
    await tick();
    assert.deepEqual(steps[2].items, [30, 20]);
    steps[2].done();
    await lane.push(250, never);
    await tick();
    assert.deepEqual(steps[3].items, [250], 'an item over the whole capacity still passes, alone');
    let next = false;
    const pushed = lane.push(1, never).then(() => (next = true));
    await tick();
    assert.equal(next, false, 'nothing joins it while it is held');
    steps[3].done();
    await pushed;
    await tick();
    steps[4].done();
    await lane.whenIdle();
  });

  test('a step takes at most half the item capacity', async () => {
    const { lane, steps } = controlledLane({ items: 4, bytes: 1e9 });
    await lane.push(1, never);
    for (const n of [2, 3, 4]) await lane.push(n, never);
    steps[0].done();
    await tick();
    assert.deepEqual(steps[1].items, [2, 3]);
    steps[1].done();
    await tick();
    assert.deepEqual(steps[2].items, [4]);
    steps[2].done();
    await lane.whenIdle();
  });

  test('a push waiting for room gives up when stopped; clear frees what is queued', async () => {
    const { lane, steps } = controlledLane({ items: 2, bytes: 1e9 });
    await lane.push(1, never);
    await lane.push(2, never);
    const stop = new AbortController();
    const waiting = lane.push(3, stop.signal);
    await tick();
    stop.abort();
    assert.equal(await waiting, false);
    lane.clear();
    assert.deepEqual(lane.holding, { items: 1, bytes: 1 }, 'only the running step is held');
    steps[0].done();
    await lane.whenIdle();
    assert.equal(steps.length, 1, 'the cleared item never ran');
  });
});
