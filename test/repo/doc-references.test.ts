// Comments and docs must stand alone: they may point at the repository's own files and docs or at
// Tempo's source ("Tempo: modules/generator/..."), never at design notes or a behaviour spec that
// live outside the repository, which a reader of a clone cannot open.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
const thisFile = relative(root, new URL(import.meta.url).pathname);

/** Where the project's hand-written text lives (folders walked recursively, and top-level files). */
const ROOTS = [
  'lib',
  'functions',
  'infra',
  'bench',
  'bin',
  'scripts',
  'test',
  'docs',
  'proto',
  'examples',
  'config',
  'types',
  '.ci',
  'README.md',
  'BENCHMARKS.md',
];
const SKIPPED_DIRS = new Set(['node_modules', 'cdk.out', 'generated']);
const TEXT_FILE = /\.(ts|mts|js|mjs|sh|py|md|ya?ml|json|jsonc|proto)$|^run$/;

/** Each pattern names a document outside the repository. */
const OUTSIDE_REFERENCES: { pattern: RegExp; what: string }[] = [
  { pattern: /\bspec (§|section\b|\d)/, what: 'a section of a spec that is not in the repository' },
  { pattern: /\bthe spec\b/, what: 'a spec that is not in the repository' },
  { pattern: /\bDESIGN\b/, what: 'design notes that are not in the repository (use docs/architecture.md)' },
  { pattern: /PLATFORM-NOTES/, what: 'platform notes that are not in the repository' },
  { pattern: /\.\.\/shared\b|\/work\/shared\b/, what: 'a folder outside the repository' },
];

function collect(path: string, out: string[]): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat === undefined) return out;
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) if (!SKIPPED_DIRS.has(entry)) collect(join(path, entry), out);
  } else if (TEXT_FILE.test(path.slice(path.lastIndexOf('/') + 1))) {
    out.push(relative(root, path));
  }
  return out;
}

/** Every `file:line: what (text)` in `files` that points outside the repository. */
function outsideReferences(files: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    if (file === thisFile) continue;
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const { pattern, what } of OUTSIDE_REFERENCES) {
        if (pattern.test(text)) found.push(`${file}:${i + 1}: ${what}: ${text.trim()}`);
      }
    });
  }
  return found;
}

describe('comments and docs point only inside the repository', () => {
  const files = ROOTS.flatMap((r) => collect(join(root, r), []));

  test('the scan covers the code, the tests and the docs', () => {
    for (const expected of ['README.md', 'lib/flush/flusher.ts', 'test/repo/doc-references.test.ts', 'docs']) {
      assert.ok(
        files.some((f) => f === expected || f.startsWith(`${expected}/`)),
        `${expected} is not scanned`,
      );
    }
  });

  test('no file names a spec section, design notes, platform notes or a folder outside the repository', () => {
    const found = outsideReferences(files);
    assert.deepEqual(
      found,
      [],
      `point to docs/architecture.md, the README or a Tempo source path instead:\n${found.join('\n')}`,
    );
  });
});
