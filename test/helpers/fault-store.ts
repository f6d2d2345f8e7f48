// Fault injection for the stores the code under test calls (DynamoDB and the object store): every
// call goes through one counter, and the k-th call can fail before it is sent or after it took
// effect, which is how the exactly-once tests crash a process at every point of a run.
import type { Ddb } from '../../lib/store/ddb.ts';
import type { ObjectStore } from '../../lib/store/object-store.ts';
import { type Around, wrapDdb } from '../../testing/ddb-wrapper.ts';
import { InjectedCrash } from './crash.ts';

/** `inner` with every object-store call passed through `around`, named `s3.put`, `s3.get`, `s3.delete`. */
export function wrapObjects(inner: ObjectStore, around: Around): ObjectStore {
  return {
    put: (key, body) => around('s3.put', () => inner.put(key, body), key),
    get: (key) => around('s3.get', () => inner.get(key), key),
    delete: (key) => around('s3.delete', () => inner.delete(key), key),
  };
}

/** The k-th call (1-based) fails, before it is sent or after it took effect. */
export interface Fault {
  readonly k: number;
  readonly when: 'before' | 'after';
}

/** Counts the calls made through it while armed and throws InjectedCrash at the fault's call. */
export class CallFaults {
  calls = 0;
  /** The operation of every counted call, in order. */
  readonly ops: string[] = [];
  armed = true;
  constructor(private readonly fault?: Fault) {}

  readonly around: Around = async (op, run) => {
    if (!this.armed) return run();
    const n = ++this.calls;
    this.ops.push(op);
    const hit = this.fault?.k === n;
    if (hit && this.fault?.when === 'before') throw new InjectedCrash(`crash before call ${n} (${op})`);
    const out = await run();
    if (hit && this.fault?.when === 'after') throw new InjectedCrash(`crash after call ${n} (${op})`);
    return out;
  };

  ddb(inner: Ddb): Ddb {
    return wrapDdb(inner, this.around);
  }

  objects(inner: ObjectStore): ObjectStore {
    return wrapObjects(inner, this.around);
  }

  /** How many counted calls were of an operation whose name starts with `prefix`. */
  count(prefix: string): number {
    return this.ops.filter((op) => op.startsWith(prefix)).length;
  }
}
