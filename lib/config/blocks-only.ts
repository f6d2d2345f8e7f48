// The config text reduced to the blocks this generator reads (metrics_generator, overrides), so
// a whole tempo.yaml fits where space is short (the deployed stack ships the config in one SSM
// parameter of at most 8 KB). Each kept block is cut from the source as written, so every value
// keeps its exact text; the result is used only when it parses to the same blocks.

import { isDeepStrictEqual } from 'node:util';
import { isMap, isScalar, parseDocument } from 'yaml';
import { READ_BLOCKS } from './read-blocks.ts';
import { isNodeMap, parseYaml } from './yaml.ts';
import type { Node } from './yaml.ts';

export function configBlocksOnly(text: string): string {
  let original: Node;
  try {
    original = parseYaml(text);
  } catch {
    return text;
  }
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false });
  const top = doc.contents;
  if (!isNodeMap(original) || !isMap(top) || original.size === 0) return text;
  const kept: string[] = [];
  for (const pair of top.items) {
    const key = pair.key;
    if (!isScalar(key) || !READ_BLOCKS.includes(String(key.value)) || key.range === undefined || key.range === null)
      continue;
    const value = pair.value as { range?: [number, number, number] | null } | null;
    const end = value?.range?.[1] ?? key.range[1];
    kept.push(text.slice(key.range[0], end));
  }
  const reduced = top.flow ? `{${kept.join(',\n')}}\n` : `${kept.map((k) => `${k}\n`).join('')}`;
  if (reduced.length >= text.length) return text;
  try {
    const back = parseYaml(reduced);
    const same = isNodeMap(back) && READ_BLOCKS.every((b) => isDeepStrictEqual(back.get(b), original.get(b)));
    return same ? reduced : text;
  } catch {
    return text;
  }
}
