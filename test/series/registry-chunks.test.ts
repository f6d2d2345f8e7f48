// A collection pulled in pieces (what the flusher streams to remote write) must be the same
// collection as one taken whole: same series, same order, same timestamps, zeros and exemplars.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from '../../lib/series/registry.ts';
import { config, counter, histogram } from './registry-fixtures.ts';

const T = Date.UTC(2024, 0, 1, 12, 30, 15, 250);
const bounds = [1, 2, 4];

function filled(): Registry {
  const r = new Registry(config());
  for (let i = 0; i < 50; i++) {
    r.apply(
      [
        counter('calls', { svc: `s${i}` }, i + 1),
        histogram('latency', { svc: `s${i}` }, { bounds }, [
          { value: 1.5 + (i % 4), traceId: (i + 1).toString(16).padStart(32, '0') },
        ]),
      ],
      T,
    );
  }
  return r;
}

describe('collectChunks', () => {
  test('pieces hold at least the asked number of series, whole label sets, and add up to collect()', () => {
    const whole = filled().collect(T + 15_000);
    const pieces = [...filled().collectChunks(T + 15_000, 20)];
    assert.ok(pieces.length > 1, `expected several pieces, got ${pieces.length}`);
    // a label set renders 1 counter + _count + _sum + 4 buckets = 7 series
    for (const p of pieces.slice(0, -1)) assert.ok(p.length >= 20 && p.length < 20 + 7, `piece of ${p.length} series`);
    assert.deepEqual(pieces.flat(), whole);
  });

  test('the next collection after a streamed one is stamped later and sends no zeros or old exemplars again', () => {
    const r = filled();
    const first = [...r.collectChunks(T + 15_000, 10)].flat();
    const second = r.collect(T + 15_000); // clock did not advance
    assert.ok(
      first.some((s) => s.samples.length === 2),
      'initial zeros in the first collection',
    );
    assert.ok(
      first.some((s) => s.exemplars.length > 0),
      'exemplars in the first collection',
    );
    const firstAt = first[0].samples.at(-1)!.timestampMs;
    for (const s of second) {
      assert.equal(s.samples.length, 1);
      assert.equal(s.exemplars.length, 0);
      assert.ok(s.samples[0].timestampMs > firstAt);
    }
  });

  test('a collection abandoned half way leaves the rest for the next one, after the abandoned timestamp', () => {
    const r = filled();
    const it = r.collectChunks(T + 15_000, 10);
    const taken = it.next().value!;
    it.return();
    const next = r.collect(T + 30_000);
    const zeros = next.filter((s) => s.samples.length === 2).length;
    const firstZeros = taken.filter((s) => s.samples.length === 2).length;
    assert.equal(
      zeros + firstZeros,
      50 * 6,
      'every counter and bucket/count series gets its initial zero exactly once',
    );
    for (const s of next) assert.ok(s.samples.at(-1)!.timestampMs > taken[0].samples.at(-1)!.timestampMs);
  });
});
