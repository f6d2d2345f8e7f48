// Reading protobuf fields out of parsed JSON by the proto3 JSON mapping: one field name may be
// spelled several ways, numbers may arrive as strings, 64-bit values must stay exact, bytes are
// base64 (OTLP/JSON's trace and span ids hex). Every error names the field's path.

import { toLong, type Long } from './index.ts';

export type JsonObject = Record<string, unknown>;

/** A field value that breaks the JSON mapping; message is `path: problem`. */
export class JsonFieldError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
    this.name = 'JsonFieldError';
  }
}

/** A present field: its value, the key it was found under and its path for errors. */
export interface JsonField {
  readonly key: string;
  readonly value: unknown;
  readonly path: string;
}

export function childPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** Every accepted spelling of a field: the lowerCamelCase JSON names, each with its proto snake_case twin. */
export function spellings(...camelNames: string[]): readonly string[] {
  const out: string[] = [];
  for (const name of camelNames) {
    const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    out.push(name);
    if (snake !== name) out.push(snake);
  }
  return out;
}

/**
 * The field under whichever spelling is present. null counts as absent (the JSON mapping's
 * default value). Two spellings present at once is an error rather than a silent pick.
 */
export function field(obj: JsonObject, at: string, names: readonly string[]): JsonField | undefined {
  let found: JsonField | undefined;
  for (const key of names) {
    const value = obj[key];
    if (value === null || value === undefined || !Object.hasOwn(obj, key)) continue;
    const path = childPath(at, key);
    if (found !== undefined) throw new JsonFieldError(path, `given together with ${found.key}`);
    found = { key, value, path };
  }
  return found;
}

export function asObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new JsonFieldError(path, 'expected an object');
  return value as JsonObject;
}

/** Maps each element; null elements are errors (a repeated field has no nulls). */
export function mapArray<T>(f: JsonField, each: (value: unknown, path: string) => T): T[] {
  if (!Array.isArray(f.value)) throw new JsonFieldError(f.path, 'expected an array');
  const out: T[] = new Array(f.value.length);
  for (let i = 0; i < f.value.length; i++) {
    const path = `${f.path}[${i}]`;
    const value: unknown = f.value[i];
    if (value === null) throw new JsonFieldError(path, 'null in a list');
    out[i] = each(value, path);
  }
  return out;
}

export function asString(f: JsonField): string {
  if (typeof f.value !== 'string') throw new JsonFieldError(f.path, 'expected a string');
  return f.value;
}

export function asBool(f: JsonField): boolean {
  if (typeof f.value !== 'boolean') throw new JsonFieldError(f.path, 'expected true or false');
  return f.value;
}

const DECIMAL_INT = /^-?\d+$/;

/** An integer given as a JSON number or a decimal string, exactly. */
function integer(f: JsonField): bigint {
  const v = f.value;
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new JsonFieldError(f.path, `not an integer: ${v}`);
    return BigInt(v);
  }
  if (typeof v === 'string' && DECIMAL_INT.test(v)) return BigInt(v);
  throw new JsonFieldError(f.path, `expected an integer (number or decimal string), got ${describe(v)}`);
}

function inRange(f: JsonField, v: bigint, min: bigint, max: bigint, type: string): bigint {
  if (v < min || v > max) throw new JsonFieldError(f.path, `${v} is out of range for ${type}`);
  return v;
}

export function asUint32(f: JsonField): number {
  return Number(inRange(f, integer(f), 0n, 0xffffffffn, 'uint32'));
}

export function asInt32(f: JsonField): number {
  return Number(inRange(f, integer(f), -0x80000000n, 0x7fffffffn, 'int32'));
}

export function asUint64(f: JsonField): Long {
  return toLong(inRange(f, integer(f), 0n, 0xffffffffffffffffn, 'uint64'), true);
}

export function asInt64(f: JsonField): Long {
  return toLong(inRange(f, integer(f), -(1n << 63n), (1n << 63n) - 1n, 'int64'), false);
}

const SPECIAL_DOUBLES: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };
// One way only to read a digit run (no `\d+\.?\d*`), so a miss on a long string backtracks linearly.
const DECIMAL_NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

export function asDouble(f: JsonField): number {
  const v = f.value;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (Object.hasOwn(SPECIAL_DOUBLES, v)) return SPECIAL_DOUBLES[v];
    if (DECIMAL_NUMBER.test(v)) return Number(v);
  }
  throw new JsonFieldError(f.path, `expected a number, got ${describe(v)}`);
}

/** An enum by name or by number (proto3 enums are open: unknown numbers are kept). */
export function asEnum(f: JsonField, byName: Readonly<Record<string, number>>, enumName: string): number {
  if (typeof f.value === 'string' && Object.hasOwn(byName, f.value)) return byName[f.value];
  if (typeof f.value === 'number' || (typeof f.value === 'string' && DECIMAL_INT.test(f.value))) return asInt32(f);
  throw new JsonFieldError(f.path, `not a ${enumName} name or number: ${describe(f.value)}`);
}

const BASE64 = /^(?:[A-Za-z0-9+/]*|[A-Za-z0-9_-]*)={0,2}$/;

/** Standard or URL-safe base64, padding optional (the JSON mapping accepts both). */
export function asBase64(f: JsonField): Uint8Array {
  const bytes = base64(f.value);
  if (bytes === undefined) throw new JsonFieldError(f.path, `not base64: ${describe(f.value)}`);
  return bytes;
}

function base64(v: unknown): Uint8Array | undefined {
  if (typeof v !== 'string' || !BASE64.test(v)) return undefined;
  const data = v.replace(/=+$/, '');
  if (data.length % 4 === 1 || (v.length !== data.length && v.length % 4 !== 0)) return undefined;
  return new Uint8Array(Buffer.from(data, 'base64'));
}

const HEX = /^[0-9a-fA-F]*$/;

/**
 * A trace or span id of `size` bytes: hex (the OTLP/JSON form) when it is exactly 2*size hex
 * digits, otherwise base64 (protobuf's generic bytes form, used by Tempo's jsonpb data). The
 * empty string is the empty (absent) id.
 */
export function asId(f: JsonField, size: number): Uint8Array {
  const v = f.value;
  if (v === '') return new Uint8Array(0);
  if (typeof v === 'string' && v.length === size * 2 && HEX.test(v)) return new Uint8Array(Buffer.from(v, 'hex'));
  const bytes = base64(v);
  if (bytes === undefined || bytes.length !== size) {
    throw new JsonFieldError(f.path, `not hex or base64 of a ${size}-byte id: ${describe(v)}`);
  }
  return bytes;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
}
