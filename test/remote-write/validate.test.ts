import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateSeries } from '../../lib/remote-write/validate.ts';
import type { CollectedSeries, NativeHistogramSample } from '../../lib/series/collected.ts';
import { newNativeForFactor, observeNative, toNativeSample } from '../../lib/series/native-histogram.ts';
import { staleNaN } from '../../lib/series/stale.ts';
import { floatSeries, histogramSeries, nativeSample, T0 } from './fixtures.ts';

const withLabels = (labels: { name: string; value: string }[]): CollectedSeries => ({
  labels,
  samples: [{ value: 1, timestampMs: T0 }],
  exemplars: [],
});
const hist = (overrides: Partial<NativeHistogramSample>) =>
  validateSeries(histogramSeries('h', {}, nativeSample(overrides)));

describe('validateSeries: labels', () => {
  test('accepts a well-formed series, including staleness markers', () => {
    assert.equal(validateSeries(floatSeries('calls_total', { service: 'a' }, 0, 1)), undefined);
    assert.equal(
      validateSeries({ ...floatSeries('m', {}, 1), samples: [{ value: staleNaN(), timestampMs: T0, stale: true }] }),
      undefined,
    );
  });

  test('duplicate label names', () => {
    const reason = validateSeries(
      withLabels([
        { name: '__name__', value: 'm' },
        { name: 'a', value: '1' },
        { name: 'a', value: '2' },
      ]),
    );
    assert.match(reason ?? '', /duplicate label name a/);
  });

  test('empty label names', () => {
    assert.match(
      validateSeries(
        withLabels([
          { name: '', value: 'x' },
          { name: '__name__', value: 'm' },
        ]),
      ) ?? '',
      /empty name/,
    );
  });

  test('labels not sorted by name', () => {
    assert.match(
      validateSeries(
        withLabels([
          { name: '__name__', value: 'm' },
          { name: 'b', value: '1' },
          { name: 'a', value: '2' },
        ]),
      ) ?? '',
      /not sorted/,
    );
  });

  test('labels with empty values are ignored, as the encoder drops them', () => {
    assert.equal(
      validateSeries(
        withLabels([
          { name: '__name__', value: 'm' },
          { name: 'a', value: '' },
          { name: 'a', value: 'x' },
        ]),
      ),
      undefined,
    );
  });

  test('a series without __name__', () => {
    assert.match(validateSeries(withLabels([{ name: 'a', value: '1' }])) ?? '', /__name__/);
    assert.match(
      validateSeries(
        withLabels([
          { name: '__name__', value: '' },
          { name: 'a', value: '1' },
        ]),
      ) ?? '',
      /__name__/,
    );
  });

  test('lone surrogates (not representable in UTF-8)', () => {
    assert.match(
      validateSeries(
        withLabels([
          { name: '__name__', value: 'm' },
          { name: 'a', value: 'x\ud800' },
        ]),
      ) ?? '',
      /UTF-8/,
    );
  });

  test('exemplar label problems', () => {
    const s: CollectedSeries = {
      ...floatSeries('m', {}, 1),
      exemplars: [
        {
          labels: [
            { name: 'traceID', value: 'a' },
            { name: 'traceID', value: 'b' },
          ],
          value: 1,
          timestampMs: T0,
        },
      ],
    };
    assert.match(validateSeries(s) ?? '', /duplicate exemplar 0 label name traceID/);
  });
});

describe('validateSeries: samples', () => {
  test('timestamps must increase within a series', () => {
    const s = floatSeries('m', {}, 1, 2);
    assert.match(
      validateSeries({ ...s, samples: [s.samples[1], s.samples[0]] }) ?? '',
      /sample 1 timestamp .* not after/,
    );
    assert.match(validateSeries({ ...s, samples: [s.samples[0], s.samples[0]] }) ?? '', /not after/);
  });

  test('timestamps must be integer milliseconds', () => {
    assert.match(
      validateSeries({ ...floatSeries('m', {}, 1), samples: [{ value: 1, timestampMs: T0 + 0.5 }] }) ?? '',
      /integer millisecond/,
    );
  });

  test('a series cannot mix float samples and native histograms', () => {
    assert.match(validateSeries({ ...floatSeries('m', {}, 1), histograms: [nativeSample()] }) ?? '', /both/);
  });
});

describe('validateSeries: native histograms', () => {
  test('accepts the fixture and what the registry renders', () => {
    assert.equal(hist({}), undefined);
    const inc = newNativeForFactor(1.1);
    for (const v of [0, 0.001, 0.5, 3, 3, 1e6, -2, -1e-3, Number.POSITIVE_INFINITY]) observeNative(inc, v, 2.5);
    assert.equal(validateSeries(histogramSeries('h', {}, toNativeSample(inc, T0))), undefined);
    const nan = newNativeForFactor(1.1);
    observeNative(nan, 1);
    observeNative(nan, Number.NaN); // counted, in no bucket, sum NaN
    assert.equal(validateSeries(histogramSeries('h', {}, toNativeSample(nan, T0))), undefined);
  });

  test('span lengths must add up to the number of deltas', () => {
    assert.match(hist({ positiveDeltas: [2, -1, 0] }) ?? '', /positive spans cover 2 buckets but there are 3 deltas/);
    assert.match(hist({ negativeSpans: [] }) ?? '', /negative spans cover 0 buckets but there are 1 deltas/);
  });

  test('absolute bucket counts must not go negative', () => {
    assert.match(hist({ positiveDeltas: [2, -3], count: 3 }) ?? '', /positive bucket 1 has negative count -1/);
    assert.match(hist({ negativeDeltas: [-1], count: 3 }) ?? '', /negative bucket 0 has negative count/);
  });

  test('count must equal zero count plus bucket counts (at least, when the sum is NaN)', () => {
    assert.match(hist({ count: 4 }) ?? '', /count 4 differs from the 5 observations/);
    assert.match(hist({ count: 6 }) ?? '', /count 6 differs/);
    assert.equal(hist({ count: 6, sum: Number.NaN }), undefined);
    assert.match(hist({ count: 4, sum: Number.NaN }) ?? '', /count 4 is less than the 5/);
  });

  test('only the first span may have a negative offset', () => {
    assert.match(
      hist({
        positiveSpans: [
          { offset: 0, length: 1 },
          { offset: -1, length: 1 },
        ],
      }) ?? '',
      /span 1 has negative offset -1/,
    );
  });

  test('counts, schema and zero threshold must be in range', () => {
    assert.match(hist({ count: -1 }) ?? '', /count -1/);
    assert.match(hist({ count: 5.5 }) ?? '', /count 5.5/);
    assert.match(hist({ zeroCount: Number.NaN }) ?? '', /zero count/);
    assert.match(hist({ schema: 9 }) ?? '', /schema 9/);
    assert.match(hist({ zeroThreshold: -1 }) ?? '', /zero threshold/);
    assert.match(hist({ positiveDeltas: [2.5, -1] }) ?? '', /delta 0/);
  });

  test('histogram timestamps must increase', () => {
    const s = histogramSeries('h', {}, nativeSample(), nativeSample());
    assert.match(validateSeries(s) ?? '', /histogram 1 timestamp/);
  });
});
