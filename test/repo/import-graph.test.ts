// The module graph stays a one-way street: no file imports itself back through others, and no folder
// of lib/ imports from a folder that imports it back. Imports are read statically (type-only ones
// count: they tie the two modules' reasons to change together just the same).

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SCANNED = ['lib', 'functions', 'infra'];
/** Generated code is not ours to arrange. */
const SKIPPED = [join('lib', 'proto', 'generated')];

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (SKIPPED.some((s) => relative(ROOT, path) === s)) continue;
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.(ts|mts|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) out.push(relative(ROOT, path));
  }
  return out;
}

// `import ... from '...'`, `export ... from '...'`, `import '...'` and `import('...')`, across lines.
const SPECIFIER =
  /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** Relative imports of a source text, resolved to repository paths. */
export function importsOf(file: string, text: string): string[] {
  const withoutComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
  const out: string[] = [];
  for (const m of withoutComments.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2];
    if (spec === undefined || !spec.startsWith('.')) continue;
    out.push(relative(ROOT, resolve(ROOT, dirname(file), spec)));
  }
  return out;
}

function graph(): Map<string, string[]> {
  const files = SCANNED.flatMap((d) => sourceFiles(join(ROOT, d)));
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  for (const f of files) {
    const targets = importsOf(f, readFileSync(join(ROOT, f), 'utf8')).filter((t) => known.has(t));
    edges.set(f, [...new Set(targets)]);
  }
  return edges;
}

/** Every strongly connected component with more than one node (or a self edge): Tarjan's algorithm. */
export function cyclesOf(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}

/** The folder of a lib/ file one level below lib (lib/config, lib/series, ...); undefined elsewhere. */
function libFolder(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  return parts[0] === 'lib' && parts.length > 2 ? `${parts[0]}/${parts[1]}` : undefined;
}

/** Pairs of lib/ folders importing from each other, each with one file import per direction as evidence. */
export function mutualFolders(edges: ReadonlyMap<string, readonly string[]>): string[] {
  const between = new Map<string, string>();
  for (const [from, targets] of edges) {
    const a = libFolder(from);
    for (const to of targets) {
      const b = libFolder(to);
      if (a === undefined || b === undefined || a === b) continue;
      if (!between.has(`${a} ${b}`)) between.set(`${a} ${b}`, `${from} -> ${to}`);
    }
  }
  const out: string[] = [];
  for (const [pair, evidence] of between) {
    const [a, b] = pair.split(' ');
    const back = between.get(`${b} ${a}`);
    if (back !== undefined && a < b) out.push(`${a} <-> ${b} (${evidence}; ${back})`);
  }
  return out.sort();
}

describe('import graph', () => {
  const edges = graph();

  it('reads the imports of the tree (the parser sees what a file imports)', () => {
    const sample = [
      "import { a } from './a.ts';",
      "import type { B } from '../b/b.ts';",
      "export { c } from './c.ts';",
      'import {',
      '  d,',
      "} from './d.ts';",
      "// import { e } from './e.ts';",
      "import { readFileSync } from 'node:fs';",
    ].join('\n');
    assert.deepEqual(importsOf('lib/x/x.ts', sample), ['lib/x/a.ts', 'lib/b/b.ts', 'lib/x/c.ts', 'lib/x/d.ts']);
    assert.ok((edges.get('functions/ingest.ts') ?? []).includes('lib/ingest/ingest-handler.ts'));
  });

  it('finds a cycle and a folder pair when there is one', () => {
    const looped = new Map([
      ['lib/a/x.ts', ['lib/b/y.ts']],
      ['lib/b/y.ts', ['lib/a/x.ts']],
    ]);
    assert.deepEqual(cyclesOf(looped), [['lib/a/x.ts', 'lib/b/y.ts']]);
    assert.equal(mutualFolders(looped).length, 1);
  });

  it('has no import cycle between files', () => {
    const cycles = cyclesOf(edges);
    assert.deepEqual(
      cycles.map((c) => c.join(' -> ')),
      [],
      `files that import each other (directly or through others):\n${cycles.map((c) => `  ${c.join(', ')}`).join('\n')}`,
    );
  });

  it('has no folder of lib/ that imports from a folder that imports it back', () => {
    const pairs = mutualFolders(edges);
    assert.deepEqual(pairs, [], `folders importing each other:\n  ${pairs.join('\n  ')}`);
  });
});
