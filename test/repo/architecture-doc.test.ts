// docs/architecture.md is where a newcomer learns the tree, so it must stay true as the tree
// changes: every repository path it names exists, and every link in the docs (README.md and
// docs/*.md) reaches a file of the repository and, with an anchor, one of that file's headings.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
const TOP_LEVEL_DIRS = /^(lib|functions|infra|bench|bin|scripts|test|docs|proto|config|examples|dashboards)\//;

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (!fenced && heading !== null) out.add(anchorOf(heading[1]));
  }
  return out;
}

const docs = ['README.md', ...readdirSync(join(root, 'docs')).map((f) => `docs/${f}`)].filter((f) => f.endsWith('.md'));

describe('docs/architecture.md and the links of the docs', () => {
  test('every repository path docs/architecture.md names exists', () => {
    const text = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
    const missing = [...text.matchAll(/`([^`\s<>*]+)`/g)]
      .map((m) => m[1])
      .filter((p) => TOP_LEVEL_DIRS.test(p) && !existsSync(join(root, p)));
    assert.deepEqual(missing, [], `docs/architecture.md names paths that do not exist: ${missing.join(', ')}`);
  });

  test('every relative link in README.md and docs/*.md reaches a file and heading of the repository', () => {
    const broken: string[] = [];
    for (const doc of docs) {
      const text = readFileSync(join(root, doc), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path, anchor] = target.split('#');
        const file = path === '' ? doc : relative(root, normalize(join(root, dirname(doc), path)));
        if (file.startsWith('..') || !existsSync(join(root, file))) broken.push(`${doc}: ${target} (no such file)`);
        else if (
          anchor !== undefined &&
          file.endsWith('.md') &&
          !anchors(readFileSync(join(root, file), 'utf8')).has(anchor)
        )
          broken.push(`${doc}: ${target} (no such heading)`);
      }
    }
    assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
  });
});
