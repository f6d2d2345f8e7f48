// A small schema-driven validator over the YAML node tree. A Spec turns one node into a typed
// value or throws a ConfigError naming the node's dotted path. Object specs list their keys;
// any other key is an error, as with Tempo's strict YAML decoding.

import { fail, indexPath, joinPath } from './errors.ts';
import { formatDurationMs, parseGoDuration, parsePrometheusDuration } from './duration.ts';
import { isNodeMap, Scalar } from './yaml.ts';
import type { Node, NodeMap } from './yaml.ts';

export interface Spec<T> {
  /** What the value must look like, for messages and docs. */
  readonly type: string;
  parse(node: Node, path: string): T;
}

/** A spec whose key takes `defaultValue` when absent (or null) in an object. */
export interface DefaultedSpec<T> extends Spec<T> {
  readonly defaultValue: T;
}

export type Infer<S> = S extends Spec<infer T> ? T : never;

type Shape = { readonly [key: string]: Spec<unknown> };

/** Keys with defaults are always present; the others are optional (absent = not set). */
export type ObjectOf<S extends Shape> = {
  -readonly [K in keyof S as S[K] extends DefaultedSpec<unknown> ? K : never]: Infer<S[K]>;
} & {
  -readonly [K in keyof S as S[K] extends DefaultedSpec<unknown> ? never : K]?: Infer<S[K]>;
};

export function isAbsent(node: Node | undefined): node is undefined {
  return node === undefined || (node instanceof Scalar && node.value === null);
}

function describe(node: Node): string {
  if (Array.isArray(node)) return 'a list';
  if (isNodeMap(node)) return 'a mapping';
  if (node.value === null) return 'null';
  if (typeof node.value === 'string') return JSON.stringify(node.value);
  return node.text;
}

function scalarOf(node: Node): Scalar | undefined {
  return node instanceof Scalar ? node : undefined;
}

export function withDefault<T>(spec: Spec<T>, defaultValue: T): DefaultedSpec<T> {
  return { type: spec.type, parse: (n, p) => spec.parse(n, p), defaultValue };
}

/** Adds a check on the parsed value; `check` returns a problem message or undefined. */
export function refine<T>(spec: Spec<T>, check: (value: T, path: string) => string | undefined): Spec<T> {
  return {
    type: spec.type,
    parse(node, path) {
      const value = spec.parse(node, path);
      const problem = check(value, path);
      if (problem !== undefined) fail(path, problem);
      return value;
    },
  };
}

/** Any scalar as text: yaml.v2 fills a string field from a number or boolean scalar too. */
export function string(): Spec<string> {
  return {
    type: 'string',
    parse(node, path) {
      const s = scalarOf(node);
      if (s === undefined || s.value === null) return fail(path, `must be a string, got ${describe(node)}`);
      return typeof s.value === 'string' ? s.value : s.text;
    },
  };
}

export function bool(): Spec<boolean> {
  return {
    type: 'boolean',
    parse(node, path) {
      const s = scalarOf(node);
      if (s === undefined || typeof s.value !== 'boolean')
        return fail(path, `must be true or false, got ${describe(node)}`);
      return s.value;
    },
  };
}

/**
 * An integer scalar in [min, max], as a number (callers only use ranges that fit exactly). An
 * integral float such as `1e+06` (as Tempo's jsonnet writes large numbers) counts, as yaml.v2
 * reads it into an integer field; a fractional one does not.
 */
export function integer(min: bigint, max: bigint, what = 'an integer'): Spec<number> {
  return {
    type: what,
    parse(node, path) {
      const s = scalarOf(node);
      const v =
        s === undefined
          ? undefined
          : typeof s.value === 'number' && Number.isInteger(s.value)
            ? BigInt(s.value)
            : s.value;
      if (s === undefined || typeof v !== 'bigint') return fail(path, `must be ${what}, got ${describe(node)}`);
      if (v < min || v > max) return fail(path, `must be ${what} between ${min} and ${max}, got ${s.text}`);
      return Number(v);
    },
  };
}

export const uint32 = (): Spec<number> => integer(0n, 4294967295n, 'a non-negative integer');
/** uint64 keys whose only meaningful check here is "zero or not"; large values lose precision. */
export const uint64 = (): Spec<number> => integer(0n, 18446744073709551615n, 'a non-negative integer');
export const positiveInt = (): Spec<number> => integer(1n, 2147483647n, 'a positive integer');

