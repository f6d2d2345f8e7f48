import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_PART_BYTES, decodeDelta, encodeDelta, joinParts, splitIntoParts } from '../../lib/delta/index.ts';
import { spanMetricsDelta } from './fixtures.ts';

describe('splitIntoParts / joinParts', () => {
  const bytes = new Uint8Array(1000).map((_, i) => i % 256);

  test('consecutive slices of at most maxPartBytes that join back to the input', () => {
    for (const max of [1, 7, 100, 999, 1000, 1001, 5000]) {
      const parts = splitIntoParts(bytes, max);
      assert.equal(parts.length, Math.ceil(bytes.length / max), `max ${max}`);
      for (const p of parts) assert.ok(p.length > 0 && p.length <= max);
      assert.deepStrictEqual(joinParts(parts), bytes);
    }
  });

  test('parts are copies: changing one leaves the input alone', () => {
    const parts = splitIntoParts(bytes, 300);
    parts[0][0] = 99;
    assert.equal(bytes[0], 0);
  });

  test('an empty input is one empty part; a bad size is refused', () => {
    assert.deepStrictEqual(splitIntoParts(new Uint8Array(0)), [new Uint8Array(0)]);
    assert.deepStrictEqual(joinParts([new Uint8Array(0)]), new Uint8Array(0));
    assert.deepStrictEqual(joinParts([]), new Uint8Array(0));
    for (const bad of [0, -1, 1.5, NaN]) assert.throws(() => splitIntoParts(bytes, bad), RangeError);
  });

  test('a delta over 350 KB splits into DynamoDB-sized parts and decodes after joining', () => {
    const content = spanMetricsDelta({ series: 14_000, seed: 3 });
    const encoded = encodeDelta(content);
    assert.ok(encoded.length > DEFAULT_MAX_PART_BYTES, `${encoded.length} bytes`);
    const parts = splitIntoParts(encoded);
    assert.equal(parts.length, Math.ceil(encoded.length / (350 * 1024)));
    assert.equal(parts[0].length, 350 * 1024);
    assert.deepStrictEqual(decodeDelta(joinParts(parts)), content);
  });
});
