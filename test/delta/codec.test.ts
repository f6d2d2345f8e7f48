import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  COMPRESSION_BROTLI,
  COMPRESSION_DEFLATE_RAW,
  COMPRESSION_NONE,
  DeltaFormatError,
  decodeDelta,
  encodeDelta,
  type CompressionName,
  type DeltaContent,
} from '../../lib/delta/index.ts';
import type { HistogramIncrement, SeriesIncrement } from '../../lib/series/types.ts';
import type { EdgeHalf } from '../../lib/servicegraph-model/half.ts';
import { crc32 } from '../../lib/delta/crc32.ts';
import { encodePayload } from '../../lib/delta/payload-encode.ts';
import { ByteWriter } from '../../lib/delta/writer.ts';
import {
  classicPart,
  deltaOf,
  jsonSize,
  labels,
  nativePart,
  spanMetricsDelta,
  TEMPO_DEFAULT_BUCKETS,
} from './fixtures.ts';

const CODECS: CompressionName[] = ['none', 'deflate-raw', 'brotli'];

function roundTrip(content: DeltaContent): void {
  for (const compression of CODECS) {
    const bytes = encodeDelta(content, { compression });
    assert.ok(bytes instanceof Uint8Array && !Buffer.isBuffer(bytes), 'a plain Uint8Array');
    // deepStrictEqual compares numbers with Object.is: NaN, -0 and every bit of a double count
    assert.deepStrictEqual(decodeDelta(bytes), content, `round trip with ${compression}`);
    assert.deepStrictEqual(encodeDelta(decodeDelta(bytes), { compression }), bytes, `re-encode with ${compression}`);
  }
  assert.deepStrictEqual(decodeDelta(encodeDelta(content)), content, 'default options');
}

const L = labels({ service: 'api', span_name: 'GET /users', span_kind: 'SPAN_KIND_SERVER' });
const TRACE_A = '0af7651916cd43dd8448eb211c80319c';
const TRACE_B = 'b7ad6b7169203331b7ad6b7169203331';

function hist(
  parts: Omit<HistogramIncrement, 'type' | 'name' | 'labels'>,
  name = 'latency',
  lbls = L,
): HistogramIncrement {
  return { type: 'histogram', name, labels: lbls, ...parts };
}