/** A finite number; integer scalars are accepted. */
export function float(): Spec<number> {
  return {
    type: 'number',
    parse(node, path) {
      const s = scalarOf(node);
      if (s === undefined || (typeof s.value !== 'number' && typeof s.value !== 'bigint')) {
        return fail(path, `must be a number, got ${describe(node)}`);
      }
      const v = Number(s.value);
      if (!Number.isFinite(v)) return fail(path, `must be a finite number, got ${s.text}`);
      return v;
    },
  };
}

export interface DurationOptions {
  /** Inclusive bounds in ms; default min 0 (no key here is meaningfully negative). */
  readonly minMs?: number;
  readonly maxMs?: number;
  /** Also accept Prometheus' `1d`/`1w`/`1y` units (remote_write keys are Prometheus durations). */
  readonly prometheus?: boolean;
}

/**
 * Go duration text (`15s`, `1m30s`, `500ms`, `1h`) in milliseconds. A bare `0` is accepted; other
 * bare numbers are rejected because yaml.v2 would read them as nanoseconds, a silent trap.
 */
export function duration(opts: DurationOptions = {}): Spec<number> {
  const minMs = opts.minMs ?? 0;
  return {
    type: 'duration',
    parse(node, path) {
      const s = scalarOf(node);
      if (s !== undefined && typeof s.value === 'bigint' && s.value === 0n) return check(0, path, s.text);
      if (s === undefined || typeof s.value !== 'string') {
        return fail(path, `must be a duration such as 15s, 1m30s or 500ms, got ${describe(node)}`);
      }
      let ms = parseGoDuration(s.value);
      if (ms === undefined && opts.prometheus) ms = parsePrometheusDuration(s.value);
      if (ms === undefined)
        return fail(path, `must be a duration such as 15s, 1m30s or 500ms, got ${JSON.stringify(s.value)}`);
      return check(ms, path, s.value);
    },
  };
  function check(ms: number, path: string, text: string): number {
    if (ms < minMs) fail(path, `must be at least ${formatDurationMs(minMs)}, got ${text}`);
    if (opts.maxMs !== undefined && ms > opts.maxMs)
      fail(path, `must be at most ${formatDurationMs(opts.maxMs)}, got ${text}`);
    return ms;
  }
}

export function oneOf<const V extends string>(values: readonly V[]): Spec<V> {
  const shown = values.map((v) => (v === '' ? '""' : v)).join(', ');
  return {
    type: `one of ${shown}`,
    parse(node, path) {
      const s = scalarOf(node);
      const v = s === undefined || s.value === null ? undefined : typeof s.value === 'string' ? s.value : s.text;
      if (v === undefined || !(values as readonly string[]).includes(v))
        return fail(path, `must be one of ${shown}, got ${describe(node)}`);
      return v as V;
    },
  };
}

/** Lists and free mappings longer than this are refused (before their items are parsed) unless a key sets its own bound. */
export const DEFAULT_MAX_ITEMS = 1000;

export function listOf<T>(item: Spec<T>, maxItems = DEFAULT_MAX_ITEMS): Spec<T[]> {
  return {
    type: `list of ${item.type}`,
    parse(node, path) {
      if (!Array.isArray(node)) return fail(path, `must be a list, got ${describe(node)}`);
      if (node.length > maxItems) return fail(path, `has ${node.length} items; at most ${maxItems} are accepted`);
      return node.map((n, i) => {
        const p = indexPath(path, i);
        if (isAbsent(n)) fail(p, `must be ${item.type}, got null`);
        return item.parse(n, p);
      });
    },
  };
}

