// A self-describing encoding for the plain-data parts of the state whose shape belongs to other
// modules (pending service-graph halves, cardinality estimates, counters): null, booleans,
// numbers (NaN and +-Infinity kept), strings, arrays and objects, as JSON would carry them
// (undefined object members are left out, undefined array items become null), but with no
// limit on total size and no text parsing.

import { type ByteReader, type ByteWriter, StateFormatError } from './state-bytes.ts';

/** The tag byte before each value. */
const TAG = { null: 0, false: 1, true: 2, number: 3, string: 4, array: 5, object: 6 } as const;

/** Nesting depth accepted on read: the state's own shapes are a few levels deep. */
const MAX_DEPTH = 64;

export function writeValue(w: ByteWriter, v: unknown): void {
  if (v === null || v === undefined) {
    w.byte(TAG.null);
    return;
  }
  switch (typeof v) {
    case 'boolean':
      w.byte(v ? TAG.true : TAG.false);
      return;
    case 'number':
      w.byte(TAG.number);
      w.num(v);
      return;
    case 'string':
      w.byte(TAG.string);
      w.str(v);
      return;
    case 'object': {
      if (Array.isArray(v)) {
        w.byte(TAG.array);
        w.uvarint(v.length);
        for (const item of v) writeValue(w, item);
        return;
      }
      const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      w.byte(TAG.object);
      w.uvarint(entries.length);
      for (const [k, x] of entries) {
        w.str(k);
        writeValue(w, x);
      }
      return;
    }
    default:
      throw new TypeError(`state value of type ${typeof v} cannot be saved`);
  }
}

export function readValue(r: ByteReader, depth = 0): unknown {
  if (depth > MAX_DEPTH) throw new StateFormatError('values nested too deeply');
  const tag = r.byte();
  switch (tag) {
    case TAG.null:
      return null;
    case TAG.false:
      return false;
    case TAG.true:
      return true;
    case TAG.number:
      return r.num();
    case TAG.string:
      return r.str();
    case TAG.array: {
      const n = r.count();
      const out: unknown[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = readValue(r, depth + 1);
      return out;
    }
    case TAG.object: {
      const n = r.count();
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const k = r.str();
        // a saved key named __proto__ must stay data, not replace the prototype
        Object.defineProperty(out, k, {
          value: readValue(r, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    default:
      throw new StateFormatError(`unknown value tag ${tag}`);
  }
}
