// YAML (and therefore JSON) text -> a small node tree the schema validators read.
//
// YAML 1.1 is used because Tempo reads its config with Go's yaml.v2, which follows 1.1
// (`yes`/`on` are booleans, `1_000` is an integer). Integers stay bigint so a filter-policy value
// `5` (int) can be told from `5.0` (float). Map keys keep the text as written: under 1.1 a key
// such as `y` or `on` would otherwise turn into a boolean.
//
// Hostile input is bounded: text size, nesting depth and the nodes aliases may add (a
// "billion laughs" document expands to 10^9 nodes from a few hundred bytes); duplicate keys are
// found with a set, not the parser's pairwise check, which is quadratic in a mapping's size.

import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { ConfigError } from './errors.ts';

/** A scalar with its typed value and its text (yaml.v2 lets any scalar fill a string field). */
export class Scalar {
  constructor(
    readonly value: string | number | bigint | boolean | null,
    readonly text: string,
  ) {}
}

export type Node = Scalar | Node[] | NodeMap;
export type NodeMap = Map<string, Node>;

export function isNodeMap(n: Node): n is NodeMap {
  return n instanceof Map;
}

/**
 * Config text larger than this is refused: a whole tempo.yaml is a few KB, a per-tenant overrides
 * file for 10,000 tenants about 2 MB. Parsing runs at roughly 300 KB/s, so this also bounds the
 * start-up time (about 7 s at the cap).
 */
export const MAX_CONFIG_BYTES = 2 * 1024 * 1024;
/** Nodes that aliases may add beyond the ones written: ample for shared blocks, nowhere near a bomb. */
export const MAX_ALIAS_EXPANSION = 100_000;
/** Mappings and lists nested deeper than this are refused (Tempo's config is about 8 levels deep). */
export const MAX_DEPTH = 64;

interface Budget {
  /** Nodes still allowed to come from alias expansion. */
  aliasNodes: number;
  /** Alias resolutions currently being expanded (0 = outside any alias). */
  aliasDepth: number;
}

/** An empty document (or only comments) yields an empty map. */
export function parseYaml(text: string): NodeMap | Node {
  if (text.length > MAX_CONFIG_BYTES) throw new ConfigError('', `the config is larger than ${MAX_CONFIG_BYTES} bytes`);
  // A flow collection per nesting level costs one bracket; refusing on a cheap count first keeps
  // the parser (which recurses per level) from overflowing its stack.
  if (maxBracketDepth(text) > MAX_DEPTH * 2)
    throw new ConfigError('', `invalid YAML: nested deeper than ${MAX_DEPTH} levels`);
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, uniqueKeys: false });
  const problem = doc.errors[0];
  if (problem !== undefined)
    throw new ConfigError('', `invalid YAML: ${problem.message.split('\n')[0].replace(/:$/, '')}`);
  if (doc.contents === null) return new Map();
  return convert(doc.contents, doc, new Set(), { aliasNodes: MAX_ALIAS_EXPANSION, aliasDepth: 0 }, 0);
}

/** The deepest nesting of `[` / `{`, counted over the whole text (quotes and comments too): an upper bound of the flow nesting. */
function maxBracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) max = depth;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth--;
    }
  }
  return max;
}

/** A mapping key as written (`on` stays "on" instead of becoming true). */
function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  if (typeof key.value === 'string') return key.value;
  return typeof key.source === 'string' ? key.source : String(key.value);
}

function convert(node: unknown, doc: Document, resolving: Set<unknown>, budget: Budget, depth: number): Node {
  if (depth > MAX_DEPTH) throw new ConfigError('', `invalid YAML: nested deeper than ${MAX_DEPTH} levels`);
  if (budget.aliasDepth > 0 && --budget.aliasNodes < 0) {
    throw new ConfigError('', `invalid YAML: aliases expand to more than ${MAX_ALIAS_EXPANSION} nodes`);
  }
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (target === undefined) throw new ConfigError('', `invalid YAML: unresolved alias *${node.source}`);
    if (resolving.has(target)) throw new ConfigError('', `invalid YAML: alias *${node.source} refers to itself`);
    resolving.add(target);
    budget.aliasDepth++;
    try {
      return convert(target, doc, resolving, budget, depth);
    } finally {
      budget.aliasDepth--;
      resolving.delete(target);
    }
  }
  if (isScalar(node)) {
    const v = node.value;
    const text = typeof node.source === 'string' ? node.source : String(v);
    if (v === null || v === undefined) return new Scalar(null, text);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
      return new Scalar(v, typeof v === 'string' ? v : text);
    }
    // YAML 1.1 timestamps (`0001-01-01T00:00:00Z`) and `!!binary`: yaml.v2 fills a string field
    // with the text as written, and no key here takes them as anything else.
    return new Scalar(text, text);
  }
  if (isSeq(node)) return node.items.map((item) => convert(item, doc, resolving, budget, depth + 1));
  if (isMap(node)) {
    const out: NodeMap = new Map();
    const merged: NodeMap[] = [];
    for (const pair of node.items) {
      const key = pair.key;
      if (isScalar(key) && typeof key.value === 'symbol') {
        // `<<: *anchor` (or a list of anchors): keys of the merged maps apply unless set here.
        const value = convert(pair.value, doc, resolving, budget, depth + 1);
        for (const m of Array.isArray(value) ? value : [value]) {
          if (!isNodeMap(m)) throw new ConfigError('', 'invalid YAML: `<<` merges only mappings');
          merged.push(m);
        }
        continue;
      }
      const name = keyText(key);
      if (name === undefined || (isScalar(key) && key.value === null))
        throw new ConfigError('', 'invalid YAML: mapping keys must be scalars');
      if (out.has(name)) throw new ConfigError('', `invalid YAML: duplicate key ${JSON.stringify(name)}`);
      out.set(name, convert(pair.value, doc, resolving, budget, depth + 1));
    }
    for (const m of merged) for (const [k, v] of m) if (!out.has(k)) out.set(k, v);
    return out;
  }
  throw new ConfigError(
    '',
    `invalid YAML: unsupported node ${(node as YamlNode | null)?.constructor?.name ?? String(node)}`,
  );
}
