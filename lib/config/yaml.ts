// YAML (and therefore JSON) text -> a small node tree the schema validators read.
//
// YAML 1.1 is used because Tempo reads its config with Go's yaml.v2, which follows 1.1
// (`yes`/`on` are booleans, `1_000` is an integer). Integers stay bigint so a filter-policy value
// `5` (int) can be told from `5.0` (float). Map keys keep the text as written: under 1.1 a key
// such as `y` or `on` would otherwise turn into a boolean.

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

/** An empty document (or only comments) yields an empty map. */
export function parseYaml(text: string): NodeMap | Node {
  const doc = parseDocument(text, { version: '1.1', intAsBigInt: true, uniqueKeys: (a, b) => keyText(a) === keyText(b) });
  const problem = doc.errors[0];
  if (problem !== undefined) throw new ConfigError('', `invalid YAML: ${problem.message.split('\n')[0].replace(/:$/, '')}`);
  if (doc.contents === null) return new Map();
  return convert(doc.contents, doc, new Set());
}

/** A mapping key as written (`on` stays "on" instead of becoming true). */
function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  if (typeof key.value === 'string') return key.value;
  return typeof key.source === 'string' ? key.source : String(key.value);
}

function convert(node: unknown, doc: Document, resolving: Set<unknown>): Node {
  if (isAlias(node)) {
    const target = node.resolve(doc);
    if (target === undefined) throw new ConfigError('', `invalid YAML: unresolved alias *${node.source}`);
    if (resolving.has(target)) throw new ConfigError('', `invalid YAML: alias *${node.source} refers to itself`);
    resolving.add(target);
    try {
      return convert(target, doc, resolving);
    } finally {
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
    throw new ConfigError('', `invalid YAML: unsupported scalar ${text}`);
  }
  if (isSeq(node)) return node.items.map((item) => convert(item, doc, resolving));
  if (isMap(node)) {
    const out: NodeMap = new Map();
    const merged: NodeMap[] = [];
    for (const pair of node.items) {
      const key = pair.key;
      if (isScalar(key) && typeof key.value === 'symbol') {
        // `<<: *anchor` (or a list of anchors): keys of the merged maps apply unless set here.
        const value = convert(pair.value, doc, resolving);
        for (const m of Array.isArray(value) ? value : [value]) {
          if (!isNodeMap(m)) throw new ConfigError('', 'invalid YAML: `<<` merges only mappings');
          merged.push(m);
        }
        continue;
      }
      const name = keyText(key);
      if (name === undefined || (isScalar(key) && key.value === null)) throw new ConfigError('', 'invalid YAML: mapping keys must be scalars');
      out.set(name, convert(pair.value, doc, resolving));
    }
    for (const m of merged) for (const [k, v] of m) if (!out.has(k)) out.set(k, v);
    return out;
  }
  throw new ConfigError('', `invalid YAML: unsupported node ${(node as YamlNode | null)?.constructor?.name ?? String(node)}`);
}
