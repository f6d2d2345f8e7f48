import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs/minimal.js';
import { WriteRequest } from '../../lib/proto/index.ts';
import { encodeWriteRequest } from '../../lib/remote-write/encode.ts';
import { compress, decompress } from '../../lib/remote-write/compress.ts';
import { STALE_NAN_BITS, staleNaN } from '../../lib/series/stale.ts';
import { newNativeForFactor, observeNative, toNativeSample } from '../../lib/series/native-histogram.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { floatSeries, histogramSeries, nativeSample, T0 } from './fixtures.ts';
import { seriesOf } from './receiver.ts';

const decode = (series: CollectedSeries[]) => seriesOf(WriteRequest.decode(encodeWriteRequest(series)));

/** Raw 64-bit patterns of every Sample.value on the wire, found by walking the protobuf fields. */
function sampleValueBits(bytes: Uint8Array): bigint[] {
  const bits: bigint[] = [];
  const fields = (buf: Uint8Array, visit: (field: number, r: protobuf.Reader, wireType: number) => boolean) => {
    const r = protobuf.Reader.create(buf);
    while (r.pos < r.len) {
      const tag = r.uint32();
      if (!visit(tag >>> 3, r, tag & 7)) r.skipType(tag & 7);
    }
  };
  fields(bytes, (f, r) => {
    if (f !== 1) return false;
    fields(r.bytes(), (f2, r2) => {
      if (f2 !== 2) return false;
      fields(r2.bytes(), (f3, r3, wt) => {
        if (f3 !== 1) return false;
        assert.equal(wt, 1, 'Sample.value is a fixed64 field');
        const view = new DataView(r3.buf.buffer, r3.buf.byteOffset + r3.pos, 8);
        bits.push(view.getBigUint64(0, true));
        r3.skip(8);
        return true;
      });
      return true;
    });
    return true;
  });
  return bits;
}

