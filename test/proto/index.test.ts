import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BucketSpan,
  ExportTraceServiceRequest,
  Histogram,
  PushBytesRequest,
  Span,
  SpanKind,
  Status,
  StatusCode,
  Trace,
  TracesData,
  WriteRequest,
  fromLong,
  toLong,
} from '../../lib/proto/index.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('toLong / fromLong', () => {
  for (const [value, unsigned] of [
    [0n, true],
    [1700000000123456789n, true],
    [(1n << 64n) - 1n, true],
    [-1n, false],
    [-(1n << 63n), false],
    [(1n << 63n) - 1n, false],
    [(1n << 32n) + 5n, false],
  ] as const) {
    test(`${value} (${unsigned ? 'unsigned' : 'signed'}) round-trips`, () => {
      assert.equal(fromLong(toLong(value, unsigned), unsigned), value);
    });
  }

  test('a Long survives encode/decode through a fixed64 field exactly', () => {
    const bytes = Span.encode({ startTimeUnixNano: toLong(1700000000123456789n, true) }).finish();
    assert.equal(fromLong(Span.decode(bytes).startTimeUnixNano, true), 1700000000123456789n);
  });
});

describe('wire layout matches the field numbers of Tempo and OTLP', () => {
  test('PushBytesRequest: traces = 2, ids = 3 (bytes), skipMetricsGeneration = 5 (varint)', () => {
    const bytes = PushBytesRequest.encode({
      traces: [new Uint8Array([0xaa])],
      ids: [new Uint8Array([0xbb])],
      skipMetricsGeneration: true,
    }).finish();
    assert.equal(hex(bytes), '1201aa' + '1a01bb' + '2801');
  });

  test('Trace, TracesData and ExportTraceServiceRequest all put ResourceSpans in field 1', () => {
    const rs = { schemaUrl: 'x' };
    const expected = '0a03' + '1a0178'; // field 1 LEN 3 { field 3 "x" }
    assert.equal(hex(Trace.encode({ resourceSpans: [rs] }).finish()), expected);
    assert.equal(hex(TracesData.encode({ resourceSpans: [rs] }).finish()), expected);
    assert.equal(hex(ExportTraceServiceRequest.encode({ resourceSpans: [rs] }).finish()), expected);
  });

  test('Span: kind = 6 varint, times = 7/8 fixed64, status = 15, flags = 16 fixed32', () => {
    const bytes = Span.encode({
      kind: SpanKind.SPAN_KIND_SERVER,
      startTimeUnixNano: toLong(1n, true),
      endTimeUnixNano: toLong(2n, true),
      status: { code: StatusCode.STATUS_CODE_ERROR, message: 'm' },
      flags: 0x301,
    }).finish();
    assert.equal(
      hex(bytes),
      '3002' + '390100000000000000' + '410200000000000000' + '7a05' + '12016d' + '1802' + '8501' + '01030000',
    );
  });

  test('Status: message = 2, code = 3 (field 1 stays unused)', () => {
    assert.equal(hex(Status.encode({ message: 'ok', code: StatusCode.STATUS_CODE_OK }).finish()), '12026f6b' + '1801');
  });

  test('defaults are not written (canonical proto3, as Go marshals them)', () => {
    assert.equal(
      Span.encode({ name: '', kind: 0, traceState: '', flags: 0, startTimeUnixNano: toLong(0n, true) }).finish().length,
      0,
    );
    assert.equal(PushBytesRequest.encode({ traces: [], skipMetricsGeneration: false }).finish().length, 0);
  });

  test('WriteRequest: timeseries = 1 {labels = 1, samples = 2 {value double = 1, timestamp = 2}}', () => {
    const bytes = WriteRequest.encode({
      timeseries: [{ labels: [{ name: 'a', value: 'b' }], samples: [{ value: 1, timestamp: 5 }] }],
    }).finish();
    assert.equal(hex(bytes), '0a15' + '0a06' + '0a0161' + '120162' + '120b' + '09000000000000f03f' + '1005');
  });

  test('WriteRequest: metadata = 3', () => {
    const bytes = WriteRequest.encode({ metadata: [{ type: 1, metricFamilyName: 'm' }] }).finish();
    assert.equal(hex(bytes), '1a05' + '0801' + '12016d');
  });

  test('Histogram: zigzag schema and deltas, BucketSpan offset sint32 / length uint32', () => {
    const bytes = Histogram.encode({
      countInt: 3,
      schema: -1,
      zeroCountInt: 1,
      positiveSpans: [{ offset: -2, length: 2 }],
      positiveDeltas: [1, -1],
      timestamp: 7,
    }).finish();
    assert.equal(hex(bytes), '0803' + '2001' + '3001' + '5a04' + '0803' + '1002' + '62020201' + '7807');
    assert.equal(hex(BucketSpan.encode({ offset: 1, length: 1 }).finish()), '0802' + '1001');
  });

  test('Histogram float counts use fields 2 and 7, custom_values = 16 packed doubles', () => {
    const bytes = Histogram.encode({ countFloat: 1, zeroCountFloat: 1, customValues: [1] }).finish();
    assert.equal(hex(bytes), '11000000000000f03f' + '39000000000000f03f' + '820108000000000000f03f');
  });
});
