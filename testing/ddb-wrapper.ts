// A DynamoDB client whose every call passes through one function: the seam tests use to inject
// faults and throttling, and benchmarks use to count requests.
import type { Ddb } from '../lib/store/ddb.ts';

/** What one call goes through: `run` sends the call; the wrapper may throw instead, or around it. */
export type Around = <T>(op: string, run: () => Promise<T>, input: unknown) => Promise<T>;

/** `inner` with every DynamoDB call passed through `around`. */
export function wrapDdb(inner: Ddb, around: Around): Ddb {
  const call = (op: keyof Ddb) => (input: unknown) =>
    around(op, () => (inner[op] as (i: unknown) => Promise<unknown>)(input), input);
  return {
    getItem: call('getItem'),
    putItem: call('putItem'),
    updateItem: call('updateItem'),
    query: call('query'),
  } as Ddb;
}

/**
 * `inner` whose queries of `table` move `clock` on by `msPerItem` for every item they return:
 * reading a backlog takes time, so a deadline cuts it into slices.
 */
export function slowQueries(inner: Ddb, table: string, clock: { now: number }, msPerItem: number): Ddb {
  return wrapDdb(inner, async (op, run, input) => {
    const out = await run();
    if (op === 'query' && (input as { TableName?: string }).TableName === table) {
      clock.now += msPerItem * ((out as { Items?: unknown[] }).Items?.length ?? 0);
    }
    return out;
  });
}
