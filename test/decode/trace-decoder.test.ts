import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TraceDecoder } from '../../lib/decode/trace-decoder.ts';
import { StringInterner } from '../../lib/decode/utf8.ts';
import { Span, TracesData } from '../../lib/proto/index.ts';
import { buildResourceSpans, encodeTracesData, int, BASE_NS } from '../../testing/build.ts';
import { randomTrace, seededRng } from '../../testing/random-trace.ts';

const strings = new StringInterner();

test('span fields are read in place', () => {
  const bytes = encodeTracesData(
    buildResourceSpans({
      resource: { 'service.name': 'checkout', 'service.namespace': 'shop', 'service.instance.id': 'pod-1' },
      spans: [
        {
          name: 'GET /cart',
          kind: 2,
          traceId: 'aabbccddeeff00112233445566778899',
          parentSpanId: '0102030405060708',
          traceState: 'ot=th:8',
          startNs: BASE_NS + 123n,
          endNs: BASE_NS + 123n + 1_500_000_001n,
          status: { code: 2, message: 'boom' },
          attributes: { 'http.method': 'GET', n: int(-7), ok: true, d: 0.5, list: ['x', int(2)], kv: { a: 'b' } },
          events: [{ name: 'e' }],
        },
      ],
    }),
  );
  const trace = new TraceDecoder().decode(bytes);
  assert.equal(trace.resourceCount, 1);
  assert.equal(trace.spanCount, 1);
  const res = trace.resources[0];
  assert.equal(res.serviceName, 'checkout');
  assert.equal(res.serviceNamespace, 'shop');
  assert.equal(res.serviceInstanceId, 'pod-1');
  const s = trace.spans[0];
  assert.equal(s.name(strings), 'GET /cart');
  assert.equal(s.kind, 2);
  assert.equal(s.traceIdHex(), 'aabbccddeeff00112233445566778899');
  assert.equal(s.traceState(strings), 'ot=th:8');
  assert.equal(s.statusCode, 2);
  assert.equal(s.statusMessage(strings), 'boom');
  assert.equal(s.durationSeconds(), 1.500000001);
  const attrs = s.attributes;
  const value = (k: string) => attrs.stringValue(attrs.indexOf(new TextEncoder().encode(k)), strings);
  assert.deepEqual(['http.method', 'n', 'ok', 'd', 'list', 'kv'].map(value), [
    'GET',
    '-7',
    'true',
    '0.5',
    '[x2]',
    '{a:b}',
  ]);
  assert.equal(attrs.indexOf(new TextEncoder().encode('absent')), -1);
});

test('span size is the encoded Span message length (Tempo Span.Size())', () => {
  const rng = seededRng(7);
  const rs = randomTrace(rng, { spans: 30, attrsPerSpan: 8, services: 3 });
  const bytes = encodeTracesData(...rs);
  const trace = new TraceDecoder().decode(bytes);
  const expected = TracesData.decode(bytes).resourceSpans.flatMap((r) =>
    (r.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((sp) => Span.encode(sp).finish().length)),
  );
  const actual: number[] = [];
  for (let r = 0; r < trace.resourceCount; r++) {
    const res = trace.resources[r];
    for (let i = res.firstSpan; i < res.firstSpan + res.spanCount; i++) actual.push(trace.spans[i].size);
  }
  assert.deepEqual(actual, expected);
});

test('spans of every resource and scope are indexed in order', () => {
  const bytes = encodeTracesData(
    buildResourceSpans({
      resource: { 'service.name': 'a' },
      scopeSpans: [{ spans: [{ name: '1' }] }, { spans: [{ name: '2' }, { name: '3' }] }],
    }),
    buildResourceSpans({ resource: {}, spans: [{ name: '4' }] }),
  );
  const trace = new TraceDecoder().decode(bytes);
  assert.equal(trace.resourceCount, 2);
  assert.deepEqual(
    [0, 1, 2, 3].map((i) => trace.spans[i].name(strings)),
    ['1', '2', '3', '4'],
  );
  assert.equal(trace.resources[0].spanCount, 3);
  assert.equal(trace.resources[1].firstSpan, 3);
  assert.equal(trace.resources[1].hasServiceName, false);
  assert.equal(trace.resources[1].serviceName, '');
});

test('a wrong wire type on a known field is an error, not a misread', () => {
  // Span with field 6 (kind) encoded as a length-delimited field
  const span = Uint8Array.from([0x32, 0x01, 0x41]);
  const scope = Uint8Array.from([0x12, span.length, ...span]);
  const rs = Uint8Array.from([0x12, scope.length, ...scope]);
  const td = Uint8Array.from([0x0a, rs.length, ...rs]);
  assert.throws(() => new TraceDecoder().decode(td), /span.kind: wire type 2/);
});
