import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { splitRequests, seriesWeight } from '../../lib/remote-write/split.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { floatSeries, histogramSeries, nativeSample, T0 } from './fixtures.ts';

const weights = (requests: CollectedSeries[][]) => requests.map((r) => r.reduce((n, s) => n + seriesWeight(s), 0));
const names = (requests: CollectedSeries[][]) =>
  requests.map((r) => r.map((s) => s.labels.find((l) => l.name === '__name__')?.value));

describe('splitRequests', () => {
  test('packs whole series up to max samples per request, in input order', () => {
    const series = ['a', 'b', 'c', 'd', 'e'].map((n) => floatSeries(n, {}, 0, 1)); // 2 samples each
    const requests = splitRequests(series, 5);
    assert.deepEqual(names(requests), [['a', 'b'], ['c', 'd'], ['e']]);
    assert.deepEqual(weights(requests), [4, 4, 2]);
  });

  test('exemplars and native histograms count like samples', () => {
    const withExemplar: CollectedSeries = {
      ...floatSeries('a', {}, 1),
      exemplars: [{ labels: [{ name: 'traceID', value: 'ab' }], value: 1, timestampMs: T0 }],
    };
    const hist = histogramSeries('h', {}, nativeSample(), nativeSample({ timestampMs: T0 + 1000 }));
    assert.equal(seriesWeight(withExemplar), 2);
    assert.equal(seriesWeight(hist), 2);
    assert.deepEqual(names(splitRequests([withExemplar, hist], 3)), [['a'], ['h']]);
    assert.deepEqual(names(splitRequests([withExemplar, hist], 4)), [['a', 'h']]);
  });

  test('a series heavier than the limit is cut into consecutive pieces, oldest samples first', () => {
    const big: CollectedSeries = {
      ...floatSeries('big', {}, 0, 1, 2, 3, 4, 5, 6),
      exemplars: [{ labels: [{ name: 'traceID', value: 'ab' }], value: 6, timestampMs: T0 + 6000 }],
    };
    const requests = splitRequests([floatSeries('small', {}, 9), big, floatSeries('after', {}, 9)], 3);
    assert.deepEqual(weights(requests), [3, 3, 3, 1]);
    assert.deepEqual(names(requests), [['small', 'big'], ['big'], ['big'], ['after']]);
    const pieces = requests.flat().filter((s) => s.labels[0].value === 'big');
    assert.deepEqual(
      pieces.map((p) => p.samples.map((s) => s.value)),
      [
        [0, 1],
        [2, 3, 4],
        [5, 6],
      ],
    );
    assert.equal(pieces[2].exemplars.length, 1, 'the exemplar follows the last samples');
    assert.ok(pieces.every((p) => p.labels === big.labels));
  });

  test('a long native histogram series is cut without mixing in float samples', () => {
    const hs = [0, 1, 2, 3, 4].map((i) => nativeSample({ timestampMs: T0 + i * 1000 }));
    const requests = splitRequests([histogramSeries('h', {}, ...hs)], 2);
    assert.deepEqual(
      requests.map((r) => r[0].histograms?.map((h) => h.timestampMs - T0)),
      [[0, 1000], [2000, 3000], [4000]],
    );
    assert.ok(requests.every((r) => r[0].samples.length === 0));
  });

  test('series with nothing to send are left out; no series gives no request', () => {
    assert.deepEqual(
      splitRequests([{ labels: [{ name: '__name__', value: 'x' }], samples: [], exemplars: [] }], 10),
      [],
    );
    assert.deepEqual(splitRequests([], 10), []);
  });

  test('every sample ends up in exactly one request, never over the limit', () => {
    const series = Array.from({ length: 40 }, (_, i) =>
      floatSeries(`s${i}`, {}, ...Array.from({ length: ((i * 7) % 13) + 1 }, (_, j) => j)),
    );
    for (const max of [1, 2, 5, 13, 100]) {
      const requests = splitRequests(series, max);
      assert.ok(
        weights(requests).every((w) => w >= 1 && w <= max),
        `max ${max}`,
      );
      const total = requests.flat().reduce((n, s) => n + s.samples.length, 0);
      assert.equal(
        total,
        series.reduce((n, s) => n + s.samples.length, 0),
      );
    }
  });

  test('refuses a limit that is not a positive integer', () => {
    assert.throws(() => splitRequests([], 0), /maxSamplesPerSend/);
    assert.throws(() => splitRequests([], 1.5), /maxSamplesPerSend/);
  });
});
