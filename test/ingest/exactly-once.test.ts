// Acceptance: for every k, the k-th DynamoDB call fails (before it is sent, and separately after
// it took effect); the batch is then re-delivered as the same batch, as a longer batch from the
// same first offset, and as a shorter batch followed by the rest. The committed deltas summed per
// series must equal a fault-free run exactly.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ddb } from '../../lib/store/ddb.ts';
import { ingestEvent } from '../../lib/ingest/ingest-handler.ts';
import type { KafkaEventRecord } from '../../lib/ingest/msk-event.ts';
import { committedDeltas, committedState, eventOf, makeRecords, startStore, testContext } from '../helpers/ingest-harness.ts';

class InjectedCrash extends Error {
  override name = 'InjectedCrash';
}

/** Fails the k-th call (1-based): before sending it, or after it took effect. */
function faultAt(inner: Ddb, k: number, when: 'before' | 'after'): Ddb & { calls: number } {
  const wrapped = { calls: 0 } as Ddb & { calls: number };
  for (const op of ['getItem', 'putItem', 'updateItem', 'query'] as const) {
    (wrapped as unknown as Record<string, unknown>)[op] = async (input: unknown) => {
      const n = ++wrapped.calls;
      if (n === k && when === 'before') throw new InjectedCrash(`crash before call ${k} (${op})`);
      const out = await (inner[op] as (i: unknown) => Promise<unknown>)(input);
      if (n === k && when === 'after') throw new InjectedCrash(`crash after call ${k} (${op})`);
      return out;
    };
  }
  return wrapped;
}

type Shape = 'same' | 'longer' | 'shorter-then-rest';

describe('ingest exactly-once under faults', async () => {
  const store = await startStore();
  after(() => store.close());
  let topicSeq = 0;

  // two partitions, two tenants (one in native+classic mode), small parts so deltas split
  const batchOf = (topic: string, extra = 0): KafkaEventRecord[][] => [
    makeRecords(topic, 0, 100, 12 + extra),
    makeRecords(topic, 1, 500, 9 + extra),
  ];
  const ctxOf = (ddb: Ddb) => testContext(ddb, {});
  const deliver = async (ddb: Ddb, records: KafkaEventRecord[][]) => {
    const ctx = ctxOf(ddb);
    return ingestEvent({ ...ctx, maxPartBytes: 700 }, eventOf(...records));
  };

  async function redeliver(topic: string, shape: Shape): Promise<void> {
    if (shape === 'same') await deliver(store.ddb, batchOf(topic));
    else if (shape === 'longer') await deliver(store.ddb, batchOf(topic, 5));
    else {
      const full = batchOf(topic);
      await deliver(store.ddb, full.map((p) => p.slice(0, 4)));
      await deliver(store.ddb, full.map((p) => p.slice(4)));
    }
  }

  /** The state after a fault-free delivery followed by the re-delivery. */
  async function baseline(shape: Shape): Promise<{ state: string; calls: number }> {
    const topic = `base-${shape}-${topicSeq++}`;
    const counting = faultAt(store.ddb, -1, 'before');
    await deliver(counting, batchOf(topic));
    const calls = counting.calls;
    await redeliver(topic, shape);
    return { state: await committedState(store.ddb, topic), calls };
  }

  for (const shape of ['same', 'longer', 'shorter-then-rest'] as Shape[]) {
    test(`fault at every call, then re-delivered as ${shape}`, async () => {
      const { state: expected, calls } = await baseline(shape);
      assert.ok(calls >= 8, `a fault-free delivery makes ${calls} calls; parts should split`);
      assert.ok(expected.length > 0);
      for (const when of ['before', 'after'] as const) {
        for (let k = 1; k <= calls; k++) {
          const topic = `t-${shape}-${when}-${k}-${topicSeq++}`;
          await assert.rejects(deliver(faultAt(store.ddb, k, when), batchOf(topic)), InjectedCrash, `k=${k} ${when}`);
          await redeliver(topic, shape);
          assert.equal(await committedState(store.ddb, topic), expected, `${shape}: fault ${when} call ${k}`);
        }
      }
    });
  }

  test('a batch delivered twice in a row is counted once', async () => {
    const topic = `twice-${topicSeq++}`;
    await deliver(store.ddb, batchOf(topic));
    const once = await committedState(store.ddb, topic);
    const results = await deliver(store.ddb, batchOf(topic));
    assert.ok(results.every((r) => r.committed === undefined && r.alreadyCommitted > 0));
    assert.equal(await committedState(store.ddb, topic), once);
  });

  test('two partitions in one invocation and two concurrent invocations on different partitions', async () => {
    const topic = `concurrent-${topicSeq++}`;
    const [p0, p1] = batchOf(topic);
    const p2 = makeRecords(topic, 2, 0, 7);
    await Promise.all([deliver(store.ddb, [p0, p1]), deliver(store.ddb, [p2])]);
    const deltas = await committedDeltas(store.ddb, topic);
    assert.deepEqual(
      deltas.map((d) => [d.partition, d.firstOffset, d.lastOffset, d.records]),
      [
        [0, 100, 111, 12],
        [1, 500, 508, 9],
        [2, 0, 6, 7],
      ],
    );
  });

  test('two concurrent invocations of the same partition (retry racing a slow original) commit once', async () => {
    const topic = `race-${topicSeq++}`;
    const records = makeRecords(topic, 0, 0, 10);
    const reference = `race-ref-${topicSeq++}`;
    await deliver(store.ddb, [makeRecords(reference, 0, 0, 10)]);
    await Promise.all([deliver(store.ddb, [records]), deliver(store.ddb, [records]), deliver(store.ddb, [records.slice(0, 6)])]);
    const deltas = await committedDeltas(store.ddb, topic);
    assert.equal(deltas.reduce((n, d) => n + d.records, 0), 10);
    const normalize = (s: string) => s.replaceAll(reference, 'T').replaceAll(topic, 'T');
    assert.equal(normalize(await committedState(store.ddb, topic)), normalize(await committedState(store.ddb, reference)));
  });
});