describe('encodeWriteRequest', () => {
  test('float samples, labels and timestamps decode with the generated prompb classes', () => {
    const req = decode([floatSeries('calls_total', { service: 'api', span_kind: 'SPAN_KIND_SERVER' }, 0, 3.25)]);
    assert.equal(req.length, 1);
    assert.deepEqual(req[0].labelNames, ['__name__', 'service', 'span_kind']);
    assert.deepEqual(req[0].labels, { __name__: 'calls_total', service: 'api', span_kind: 'SPAN_KIND_SERVER' });
    assert.deepEqual(req[0].samples, [
      { value: 0, timestamp: BigInt(T0) },
      { value: 3.25, timestamp: BigInt(T0 + 1000) },
    ]);
  });

  test('labels with an empty value are left out and unsorted labels are written in byte order', () => {
    const req = decode([
      {
        labels: [
          { name: 'z', value: '1' },
          { name: '__name__', value: 'm' },
          { name: 'a', value: '' },
          { name: 'b', value: 'x' },
        ],
        samples: [{ value: 1, timestampMs: T0 }],
        exemplars: [],
      },
    ]);
    assert.deepEqual(req[0].labelNames, ['__name__', 'b', 'z']);
  });

  test('negative zero, infinities, NaN and huge values keep their float64 value', () => {
    const values = [-0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.7976931348623157e308, 5e-324];
    const req = decode([floatSeries('m', {}, ...values)]);
    assert.deepEqual(
      req[0].samples.map((s) => s.value),
      values,
    );
    const nan = decode([floatSeries('m', {}, Number.NaN)]);
    assert.ok(Number.isNaN(nan[0].samples[0].value));
  });

  test('a staleness marker carries exactly 0x7ff0000000000002 on the wire', () => {
    const s: CollectedSeries = {
      labels: [{ name: '__name__', value: 'm' }],
      samples: [
        { value: 7, timestampMs: T0 },
        { value: staleNaN(), timestampMs: T0 + 1000, stale: true },
      ],
      exemplars: [],
    };
    const bits = sampleValueBits(encodeWriteRequest([s]));
    assert.equal(bits.length, 2);
    assert.equal(bits[1], STALE_NAN_BITS);
    // also when the marker's value was quietened on its way (the flag is what counts)
    const quiet = sampleValueBits(
      encodeWriteRequest([{ ...s, samples: [{ value: Number.NaN, timestampMs: T0, stale: true }] }]),
    );
    assert.equal(quiet[0], STALE_NAN_BITS);
    // and survives snappy
    assert.equal(sampleValueBits(decompress(compress(encodeWriteRequest([s]))))[1], STALE_NAN_BITS);
  });

  test('an ordinary NaN is not a staleness marker', () => {
    const [bits] = sampleValueBits(encodeWriteRequest([floatSeries('m', {}, Number.NaN)]));
    assert.notEqual(bits, STALE_NAN_BITS);
  });

  test('exemplars round trip with their labels, value and timestamp', () => {
    const s: CollectedSeries = {
      ...floatSeries('latency_bucket', { le: '0.5' }, 4),
      exemplars: [
        { labels: [{ name: 'traceID', value: '0af7651916cd43dd8448eb211c80319c' }], value: 0.37, timestampMs: T0 - 5 },
      ],
    };
    assert.deepEqual(decode([s])[0].exemplars, [
      { labels: { traceID: '0af7651916cd43dd8448eb211c80319c' }, value: 0.37, timestamp: BigInt(T0 - 5) },
    ]);
  });

  test('native histograms round trip in integer form', () => {
    const h = nativeSample();
    const [series] = decode([histogramSeries('latency', { service: 'api' }, h)]);
    assert.deepEqual(series.samples, []);
    assert.deepEqual(series.histograms, [
      {
        count: 'countInt',
        countInt: 5n,
        zeroCount: 'zeroCountInt',
        zeroCountInt: 1n,
        sum: 12.5,
        schema: 3,
        zeroThreshold: h.zeroThreshold,
        negativeSpans: [{ offset: 0, length: 1 }],
        negativeDeltas: [1n],
        positiveSpans: [
          { offset: -2, length: 1 },
          { offset: 3, length: 1 },
        ],
        positiveDeltas: [2n, -1n],
        positiveCounts: [],
        timestamp: BigInt(T0),
      },
    ]);
  });

  test('an empty native histogram is still an integer histogram (count_int present)', () => {
    const empty = nativeSample({
      count: 0,
      sum: 0,
      zeroCount: 0,
      negativeSpans: [],
      negativeDeltas: [],
      positiveSpans: [],
      positiveDeltas: [],
    });
    const [d] = decode([histogramSeries('latency', {}, empty)])[0].histograms;
    assert.equal(d.count, 'countInt');
    assert.equal(d.zeroCount, 'zeroCountInt');
  });

  test('a histogram built by the registry code survives encoding, with large deltas', () => {
    const inc = newNativeForFactor(1.1);
    for (const v of [0.001, 0.002, 0.5, 3, 3, 1e6, -2]) observeNative(inc, v, 1);
    observeNative(inc, 42, 5e9); // counts beyond 32 bits take the 64-bit varint path
    const h = toNativeSample(inc, T0);
    const [d] = decode([histogramSeries('latency', {}, h)])[0].histograms;
    assert.ok(h.count > 2 ** 32);
    assert.equal(d.countInt, BigInt(h.count));
    assert.deepEqual(d.positiveDeltas.map(Number), h.positiveDeltas);
    assert.deepEqual(d.negativeDeltas.map(Number), h.negativeDeltas);
    assert.deepEqual(d.positiveSpans, h.positiveSpans);
    assert.equal(d.schema, h.schema);
  });

  test('several series, multibyte label values and long strings', () => {
    const long = 'x'.repeat(300);
    const req = decode([floatSeries('a', { v: 'naïve ✓ 𝄞' }, 1), floatSeries('b', { v: long }, 2)]);
    assert.deepEqual(
      req.map((t) => t.labels.v),
      ['naïve ✓ 𝄞', long],
    );
  });

  test('no series encodes an empty request', () => {
    assert.equal(encodeWriteRequest([]).length, 0);
  });
});
