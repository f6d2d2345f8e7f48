import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeDelta, encodeDelta } from '../../lib/delta/index.ts';
import { GOLDEN_DELTAS } from './golden-bytes.ts';
import { goldenDeltas } from './golden-inputs.ts';

const inputs = goldenDeltas();

test('every fixed input encodes to the bytes the earlier codec wrote', () => {
  assert.deepEqual(Object.keys(inputs), Object.keys(GOLDEN_DELTAS));
  for (const [name, content] of Object.entries(inputs)) {
    const bytes = Buffer.from(encodeDelta(content, { compression: 'none' })).toString('base64');
    assert.equal(bytes, GOLDEN_DELTAS[name], name);
  }
});

test('the bytes the earlier codec wrote decode to the inputs they came from', () => {
  for (const [name, content] of Object.entries(inputs)) {
    assert.deepStrictEqual(decodeDelta(Buffer.from(GOLDEN_DELTAS[name], 'base64')), content, name);
  }
});
