// Acceptance: for every k, the k-th store call fails (before it is sent, and separately after it
// took effect): DynamoDB calls and the object-store PUTs of large deltas (claim check) alike, in
// one sequence. The batch is then re-delivered as the same batch, as a longer batch from the same
// first offset, and as a shorter batch followed by the rest. The committed deltas summed per
// series must equal a fault-free run exactly.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ddb } from '../../lib/store/ddb.ts';
import { MemoryObjectStore, type ObjectStore } from '../../lib/store/object-store.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../../lib/ingest/msk-event.ts';
import {
  committedDeltas,
  committedState,
  eventOf,
  makeRecords,
  startStore,
  testContext,
} from '../helpers/ingest-harness.ts';
import { InjectedCrash } from '../helpers/crash.ts';
import { CallFaults } from '../helpers/fault-store.ts';

/** Objects of every scenario (topics differ, so keys do). */
const OBJECTS = new MemoryObjectStore();
/**
 * Between the sizes of the two partitions' first deltas (about 1,010-1,040 and 835-860 bytes, by topic name), so one goes
 * to the object store and one stays inline, in parts; the baseline checks that this still holds.
 */
const OBJECT_THRESHOLD = 950;

interface Faulty {
  readonly ddb: Ddb;
  readonly objects: ObjectStore;
  /** Calls made so far, DynamoDB and object store together. */
  readonly calls: () => number;
  readonly objectCalls: () => number;
}

/** Fails the k-th call (1-based) of either store: before sending it, or after it took effect. */
function faultAt(inner: Ddb, k: number, when: 'before' | 'after'): Faulty {
  const faults = new CallFaults({ k, when });
  return {
    ddb: faults.ddb(inner),
    objects: faults.objects(OBJECTS),
    calls: () => faults.calls,
    objectCalls: () => faults.count('s3.'),
  };
}

type Shape = 'same' | 'longer' | 'shorter-then-rest';

describe('ingest exactly-once under faults', async () => {
  const store = await startStore();
  after(() => store.close());
  let topicSeq = 0;

  // two partitions, two tenants (one in native+classic mode), small parts so inline deltas split
  const batchOf = (topic: string, extra = 0): KafkaEventRecord[][] => [
    makeRecords(topic, 0, 100, 12 + extra),
    makeRecords(topic, 1, 500, 5 + extra),
  ];
  const healthy: Faulty = faultAt(store.ddb, -1, 'before');
  const deliver = async (stores: Pick<Faulty, 'ddb' | 'objects'>, records: KafkaEventRecord[][]) => {
    const ctx = testContext(stores.ddb, { objects: stores.objects, objectThresholdBytes: OBJECT_THRESHOLD });
    return ingestEvent({ ...ctx, maxPartBytes: 400 }, eventOf(...records));
  };

  async function redeliver(topic: string, shape: Shape): Promise<void> {
    if (shape === 'same') await deliver(healthy, batchOf(topic));
    else if (shape === 'longer') await deliver(healthy, batchOf(topic, 5));
    else {
      const full = batchOf(topic);
      await deliver(
        healthy,
        full.map((p) => p.slice(0, 4)),
      );
      await deliver(
        healthy,
        full.map((p) => p.slice(4)),
      );
    }
  }

  /** The state after a fault-free delivery followed by the re-delivery. */
  async function baseline(
    shape: Shape,
  ): Promise<{ state: string; calls: number; objectCalls: number; objectDeltas: number }> {
    const topic = `base-${shape}-${topicSeq++}`;
    const counting = faultAt(store.ddb, -1, 'before');
    const results = await deliver(counting, batchOf(topic));
    await redeliver(topic, shape);
    return {
      state: await committedState(store.ddb, topic, OBJECTS),
      calls: counting.calls(),
      objectCalls: counting.objectCalls(),
      objectDeltas: results.filter((r) => r.committed?.objectKey !== undefined).length,
    };
  }

  for (const shape of ['same', 'longer', 'shorter-then-rest'] as Shape[]) {
    test(`fault at every call, then re-delivered as ${shape}`, async () => {
      const { state: expected, calls, objectCalls, objectDeltas } = await baseline(shape);
      assert.ok(calls >= 8, `a fault-free delivery makes ${calls} calls; parts should split`);
      // one partition's delta is claim-checked (an object PUT in the sequence), the other inline
      assert.equal(objectDeltas, 1);
      assert.equal(objectCalls, 1);
      assert.ok(expected.length > 0);
      for (const when of ['before', 'after'] as const) {
        for (let k = 1; k <= calls; k++) {
          const topic = `t-${shape}-${when}-${k}-${topicSeq++}`;
          await assert.rejects(deliver(faultAt(store.ddb, k, when), batchOf(topic)), InjectedCrash, `k=${k} ${when}`);
          await redeliver(topic, shape);
          assert.equal(await committedState(store.ddb, topic, OBJECTS), expected, `${shape}: fault ${when} call ${k}`);
        }
      }
    });
  }

  test('a batch delivered twice in a row is counted once', async () => {
    const topic = `twice-${topicSeq++}`;
    await deliver(healthy, batchOf(topic));
    const once = await committedState(store.ddb, topic, OBJECTS);
    const results = await deliver(healthy, batchOf(topic));
    assert.ok(results.every((r) => r.committed === undefined && r.alreadyCommitted > 0));
    assert.equal(await committedState(store.ddb, topic, OBJECTS), once);
  });

  test('two partitions in one invocation and two concurrent invocations on different partitions', async () => {
    const topic = `concurrent-${topicSeq++}`;
    const [p0, p1] = batchOf(topic);
    const p2 = makeRecords(topic, 2, 0, 7);
    await Promise.all([deliver(healthy, [p0, p1]), deliver(healthy, [p2])]);
    const deltas = await committedDeltas(store.ddb, topic, OBJECTS);
    assert.deepEqual(
      deltas.map((d) => [d.partition, d.firstOffset, d.lastOffset, d.records]),
      [
        [0, 100, 111, 12],
        [1, 500, 504, 5],
        [2, 0, 6, 7],
      ],
    );
  });

  test('two concurrent invocations of the same partition (retry racing a slow original) commit once', async () => {
    const topic = `race-${topicSeq++}`;
    const records = makeRecords(topic, 0, 0, 10);
    const reference = `race-ref-${topicSeq++}`;
    await deliver(healthy, [makeRecords(reference, 0, 0, 10)]);
    await Promise.all([
      deliver(healthy, [records]),
      deliver(healthy, [records]),
      deliver(healthy, [records.slice(0, 6)]),
    ]);
    const deltas = await committedDeltas(store.ddb, topic, OBJECTS);
    assert.equal(
      deltas.reduce((n, d) => n + d.records, 0),
      10,
    );
    const normalize = (s: string) => s.replaceAll(reference, 'T').replaceAll(topic, 'T');
    assert.equal(
      normalize(await committedState(store.ddb, topic, OBJECTS)),
      normalize(await committedState(store.ddb, reference, OBJECTS)),
    );
  });
});
