import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compress as snappyCompress } from 'snappyjs';
import { uncompressSnappyBlock } from '../../lib/local/snappy-block.ts';
import { seededRng } from '../../testing/random-trace.ts';

/** Bytes with long repeats, short repeats, overlapping runs and incompressible stretches. */
function mixedBytes(size: number, seed: number): Buffer {
  const rng = seededRng(seed);
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; ) {
    const pick = rng();
    const run = 1 + Math.floor(rng() * 300);
    for (let j = 0; j < run && i < size; j++, i++) {
      if (pick < 0.3) out[i] = Math.floor(rng() * 256);
      else if (pick < 0.5)
        out[i] = 0x61; // one byte repeated: overlapping copies
      else if (pick < 0.8 && i >= 1000)
        out[i] = out[i - 1000]; // far copies
      else out[i] = `span-name-${j % 7}`.charCodeAt(j % 11) || 0x20;
    }
  }
  return out;
}

describe('uncompressSnappyBlock', () => {
  test('gives back exactly what snappy compressed, for sizes from empty to megabytes', () => {
    for (const [size, seed] of [
      [0, 1],
      [1, 2],
      [15, 3],
      [64, 4],
      [70_000, 5],
      [1_500_000, 6],
    ]) {
      const original = mixedBytes(size, seed);
      const decoded = uncompressSnappyBlock(Buffer.from(snappyCompress(original)));
      assert.ok(decoded.equals(original), `size ${size}`);
    }
  });

  test('reads literals with in-tag and 2-3 byte lengths and copies with 1, 2 and 4 offset bytes', () => {
    const literal = Buffer.alloc(300, 0x41);
    // length 5 (abcde); 2-byte-length literal of 300 x 'A'; copy1 len 4 off 5; copy2 len 20 off 300;
    // copy4 len 3 off 1 (overlapping); literal of 3 bytes with a 3-byte length
    const block = Buffer.concat([
      Buffer.from([0x80 | (335 & 0x7f), 335 >> 7]), // varint 335
      Buffer.from([(4 << 2) | 0]),
      Buffer.from('abcde'),
      Buffer.from([(61 << 2) | 0, 299 & 0xff, 299 >> 8]),
      literal,
      Buffer.from([(0 << 2) | 1, 5]),
      Buffer.from([(19 << 2) | 2, 300 & 0xff, 300 >> 8]),
      Buffer.from([(2 << 2) | 3, 1, 0, 0, 0]),
      Buffer.from([(62 << 2) | 0, 2, 0, 0]), // (the length field holds len - 1)
      Buffer.from('xyz'),
    ]);
    const out = uncompressSnappyBlock(block);
    const expected = Buffer.concat([
      Buffer.from('abcde'),
      literal,
      Buffer.from('AAAA'),
      Buffer.alloc(20, 0x41),
      Buffer.from('AAA'),
      Buffer.from('xyz'),
    ]);
    assert.equal(out.length, 335);
    assert.ok(out.equals(expected));
  });

  test('rejects malformed blocks instead of returning wrong or short output', () => {
    const cases: [string, number[]][] = [
      ['truncated length', [0x80]],
      ['copy before any output', [4, (0 << 2) | 1, 1]],
      ['copy offset zero', [8, 0, 0x61, (0 << 2) | 1, 0]],
      ['literal past the block', [4, (3 << 2) | 0, 0x61]],
      ['literal past the declared length', [1, (1 << 2) | 0, 0x61, 0x62]],
      ['fewer bytes than declared', [3, 0, 0x61]],
      ['declared length the block cannot hold', [0xff, 0xff, 0xff, 0xff, 0x0f]],
    ];
    for (const [name, bytes] of cases) {
      assert.throws(() => uncompressSnappyBlock(Buffer.from(bytes)), /snappy: invalid block/, name);
    }
  });
});