/** A mapping with free keys; entries keep document order. */
export function mapOf<T>(
  value: Spec<T>,
  keyCheck?: (key: string) => string | undefined,
  maxEntries = DEFAULT_MAX_ITEMS,
): Spec<Record<string, T>> {
  return {
    type: `mapping of ${value.type}`,
    parse(node, path) {
      if (!isNodeMap(node)) return fail(path, `must be a mapping, got ${describe(node)}`);
      if (node.size > maxEntries) return fail(path, `has ${node.size} entries; at most ${maxEntries} are accepted`);
      const entries: [string, T][] = [];
      for (const [k, v] of node) {
        const p = joinPath(path, k);
        const problem = keyCheck?.(k);
        if (problem !== undefined) fail(p, problem);
        if (isAbsent(v)) fail(p, `must be ${value.type}, got null`);
        entries.push([k, value.parse(v, p)]);
      }
      // fromEntries defines own properties, so a key such as `__proto__` stays data.
      return Object.fromEntries(entries);
    },
  };
}

/** Any mapping, contents unchecked (for opaque blocks such as Tempo's `wal:`). */
export function anyMapping(): Spec<NodeMap> {
  return {
    type: 'mapping',
    parse: (node, path) => (isNodeMap(node) ? node : fail(path, `must be a mapping, got ${describe(node)}`)),
  };
}

/** Accepts anything and yields nothing: a Tempo key with no meaning here. */
export function ignored(): Spec<undefined> {
  return { type: 'ignored', parse: () => undefined };
}

/** Validates like `spec`, then drops the value: a Tempo key accepted but without effect here. */
export function ignoring<T>(spec: Spec<T>): Spec<undefined> {
  return {
    type: spec.type,
    parse(node, path) {
      spec.parse(node, path);
      return undefined;
    },
  };
}

/** A key this implementation refuses, whatever its value. */
export function unsupported(reason: string): Spec<never> {
  return { type: 'unsupported', parse: (_n, path) => fail(path, `not supported: ${reason}`) };
}

export interface ObjectOptions {
  /** Alternative spellings: alias -> canonical key. */
  readonly aliases?: Readonly<Record<string, string>>;
  /** Extra hint for an unknown key, e.g. pointing at the new layout for legacy keys. */
  readonly unknownKeyHint?: (key: string) => string | undefined;
}

export interface ObjectSpec<S extends Shape> extends Spec<ObjectOf<S>> {
  readonly shape: S;
}

export function object<S extends Shape>(shape: S, opts: ObjectOptions = {}): ObjectSpec<S> {
  const known = Object.keys(shape);
  return {
    type: 'mapping',
    shape,
    parse(node, path) {
      if (!isNodeMap(node)) return fail(path, `must be a mapping, got ${describe(node)}`);
      return parseObject(shape, node, path, known, opts) as ObjectOf<S>;
    },
  };
}

function parseObject(
  shape: Shape,
  node: NodeMap,
  path: string,
  known: string[],
  opts: ObjectOptions,
): Record<string, unknown> {
  const present = new Map<string, { node: Node; written: string }>();
  for (const [written, value] of node) {
    const key = opts.aliases?.[written] ?? written;
    const p = joinPath(path, written);
    if (!Object.hasOwn(shape, key)) {
      const hint = opts.unknownKeyHint?.(written) ?? didYouMean(written, known);
      fail(p, `unknown key${hint === undefined ? '' : ` (${hint})`}`);
    }
    const earlier = present.get(key);
    if (earlier !== undefined) fail(p, `duplicates ${joinPath(path, earlier.written)}`);
    present.set(key, { node: value, written });
  }
  const out: Record<string, unknown> = {};
  for (const key of known) {
    const spec = shape[key];
    const given = present.get(key);
    if (given !== undefined && !isAbsent(given.node)) {
      out[key] = spec.parse(given.node, joinPath(path, given.written));
    } else if ('defaultValue' in spec) {
      out[key] = (spec as DefaultedSpec<unknown>).defaultValue;
    }
  }
  return out;
}

/** An object spec whose absence means "all defaults" (a nested block of global config). */
export function section<S extends Shape>(
  shape: S,
  opts: ObjectOptions = {},
): ObjectSpec<S> & DefaultedSpec<ObjectOf<S>> {
  const spec = object(shape, opts);
  return { ...spec, defaultValue: spec.parse(new Map(), '') };
}

/** `did you mean X?` for a key within two edits of a known one (fewer than half its length). */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  // At most two edits, and fewer than half the key: `c` is not a typo of `a`.
  let bestDistance = Math.min(3, Math.ceil(key.length / 2));
  for (const k of known) {
    const d = editDistance(key, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best === undefined ? undefined : `did you mean ${best}?`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
