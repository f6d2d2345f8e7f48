// Reading OTLP KeyValue / AnyValue messages in place. Attributes are kept as [start, end) offsets
// of their KeyValue message; these helpers find a key without decoding it and turn a value into
// the string Tempo would use as a label value.

import { Cursor, WireError, WIRE_LEN, WIRE_VARINT, WIRE_FIXED64 } from './wire.ts';
import { formatFloatF } from '../series/format-float.ts';
import type { StringSource } from './utf8.ts';
import { decodeUtf8 } from './utf8.ts';

/** AnyValue oneof field numbers; 0 = unset. */
export const ANY_NONE = 0;
export const ANY_STRING = 1;
export const ANY_BOOL = 2;
export const ANY_INT = 3;
export const ANY_DOUBLE = 4;
export const ANY_ARRAY = 5;
export const ANY_KVLIST = 6;
export const ANY_BYTES = 7;

/** A decoded AnyValue reference: scalars read, strings and nested messages left as offsets. */
export class AnyValueRef {
  type = ANY_NONE;
  /** For string/bytes/array/kvlist: the payload bounds. */
  start = 0;
  end = 0;
  /** bool (0/1), int (number or bigint) or double. */
  num: number | bigint = 0;
}

const cursor = new Cursor(new Uint8Array(0));

/**
 * Reads the AnyValue message in buf[start, end) into out. When the oneof appears more than once
 * the last occurrence wins, as protobuf decoding does.
 */
export function readAnyValue(buf: Uint8Array, start: number, end: number, out: AnyValueRef): AnyValueRef {
  out.type = ANY_NONE;
  out.num = 0;
  const c = cursor.reset(buf, start, end);
  while (c.more()) {
    const tag = c.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if (field >= 1 && field <= 7) {
      const expected =
        field === ANY_BOOL || field === ANY_INT ? WIRE_VARINT : field === ANY_DOUBLE ? WIRE_FIXED64 : WIRE_LEN;
      if (wt !== expected) throw new WireError(`AnyValue field ${field}: wire type ${wt}, expected ${expected}`);
      out.type = field;
      if (wt === WIRE_LEN) {
        const e = c.lenEnd();
        out.start = c.pos;
        out.end = e;
        c.pos = e;
      } else if (field === ANY_BOOL) out.num = c.uint32() !== 0 ? 1 : 0;
      else if (field === ANY_INT) out.num = c.int64();
      else out.num = c.double();
    } else c.skip(wt);
  }
  return out;
}

/** Bounds of a KeyValue's key and value (throws WireError when malformed). */
export class KeyValueRef {
  keyStart = 0;
  keyEnd = 0;
  valueStart = 0;
  valueEnd = 0;
  hasValue = false;
}

export function readKeyValue(buf: Uint8Array, start: number, end: number, out: KeyValueRef): KeyValueRef {
  out.keyStart = out.keyEnd = 0;
  out.hasValue = false;
  const c = cursor.reset(buf, start, end);
  while (c.more()) {
    const tag = c.uint32();
    const field = tag >>> 3;
    const wt = tag & 7;
    if ((field === 1 || field === 2) && wt === WIRE_LEN) {
      const e = c.lenEnd();
      if (field === 1) {
        out.keyStart = c.pos;
        out.keyEnd = e;
      } else {
        out.valueStart = c.pos;
        out.valueEnd = e;
        out.hasValue = true;
      }
      c.pos = e;
    } else if (field === 1 || field === 2) {
      throw new WireError(`KeyValue field ${field}: wire type ${wt}, expected 2`);
    } else c.skip(wt);
  }
  return out;
}

/** true when the key of the KeyValue at [start, end) equals key (raw UTF-8 bytes). */
export function keyEquals(buf: Uint8Array, start: number, end: number, key: Uint8Array): boolean {
  let s: number;
  let len: number;
  // Every encoder writes the key first with a one-byte length: compare in place without parsing
  // the rest. Anything else takes the general path.
  if (
    end - start >= 2 &&
    buf[start] === 0x0a &&
    buf[start + 1] < 0x80 &&
    start + 2 + buf[start + 1] <= end &&
    !hasLaterKey(buf, start + 2 + buf[start + 1], end)
  ) {
    s = start + 2;
    len = buf[start + 1];
  } else {
    const kv = readKeyValue(buf, start, end, scratchKv);
    s = kv.keyStart;
    len = kv.keyEnd - kv.keyStart;
  }
  if (len !== key.length) return false;
  for (let i = 0; i < len; i++) if (buf[s + i] !== key[i]) return false;
  return true;
}

/**
 * Whether a second key field follows (protobuf: the last occurrence wins). Cheap: the value is
 * normally the only field after the key, so this looks at one tag.
 */
function hasLaterKey(buf: Uint8Array, pos: number, end: number): boolean {
  if (pos >= end) return false;
  if (buf[pos] !== 0x12) return true; // not the value field: let the general path decide
  // value field with a length prefix: skip it and check that nothing follows
  let len = 0;
  let shift = 0;
  let p = pos + 1;
  while (p < end) {
    const b = buf[p++];
    len += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return p + len !== end;
    shift += 7;
    if (shift > 35) return true;
  }
  return true;
}
const scratchKv = new KeyValueRef();

/** Nesting deeper than this is treated as malformed rather than recursed into. */
const MAX_DEPTH = 32;

/** Tempo's StringifyAnyValue: the label value for an attribute value. */
export function stringifyAnyValue(buf: Uint8Array, v: AnyValueRef, strings: StringSource, depth = 0): string {
  switch (v.type) {
    case ANY_STRING:
      return strings.get(buf, v.start, v.end);
    case ANY_BOOL:
      return v.num ? 'true' : 'false';
    case ANY_INT:
      return String(v.num);
    case ANY_DOUBLE:
      return formatFloatF(v.num as number);
    case ANY_ARRAY:
      return '[' + stringifyList(buf, v.start, v.end, false, strings, depth + 1) + ']';
    case ANY_KVLIST:
      return '{' + stringifyList(buf, v.start, v.end, true, strings, depth + 1) + '}';
    default:
      return ''; // bytes and unset values have no label form
  }
}

function stringifyList(
  buf: Uint8Array,
  start: number,
  end: number,
  keyed: boolean,
  strings: StringSource,
  depth: number,
): string {
  if (depth > MAX_DEPTH) throw new WireError(`attribute value nested deeper than ${MAX_DEPTH} levels`);
  // Nested values are rare; fresh cursors keep the shared scratch objects safe under recursion.
  const c = new Cursor(buf, start, end);
  let out = '';
  while (c.more()) {
    const tag = c.uint32();
    if (tag >>> 3 !== 1) {
      c.skip(tag & 7);
      continue;
    }
    const e = c.lenEnd();
    if (keyed) {
      const kv = readKeyValue(buf, c.pos, e, new KeyValueRef());
      out += decodeUtf8(buf, kv.keyStart, kv.keyEnd) + ':';
      if (kv.hasValue)
        out += stringifyAnyValue(buf, readAnyValue(buf, kv.valueStart, kv.valueEnd, new AnyValueRef()), strings, depth);
    } else {
      out += stringifyAnyValue(buf, readAnyValue(buf, c.pos, e, new AnyValueRef()), strings, depth);
    }
    c.pos = e;
  }
  return out;
}