describe('round trip', () => {
  test('empty delta and a tenant without series', () => {
    roundTrip(deltaOf({}));
    roundTrip(deltaOf({ 'tenant-a': [] }));
  });

  test('header fields, bad records and discarded spans', () => {
    roundTrip(
      deltaOf(
        { t: [{ type: 'counter', name: 'c', labels: [], value: 1 }] },
        {
          topic: 'tempo-ingest-μ',
          partition: 0,
          firstOffset: 2 ** 53 - 1,
          lastOffset: 2 ** 53 - 1,
          minTimestampMs: 0,
          maxTimestampMs: 1_761_000_000_123,
          records: 0,
          spans: 0,
          badRecords: { 'bad-tenant': 2, 'decode-error': 1, '10': 5, '9': 4, __proto__: 7 } as Record<string, number>,
          spansDiscarded: { 'outside_metrics_ingestion_slack|span-metrics': 12, 'invalid_utf8|span-metrics': 0.5 },
        },
      ),
    );
  });

  test('counters: integers, fractional (span multiplier), huge, -0, infinity', () => {
    const values = [
      0,
      -0,
      1,
      127,
      128,
      2 ** 31,
      2 ** 51 - 1,
      2 ** 51,
      2 ** 53,
      1e300,
      Number.MAX_VALUE,
      2.5,
      1 / 3,
      0.1,
      3.3333333333333335,
      5e-324,
      Infinity,
    ];
    roundTrip(deltaOf({ t: values.map((value, i) => ({ type: 'counter', name: `c${i}`, labels: L, value })) }));
  });

  test('gauges: set and setIfAbsent, negative and NaN values', () => {
    const incs: SeriesIncrement[] = [
      { type: 'gauge', name: 'traces_target_info', labels: L, value: 1, mode: 'setIfAbsent' },
      { type: 'gauge', name: 'g', labels: L, value: -42.125, mode: 'set' },
      { type: 'gauge', name: 'g2', labels: L, value: NaN, mode: 'set' },
      { type: 'gauge', name: 'g3', labels: L, value: -Infinity, mode: 'setIfAbsent' },
      { type: 'gauge', name: 'g4', labels: L, value: -(2 ** 51) + 1, mode: 'set' },
    ];
    roundTrip(deltaOf({ t: incs }));
  });

  test('classic histograms with and without exemplars, fractional counts, NaN and infinite sums', () => {
    const b = [0.005, 0.01, 0.1, 1];
    roundTrip(
      deltaOf({
        t: [
          hist({ classic: classicPart(b, [0, 0, 0, 0, 0], 0) }),
          hist(
            {
              classic: classicPart(b, [1, 0, 3, 0, 2], 12.345678901, {
                0: { traceId: TRACE_A, value: 0.004 },
                4: { traceId: TRACE_B, value: 7.5 },
              }),
            },
            'h2',
          ),
          hist({ classic: classicPart(b, [0.5, 0, 0, 0, 1.5], NaN) }, 'h3'),
          hist({ classic: classicPart(b, [0, -0, 0, 0, 1], Infinity, { 4: { traceId: '', value: -0 } }) }, 'h4'),
          hist({ classic: classicPart([], [3], -Infinity) }, 'h5'),
          hist({ classic: classicPart(TEMPO_DEFAULT_BUCKETS, new Array(15).fill(2 ** 40), 0.1 + 0.2) }, 'h6'),
        ],
      }),
    );
  });

  test('native histograms: negative and zero buckets, custom zero threshold, exemplar, every schema', () => {
    const incs: SeriesIncrement[] = [];
    for (let schema = -4; schema <= 8; schema++) {
      incs.push(
        hist(
          {
            native: nativePart(
              schema,
              [
                [5, 1],
                [-3, 2],
                [700, 4],
                [6, 0],
              ],
              [
                [0, 1],
                [-(2 ** 31), 2],
              ],
              {
                zeroCount: 3,
                sum: -1.5e-9,
                ...(schema % 2 === 0 ? { exemplar: { traceId: TRACE_A, value: 0.123456789 } } : {}),
                ...(schema === 0 ? { zeroThreshold: 0.001 } : {}),
                ...(schema === 1 ? { zeroThreshold: 0 } : {}),
              },
            ),
          },
          `n${schema + 4}`,
        ),
      );
    }
    incs.push(hist({ native: nativePart(3, []) }, 'empty'));
    roundTrip(deltaOf({ t: incs }));
  });

  test('both parts at once, classic and native exemplars sharing a trace', () => {
    roundTrip(
      deltaOf({
        t: [
          hist({
            classic: classicPart(TEMPO_DEFAULT_BUCKETS, [0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 20.01, {
              3: { traceId: TRACE_A, value: 0.01 },
              14: { traceId: TRACE_B, value: 20 },
            }),
            native: nativePart(
              3,
              [
                [-53, 2],
                [35, 1],
              ],
              [],
              { sum: 20.01, exemplar: { traceId: TRACE_B, value: 20 } },
            ),
          }),
        ],
      }),
    );
  });

  test('unicode, hex-looking, ill-formed and long strings', () => {
    const values = [
      'ünïcödé ✓',
      '日本語',
      '😀 emoji',
      '\u00a0',
      '\ufeffbom',
      'abcdef',
      'ABCDEF',
      'abc',
      '00',
      'x'.repeat(5000),
      'lone \ud800 surrogate',
      '\udc00',
      '',
    ];
    const incs: SeriesIncrement[] = values.map((value, i) => ({
      type: 'counter',
      name: `m${i}`,
      labels: labels({ label: value, [`ünï_${i}`]: 'v' }),
      value: i,
    }));
    roundTrip(deltaOf({ 'tenant-ü': incs, '': [{ type: 'counter', name: '', labels: [], value: 1 }] }));
  });

  test('many tenants', () => {
    const tenants: Record<string, SeriesIncrement[]> = {};
    for (let t = 0; t < 200; t++) {
      tenants[`tenant-${t}`] = [
        { type: 'counter', name: 'calls', labels: labels({ service: `s${t % 7}` }), value: t },
        {
          type: 'gauge',
          name: 'info',
          labels: labels({ service: `s${t % 7}`, job: 'x' }),
          value: 1,
          mode: 'setIfAbsent',
        },
      ];
    }
    roundTrip(deltaOf(tenants));
  });

  test('realistic span-metrics deltas in every histogram mode', () => {
    for (const mode of ['classic', 'native', 'both'] as const) {
      roundTrip(spanMetricsDelta({ series: 300, mode, tenants: 3, seed: 9 }));
    }
  });
});

describe('sharing and size', () => {
  test('label arrays are shared per label set, also when the input had equal copies', () => {
    const a = labels({ service: 'api', span_name: 'x' });
    const copy = labels({ service: 'api', span_name: 'x' });
    const other = labels({ service: 'web', span_name: 'x' });
    const decoded = decodeDelta(
      encodeDelta(
        deltaOf({
          t: [
            { type: 'counter', name: 'calls', labels: a, value: 1 },
            { type: 'counter', name: 'size', labels: a, value: 2 },
            { type: 'counter', name: 'errors', labels: copy, value: 3 },
            { type: 'counter', name: 'calls', labels: other, value: 4 },
          ],
        }),
      ),
    );
    const incs = decoded.tenants[0].increments;
    assert.equal(incs[0].labels, incs[1].labels);
    assert.equal(incs[0].labels, incs[2].labels);
    assert.notEqual(incs[0].labels, incs[3].labels);
    // Label objects themselves are shared too (span_name="x" appears in both sets)
    assert.equal(incs[0].labels[1], incs[3].labels[1]);
  });

  test('bounds arrays are shared between the series that use them', () => {
    const decoded = decodeDelta(encodeDelta(spanMetricsDelta({ series: 20 })));
    const bounds = decoded.tenants[0].increments.flatMap((i) => (i.type === 'histogram' ? [i.classic!.bounds] : []));
    assert.equal(bounds.length, 20);
    for (const b of bounds) assert.equal(b, bounds[0]);
  });

  test('1,000 span-metrics tuples encode far below naive JSON and within a per-series budget', () => {
    const content = spanMetricsDelta({ series: 1000 });
    const series = 3000;
    const json = jsonSize(content);
    const raw = encodeDelta(content, { compression: 'none' }).length;
    const packed = encodeDelta(content).length;
    assert.ok(raw * 12 < json, `uncompressed ${raw} bytes vs JSON ${json}`);
    // Measured 27 bytes per series uncompressed and 18 compressed, mostly random trace IDs.
    assert.ok(raw / series < 30, `uncompressed ${(raw / series).toFixed(1)} bytes per series`);
    assert.ok(packed / series < 20, `compressed ${(packed / series).toFixed(1)} bytes per series`);
  });

  test('the dictionary writes each distinct string once', () => {
    const long = 'a-rather-long-service-name-that-would-dominate-the-size-if-repeated'.repeat(4);
    const incs: SeriesIncrement[] = [];
    for (let i = 0; i < 500; i++) {
      incs.push({
        type: 'counter',
        name: 'calls',
        labels: labels({ service: long, span_name: `op${i % 5}`, n: String(i) }),
        value: 1,
      });
    }
    const size = encodeDelta(deltaOf({ t: incs }), { compression: 'none' }).length;
    assert.ok(size < long.length + 500 * 12, `${size} bytes`);
  });

  test('compression is skipped when it does not shrink the payload', () => {
    const tiny = encodeDelta(deltaOf({}), { compression: 'brotli' });
    assert.equal(tiny[1], COMPRESSION_NONE);
    const big = encodeDelta(spanMetricsDelta({ series: 50 }), { compression: 'deflate-raw' });
    assert.equal(big[1], COMPRESSION_DEFLATE_RAW);
    assert.equal(encodeDelta(spanMetricsDelta({ series: 50 }))[1], COMPRESSION_BROTLI);
  });
});

describe('service-graph halves (format 2)', () => {
  const half = (over: Partial<EdgeHalf> = {}): EdgeHalf => ({
    key: Uint8Array.from([...Array(16).keys(), 0xa0, 1, 2, 3, 4, 5, 6, 0xff]),
    traceIdLength: 16,
    side: 0,
    arrivalMs: 1_700_000_000_123,
    connectionType: 1,
    spanKind: 4,
    failed: true,
    clientService: 'checkout',
    serverService: '',
    clientLatencySec: 0.0125,
    serverLatencySec: 0,
    clientEndHi: 395_812_345,
    clientEndLo: 4_294_967_295,
    serverStartHi: 0,
    serverStartLo: 0,
    dimensions: ['eu-west-1', '', 'prod'],
    peerNode: 'kafka:9092',
    multiplier: 2.5,
    ...over,
  });

  test('halves and dropped sides round-trip exactly, beside the series', () => {
    const base = spanMetricsDelta({ series: 3 });
    const content: DeltaContent = {
      ...base,
      tenants: [
        {
          ...base.tenants[0],
          edgeHalves: [
            half(),
            half({ side: 1, clientService: '', serverService: 'payments', failed: false, dimensions: [] }),
          ],
          droppedSides: [{ key: new Uint8Array(24).fill(7), traceIdLength: 16, side: 1, arrivalMs: 5 }],
        },
        {
          tenant: 'halves-only',
          increments: [],
          edgeHalves: [half({ key: new Uint8Array(16).fill(9) })],
          droppedSides: [],
        },
      ],
    };
    for (const compression of ['none', 'brotli'] as const) {
      const back = decodeDelta(encodeDelta(content, { compression }));
      assert.deepStrictEqual(back.tenants[0], content.tenants[0]);
      assert.deepStrictEqual(back.tenants[1].edgeHalves, content.tenants[1].edgeHalves);
    }
  });

  /** A one-tenant delta's body as an older version wrote it: without the newer tenant sections. */
  function olderBody(content: DeltaContent, version: 1 | 2): Uint8Array {
    const w = new ByteWriter(16);
    encodePayload(content, w);
    const v3body = w.bytes();
    // version 3 added the tenant's received counts: two zero numbers and an empty record
    const tail = new ByteWriter(8);
    tail.number(0);
    tail.number(0);
    tail.varint(0);
    const v3tail = tail.bytes();
    assert.deepEqual([...v3body.subarray(v3body.length - v3tail.length)], [...v3tail]);
    const v2body = v3body.slice(0, v3body.length - v3tail.length);
    if (version === 2) return v2body;
    // version 1 had no halves sections: drop the two zero counts after the tenant's series
    assert.deepEqual([...v2body.subarray(v2body.length - 2)], [0, 0]);
    return v2body.slice(0, v2body.length - 2);
  }

  function framedAs(version: number, body: Uint8Array): Uint8Array {
    const framed = new Uint8Array(body.length + 6);
    framed[0] = version;
    framed.set(body, 2);
    new DataView(framed.buffer).setUint32(body.length + 2, crc32(body), true);
    return framed;
  }

  test('a version-1 delta (written before halves existed) still decodes, without halves', () => {
    const content = spanMetricsDelta({ series: 4 });
    assert.deepStrictEqual(decodeDelta(framedAs(1, olderBody(content, 1))).tenants, content.tenants);
  });

  test('a version-2 delta (written before per-tenant received counts) still decodes, without them', () => {
    const content = spanMetricsDelta({ series: 4 });
    assert.deepStrictEqual(decodeDelta(framedAs(2, olderBody(content, 2))).tenants, content.tenants);
  });

  test("a tenant's received and discarded counts round-trip", () => {
    const base = spanMetricsDelta({ series: 3 });
    const received = {
      spans: 41,
      bytes: 9000,
      spansDiscarded: { 'outside_metrics_ingestion_slack|all': 2, 'span_metrics_filtered|span-metrics': 5 },
    };
    const content: DeltaContent = { ...base, tenants: [{ ...base.tenants[0], received }] };
    assert.deepStrictEqual(decodeDelta(encodeDelta(content)).tenants[0].received, received);
  });
});

describe('errors', () => {
  test('unknown version names it; unknown compression id; too short', () => {
    const bytes = encodeDelta(spanMetricsDelta({ series: 5 }));
    const v4 = bytes.slice();
    v4[0] = 4;
    assert.throws(
      () => decodeDelta(v4),
      (e: unknown) => e instanceof DeltaFormatError && /version 4/.test(e.message),
    );
    const c9 = bytes.slice();
    c9[1] = 9;
    assert.throws(
      () => decodeDelta(c9),
      (e: unknown) => e instanceof DeltaFormatError && /compression id 9/.test(e.message),
    );
    assert.throws(() => decodeDelta(new Uint8Array(0)), DeltaFormatError);
    assert.throws(() => decodeDelta(new Uint8Array([1])), DeltaFormatError);
    assert.throws(() => decodeDelta(new Uint8Array([1, 0])), DeltaFormatError);
  });

  test('the encoder refuses increments the registry would reject, naming the series', () => {
    const bad: [SeriesIncrement, RegExp][] = [
      [{ type: 'counter', name: 'c', labels: L, value: -1 }, /counter c\{.*service="api".*\}: increment must be >= 0/],
      [{ type: 'counter', name: 'c', labels: L, value: NaN }, /counter c\{/],
      [hist({}), /neither a classic nor a native part/],
      [hist({ classic: { ...classicPart([1, 2], [1, 1, 1], 1), count: NaN } }), /latency\{.*classic count NaN/],
      [hist({ classic: classicPart([1, 2], [1, 1], 1) }), /2 classic bucket counts for 2 bounds/],
      [hist({ classic: classicPart([2, 1], [1, 1, 1], 1) }), /not strictly increasing/],
      [hist({ classic: classicPart([1, 2], [1, -1, 1], 1) }), /classic bucket 1 count -1/],
      [hist({ native: nativePart(9, []) }), /native schema 9/],
      [hist({ native: nativePart(0, [[1.5, 1]]) }), /native positive bucket index 1.5/],
      [hist({ native: nativePart(0, [], [[1, NaN]], { count: 1 }) }), /native negative bucket 1 count NaN/],
      [hist({ native: nativePart(0, [], [], { zeroCount: -1 }) }), /native zero count -1/],
    ];
    for (const [inc, message] of bad) {
      assert.throws(
        () => encodeDelta(deltaOf({ t: [inc] })),
        (e: unknown) => e instanceof RangeError && message.test(e.message),
        message.source,
      );
    }
  });
});

describe('decoding accepts every compression id', () => {
  test('none, deflate-raw at each level, brotli at each quality', () => {
    const content = spanMetricsDelta({ series: 40, mode: 'both' });
    const seen = new Set<number>();
    for (const [compression, levels] of [
      ['none', [0]],
      ['deflate-raw', [1, 6, 9]],
      ['brotli', [4, 5, 6, 11]],
    ] as const) {
      for (const level of levels) {
        const bytes = encodeDelta(content, { compression, level });
        seen.add(bytes[1]);
        assert.deepStrictEqual(decodeDelta(bytes), content);
      }
    }
    assert.deepStrictEqual([...seen].sort(), [COMPRESSION_NONE, COMPRESSION_DEFLATE_RAW, COMPRESSION_BROTLI]);
  });
});
