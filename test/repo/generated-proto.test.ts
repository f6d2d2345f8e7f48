// The committed protobuf code (lib/proto/generated) must be what `npm run proto` makes from proto/:
// regenerate into a temporary directory with the same script and compare byte for byte, so an
// edited .proto without a regeneration (or a hand edit of the generated code) fails here.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = new URL('../..', import.meta.url).pathname;
const committedDir = join(root, 'lib/proto/generated');

/** The first line where two texts differ, 1-based, or undefined when they are equal. */
function firstDifferentLine(a: string, b: string): number | undefined {
  if (a === b) return undefined;
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return i + 1;
  return x.length + 1;
}

describe('generated protobuf code matches proto/', () => {
  let freshDir = '';
  before(async () => {
    freshDir = await mkdtemp(join(tmpdir(), 'mmg-proto-'));
    await run('bash', [join(root, 'scripts/gen-proto.sh'), freshDir], { cwd: root });
  });
  after(async () => {
    if (freshDir !== '') await rm(freshDir, { recursive: true, force: true });
  });

  test('the same files, each identical to a fresh `npm run proto`', async () => {
    const committed = (await readdir(committedDir)).sort();
    const fresh = (await readdir(freshDir)).sort();
    assert.deepEqual(
      committed,
      fresh,
      `lib/proto/generated holds ${committed.join(', ')} but npm run proto makes ${fresh.join(', ')}: run npm run proto`,
    );
    const differing: string[] = [];
    for (const name of fresh) {
      const line = firstDifferentLine(
        await readFile(join(committedDir, name), 'utf8'),
        await readFile(join(freshDir, name), 'utf8'),
      );
      if (line !== undefined) differing.push(`lib/proto/generated/${name} (first at line ${line})`);
    }
    assert.deepEqual(differing, [], `${differing.join(', ')}: differs from what proto/ generates: run npm run proto`);
  });
});
