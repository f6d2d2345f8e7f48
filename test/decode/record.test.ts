import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRecordError, decodeRecordValue, recordTenant } from '../../lib/decode/record.ts';
import { TraceDecoder, type DecodedTrace } from '../../lib/decode/trace-decoder.ts';
import { StringInterner } from '../../lib/decode/utf8.ts';
import { spanKindName } from '../../lib/decode/span-view.ts';
import { buildResourceSpans, encodePushBytesRequest, encodeTempoTrace, encodeTracesData } from '../../testing/build.ts';
import { randomTrace, seededRng } from '../../testing/random-trace.ts';

const strings = new StringInterner();

/** A comparable summary of every span the decoder yields. */
function summarize(trace: DecodedTrace): string[] {
  const out: string[] = [];
  for (let r = 0; r < trace.resourceCount; r++) {
    const res = trace.resources[r];
    for (let i = res.firstSpan; i < res.firstSpan + res.spanCount; i++) {
      const s = trace.spans[i];
      const attrs: string[] = [];
      for (let a = 0; a < s.attributes.count; a++)
        attrs.push(`${s.attributes.key(a, strings)}=${s.attributes.stringValue(a, strings)}`);
      out.push(
        [
          res.serviceName,
          s.name(strings),
          spanKindName(s.kind),
          s.statusCode,
          s.traceIdHex(),
          s.durationSeconds(),
          s.size,
          attrs.join(','),
        ].join('|'),
      );
    }
  }
  return out;
}

function collect(codec: 'push-bytes' | 'otlp', value: Uint8Array): { spans: string[]; skips: boolean[] } {
  const spans: string[] = [];
  const skips: boolean[] = [];
  decodeRecordValue(
    codec,
    value,
    new TraceDecoder(),
    (t, skip) => {
      spans.push(...summarize(t));
      skips.push(skip);
    },
    1 << 24,
  );
  return { spans, skips };
}

describe('record formats', () => {
  test('a Tempo PushBytesRequest decodes to the same spans as the OTLP record of the same traces', () => {
    const rng = seededRng(42);
    const traces = [0, 1, 2].map(() => randomTrace(rng, { spans: 12, attrsPerSpan: 6, services: 3 }));
    const tempo = collect('push-bytes', encodePushBytesRequest(traces.map((rs) => encodeTempoTrace(...rs))));
    const otlp = traces.flatMap((rs) => collect('otlp', encodeTracesData(...rs)).spans);
    assert.equal(tempo.spans.length, 36);
    assert.deepEqual(tempo.spans, otlp);
    assert.deepEqual(tempo.skips, [false, false, false]);
  });

  test('skipMetricsGeneration is honoured wherever it sits in the message', () => {
    const trace = encodeTempoTrace(buildResourceSpans({ spans: [{}] }));
    const record = encodePushBytesRequest([trace, trace], { skipMetricsGeneration: true });
    // protobufjs writes field 5 last: the flag arrives after the traces
    assert.equal(record[record.length - 2], 0x28);
    assert.deepEqual(collect('push-bytes', record).skips, [true, true]);
  });

  test('one malformed trace inside a push-bytes record is skipped, the others kept', () => {
    const good = encodeTempoTrace(buildResourceSpans({ spans: [{ name: 'ok' }] }));
    const bad = Uint8Array.from([0x0a, 0x05, 0x12, 0x10, 0x00]); // inner length runs past its message
    const outcome = decodeRecordValue(
      'push-bytes',
      encodePushBytesRequest([good, bad, good], { ids: [new Uint8Array(16), new Uint8Array(16), new Uint8Array(16)] }),
      new TraceDecoder(),
      () => {},
      1 << 24,
    );
    assert.equal(outcome.traces, 2);
    assert.equal(outcome.malformedTraces, 1);
    assert.match(outcome.firstError!, /trace 1/);
  });
});

describe('bad records', () => {
  const reasonOf = (codec: 'push-bytes' | 'otlp', value: Uint8Array, max = 1 << 24) => {
    try {
      decodeRecordValue(codec, value, new TraceDecoder(), () => {}, max);
    } catch (e) {
      assert.ok(e instanceof BadRecordError, String(e));
      return e.reason;
    }
    return 'ok';
  };

  test('empty, oversize, truncated and wrong-wire-type values get a reason', () => {
    const good = encodePushBytesRequest([encodeTempoTrace(buildResourceSpans({ spans: [{}] }))]);
    assert.equal(reasonOf('push-bytes', new Uint8Array(0)), 'empty_value');
    assert.equal(reasonOf('push-bytes', good, 10), 'oversize_record');
    assert.equal(reasonOf('push-bytes', good.subarray(0, good.length - 3)), 'malformed_protobuf');
    assert.equal(reasonOf('push-bytes', Uint8Array.from([0x15, 1, 2, 3, 4])), 'malformed_protobuf'); // traces as fixed32
    assert.equal(reasonOf('otlp', Uint8Array.from([0x0b])), 'malformed_protobuf'); // group start
    const td = encodeTracesData(buildResourceSpans({ spans: [{}] }));
    assert.equal(reasonOf('otlp', td.subarray(0, td.length - 1)), 'malformed_protobuf');
  });

  test('tenant: key for push-bytes, header or default for otlp, validated', () => {
    const base = { topic: 't', partition: 0, offset: 1, timestampMs: 0 };
    const enc = new TextEncoder();
    const pb = { codec: 'push-bytes' as const, tenantHeader: 'X-Scope-OrgID', defaultTenant: '' };
    assert.equal(recordTenant({ ...base, key: enc.encode('team-a') }, pb), 'team-a');
    assert.throws(
      () => recordTenant({ ...base, key: null }, pb),
      (e: BadRecordError) => e.reason === 'missing_tenant',
    );
    assert.throws(
      () => recordTenant({ ...base, key: enc.encode('a/b') }, pb),
      (e: BadRecordError) => e.reason === 'invalid_tenant',
    );
    assert.throws(
      () => recordTenant({ ...base, key: Uint8Array.from([0xff]) }, pb),
      (e: BadRecordError) => e.reason === 'invalid_tenant',
    );
    const otlp = { codec: 'otlp' as const, tenantHeader: 'X-Scope-OrgID', defaultTenant: '' };
    const headers = [{ key: 'x-scope-orgid', value: enc.encode('team-b') }];
    assert.equal(recordTenant({ ...base, headers }, otlp), 'team-b');
    assert.throws(() => recordTenant({ ...base }, otlp), /no X-Scope-OrgID header/);
    assert.equal(recordTenant({ ...base }, { ...otlp, defaultTenant: 'fallback' }), 'fallback');
  });
});
