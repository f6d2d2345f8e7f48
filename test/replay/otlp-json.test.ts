import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OtlpJsonError, parseOtlpJsonTraces } from '../../lib/replay/otlp-json.ts';
import { SpanKind, StatusCode, TracesData, fromLong } from '../../lib/proto/index.ts';
import { buildResourceSpans, encodeTracesData, int } from '../../testing/build.ts';

const TRACE_HEX = '0102030405060708090a0b0c0d0e0f10';
const TRACE_B64 = 'AQIDBAUGBwgJCgsMDQ4PEA==';
const SPAN_HEX = 'a1a2a3a4a5a6a7a8';
const SPAN_B64 = 'oaKjpKWmp6g=';
const PARENT_HEX = 'b1b2b3b4b5b6b7b8';
const PARENT_B64 = 'sbKztLW2t7g=';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function one(text: string): Uint8Array {
  const out = parseOtlpJsonTraces(text);
  assert.equal(out.length, 1);
  return out[0];
}

function decoded(text: string) {
  return TracesData.decode(one(text));
}

/** A TracesData with one span; `spanFields` are merged into the span object. */
function doc(spanFields: Record<string, unknown>, resource: Record<string, unknown> = {}): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource,
        scopeSpans: [{ scope: { name: 's' }, spans: [{ traceId: TRACE_HEX, spanId: SPAN_HEX, ...spanFields }] }],
      },
    ],
  });
}

function throwsMessage(text: string, message: string): void {
  assert.throws(
    () => parseOtlpJsonTraces(text),
    (e: unknown) => {
      assert.ok(e instanceof OtlpJsonError, String(e));
      assert.equal(e.message, message);
      return true;
    },
  );
}

const FULL = {
  resourceSpans: [
    {
      resource: {
        attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }],
        droppedAttributesCount: 1,
      },
      schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
      scopeSpans: [
        {
          scope: {
            name: 'lib',
            version: '1.2',
            attributes: [{ key: 'a', value: { boolValue: true } }],
            droppedAttributesCount: 2,
          },
          schemaUrl: 'scope-schema',
          spans: [
            {
              traceId: TRACE_HEX,
              spanId: SPAN_HEX,
              parentSpanId: PARENT_HEX,
              traceState: 'k=v',
              flags: 257,
              name: 'GET /cart',
              kind: 2,
              startTimeUnixNano: '1700000000123456789',
              endTimeUnixNano: '1700000001123456789',
              attributes: [
                { key: 's', value: { stringValue: 'x' } },
                { key: 'b', value: { boolValue: false } },
                { key: 'i', value: { intValue: '-9223372036854775808' } },
                { key: 'n', value: { intValue: 42 } },
                { key: 'd', value: { doubleValue: 0.5 } },
                { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'p' }, { intValue: '1' }] } } },
                { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { doubleValue: 2 } }] } } },
                { key: 'raw', value: { bytesValue: 'AAEC' } },
                { key: 'empty', value: {} },
              ],
              droppedAttributesCount: 3,
              events: [
                {
                  timeUnixNano: '1700000000500000000',
                  name: 'ev',
                  attributes: [{ key: 'e', value: { stringValue: 'v' } }],
                  droppedAttributesCount: 4,
                },
              ],
              droppedEventsCount: 5,
              links: [
                {
                  traceId: TRACE_HEX,
                  spanId: PARENT_HEX,
                  traceState: 'l=1',
                  attributes: [],
                  droppedAttributesCount: 6,
                  flags: 1,
                },
              ],
              droppedLinksCount: 7,
              status: { code: 2, message: 'boom' },
            },
          ],
        },
      ],
    },
  ],
};

describe('parseOtlpJsonTraces: OTLP/JSON mapping', () => {
  test('every field round-trips through protobuf', () => {
    const obj = TracesData.toObject(decoded(JSON.stringify(FULL)), { longs: String, bytes: String, enums: String });
    assert.deepEqual(obj, {
      resourceSpans: [
        {
          resource: {
            attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }],
            droppedAttributesCount: 1,
          },
          schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
          scopeSpans: [
            {
              scope: {
                name: 'lib',
                version: '1.2',
                attributes: [{ key: 'a', value: { boolValue: true } }],
                droppedAttributesCount: 2,
              },
              schemaUrl: 'scope-schema',
              spans: [
                {
                  traceId: TRACE_B64,
                  spanId: SPAN_B64,
                  parentSpanId: PARENT_B64,
                  traceState: 'k=v',
                  flags: 257,
                  name: 'GET /cart',
                  kind: 'SPAN_KIND_SERVER',
                  startTimeUnixNano: '1700000000123456789',
                  endTimeUnixNano: '1700000001123456789',
                  attributes: [
                    { key: 's', value: { stringValue: 'x' } },
                    { key: 'b', value: { boolValue: false } },
                    { key: 'i', value: { intValue: '-9223372036854775808' } },
                    { key: 'n', value: { intValue: '42' } },
                    { key: 'd', value: { doubleValue: 0.5 } },
                    { key: 'arr', value: { arrayValue: { values: [{ stringValue: 'p' }, { intValue: '1' }] } } },
                    { key: 'kv', value: { kvlistValue: { values: [{ key: 'inner', value: { doubleValue: 2 } }] } } },
                    { key: 'raw', value: { bytesValue: 'AAEC' } },
                    { key: 'empty', value: {} },
                  ],
                  droppedAttributesCount: 3,
                  events: [
                    {
                      timeUnixNano: '1700000000500000000',
                      name: 'ev',
                      attributes: [{ key: 'e', value: { stringValue: 'v' } }],
                      droppedAttributesCount: 4,
                    },
                  ],
                  droppedEventsCount: 5,
                  links: [
                    { traceId: TRACE_B64, spanId: PARENT_B64, traceState: 'l=1', droppedAttributesCount: 6, flags: 1 },
                  ],
                  droppedLinksCount: 7,
                  status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                },
              ],
            },
          ],
        },
      ],
    });
  });

  test('same bytes as the fixture builder for the same span', () => {
    const json = doc(
      {
        name: 'test',
        kind: 'SPAN_KIND_CLIENT',
        startTimeUnixNano: '1700000000000000000',
        endTimeUnixNano: '1700000001000000000',
        attributes: [{ key: 'n', value: { intValue: '5' } }],
        status: { code: 'STATUS_CODE_OK', message: 'OK' },
      },
      { attributes: [{ key: 'service.name', value: { stringValue: 'test-service' } }] },
    );
    const built = encodeTracesData(
      buildResourceSpans({ scope: { name: 's' }, spans: [{ spanId: SPAN_HEX, attributes: { n: int(5) } }] }),
    );
    assert.equal(hex(one(json)), hex(built));
  });

  test('hex and base64 ids give the same bytes', () => {
    const a = one(doc({ parentSpanId: PARENT_HEX, links: [{ traceId: TRACE_HEX, spanId: SPAN_HEX }] }));
    const b = JSON.stringify({
      resourceSpans: [
        {
          resource: {},
          scopeSpans: [
            {
              scope: { name: 's' },
              spans: [
                {
                  traceId: TRACE_B64,
                  spanId: SPAN_B64,
                  parentSpanId: PARENT_B64,
                  links: [{ traceId: TRACE_B64, spanId: SPAN_B64 }],
                },
              ],
            },
          ],
        },
      ],
    });
    assert.equal(hex(one(b)), hex(a));
    const span = TracesData.decode(a).resourceSpans[0].scopeSpans![0].spans![0];
    assert.equal(hex(span.traceId!), TRACE_HEX);
    assert.equal(hex(span.spanId!), SPAN_HEX);
    assert.equal(hex(span.parentSpanId!), PARENT_HEX);
  });

  test('enum names and numbers give the same bytes', () => {
    for (const [name, kind] of Object.entries(SpanKind)) {
      assert.equal(hex(one(doc({ kind: name }))), hex(one(doc({ kind }))), name);
    }
    for (const [name, code] of Object.entries(StatusCode)) {
      assert.equal(hex(one(doc({ status: { code: name } }))), hex(one(doc({ status: { code } }))), name);
    }
    const span = decoded(doc({ kind: 'SPAN_KIND_CONSUMER', status: { code: 'STATUS_CODE_ERROR' } })).resourceSpans[0]
      .scopeSpans![0].spans![0];
    assert.equal(span.kind, SpanKind.SPAN_KIND_CONSUMER);
    assert.equal(span.status!.code, StatusCode.STATUS_CODE_ERROR);
  });

  test('nanosecond timestamps stay exact as strings and as bare JSON numbers', () => {
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"1700000000123456789","endTimeUnixNano":1700000000123456791}]}]}]}`;
    const span = decoded(text).resourceSpans[0].scopeSpans![0].spans![0];
    assert.equal(fromLong(span.startTimeUnixNano, true), 1700000000123456789n);
    assert.equal(fromLong(span.endTimeUnixNano, true), 1700000000123456791n);
  });

  test('intValue beyond 2^53 as a bare number stays exact', () => {
    const text = `{"resourceSpans":[{"resource":{"attributes":[{"key":"k","value":{"intValue":9007199254740993}}]}}]}`;
    const value = decoded(text).resourceSpans[0].resource!.attributes![0].value!;
    assert.equal(fromLong(value.intValue!, false), 9007199254740993n);
  });

  test('proto snake_case names read the same as lowerCamelCase', () => {
    const snake = JSON.stringify({
      resource_spans: [
        {
          resource: { attributes: [{ key: 'k', value: { string_value: 'v' } }], dropped_attributes_count: 1 },
          scope_spans: [
            {
              scope: { name: 's' },
              spans: [
                {
                  trace_id: TRACE_HEX,
                  span_id: SPAN_HEX,
                  parent_span_id: PARENT_HEX,
                  trace_state: 't',
                  start_time_unix_nano: '1',
                  end_time_unix_nano: '2',
                  dropped_events_count: 1,
                  attributes: [
                    { key: 'a', value: { kvlist_value: { values: [{ key: 'b', value: { int_value: '3' } }] } } },
                  ],
                },
              ],
              schema_url: 'u',
            },
          ],
        },
      ],
    });
    const camel = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'k', value: { stringValue: 'v' } }], droppedAttributesCount: 1 },
          scopeSpans: [
            {
              scope: { name: 's' },
              spans: [
                {
                  traceId: TRACE_HEX,
                  spanId: SPAN_HEX,
                  parentSpanId: PARENT_HEX,
                  traceState: 't',
                  startTimeUnixNano: '1',
                  endTimeUnixNano: '2',
                  droppedEventsCount: 1,
                  attributes: [
                    { key: 'a', value: { kvlistValue: { values: [{ key: 'b', value: { intValue: '3' } }] } } },
                  ],
                },
              ],
              schemaUrl: 'u',
            },
          ],
        },
      ],
    });
    assert.equal(hex(one(snake)), hex(one(camel)));
  });

  test("Tempo's legacy names: batches, instrumentationLibrarySpans, instrumentationLibrary", () => {
    const legacy = JSON.stringify({
      batches: [
        {
          resource: {},
          instrumentationLibrarySpans: [
            { instrumentationLibrary: { name: 's' }, spans: [{ traceId: TRACE_B64, spanId: SPAN_B64 }] },
          ],
        },
      ],
    });
    assert.equal(hex(one(legacy)), hex(one(doc({}))));
  });

  test("Tempo's trace-by-id v2 wrapper {trace: {...}} is unwrapped", () => {
    assert.equal(hex(one(JSON.stringify({ trace: JSON.parse(doc({})) }))), hex(one(doc({}))));
  });

  test('explicit default values encode like absent ones (canonical bytes, so span sizes match Tempo)', () => {
    const explicit = doc({
      traceState: '',
      parentSpanId: '',
      flags: 0,
      name: '',
      kind: 'SPAN_KIND_UNSPECIFIED',
      startTimeUnixNano: '0',
      endTimeUnixNano: 0,
      attributes: [],
      droppedAttributesCount: 0,
      events: [],
      links: [],
    });
    assert.equal(hex(one(explicit)), hex(one(doc({}))));
  });

  test('an empty string attribute value is still written (it is a oneof member)', () => {
    const v = decoded(doc({ attributes: [{ key: 'k', value: { stringValue: '' } }] })).resourceSpans[0].scopeSpans![0]
      .spans![0].attributes![0].value!;
    assert.equal(v.value, 'stringValue');
  });

  test('unknown keys and null values are ignored', () => {
    assert.equal(hex(one(doc({ foo: 1, bar: { baz: [] }, traceState: null }, { extra: true }))), hex(one(doc({}))));
  });

  test('an empty object is an empty TracesData', () => {
    assert.equal(one('{}').length, 0);
  });
});

describe('parseOtlpJsonTraces: documents', () => {
  test('JSON lines: one message per non-blank line, in order', () => {
    const lines = [doc({ name: 'a' }), '', '   ', doc({ name: 'b' }), doc({ name: 'c' }), ''].join('\r\n');
    const names = parseOtlpJsonTraces(lines).map(
      (b) => TracesData.decode(b).resourceSpans[0].scopeSpans![0].spans![0].name,
    );
    assert.deepEqual(names, ['a', 'b', 'c']);
  });

  test('a pretty-printed document is one message', () => {
    const pretty = JSON.stringify(JSON.parse(doc({ name: 'p' })), null, 2);
    assert.ok(pretty.split('\n').length > 5);
    assert.equal(hex(one(pretty)), hex(one(doc({ name: 'p' }))));
  });

  test('empty or blank input gives no messages', () => {
    assert.deepEqual(parseOtlpJsonTraces(''), []);
    assert.deepEqual(parseOtlpJsonTraces('\n \n'), []);
  });

  test('a leading byte order mark is skipped', () => {
    assert.equal(hex(one('\uFEFF' + doc({}))), hex(one(doc({}))));
  });
});

describe('parseOtlpJsonTraces: errors say where', () => {
  test('a bad id names its line and path', () => {
    const bad = JSON.stringify({
      resourceSpans: [{ scopeSpans: [{ spans: [] }, { spans: [{}, {}, {}, {}, { traceId: 'xyz' }] }] }],
    });
    throwsMessage(
      [doc({}), '', bad].join('\n'),
      'line 3: resourceSpans[0].scopeSpans[1].spans[4].traceId: not hex or base64 of a 16-byte id: "xyz"',
    );
  });

  test('paths use the key as written (legacy and snake_case names)', () => {
    throwsMessage(
      JSON.stringify({ batches: [{ instrumentation_library_spans: [{ spans: [{ span_id: TRACE_HEX }] }] }] }),
      'line 1: batches[0].instrumentation_library_spans[0].spans[0].span_id: not hex or base64 of a 8-byte id: "0102030405060708090a0b0c0d0e0f10"',
    );
  });

  test('a single pretty-printed document is located by path alone', () => {
    const pretty = JSON.stringify(JSON.parse(doc({ kind: 'SERVER' })), null, 2);
    throwsMessage(pretty, 'resourceSpans[0].scopeSpans[0].spans[0].kind: not a SpanKind name or number: "SERVER"');
  });

  test('invalid JSON on a later line of JSON lines', () => {
    assert.throws(
      () => parseOtlpJsonTraces(`${doc({})}\n\n{"resourceSpans": [}\n`),
      /^OtlpJsonError: line 3: invalid JSON: /,
    );
  });

  test('invalid JSON on the first line of JSON lines', () => {
    assert.throws(
      () => parseOtlpJsonTraces(`{"resourceSpans": [}\n${doc({})}\n`),
      /^OtlpJsonError: line 1: invalid JSON: /,
    );
  });

  test('invalid JSON inside a pretty-printed document names its line', () => {
    const pretty = JSON.stringify(JSON.parse(doc({})), null, 2).split('\n');
    pretty.splice(4, 0, ']');
    assert.throws(() => parseOtlpJsonTraces(pretty.join('\n')), /^OtlpJsonError: line 5: invalid JSON: /);
  });

  test('a line that is not an object', () => {
    throwsMessage(`${doc({})}\n[1, 2]`, 'line 2: expected a TracesData object');
    throwsMessage('"text"', 'line 1: expected a TracesData object');
  });

  test('wrong JSON types name the field', () => {
    throwsMessage(doc({ name: 5 }), 'line 1: resourceSpans[0].scopeSpans[0].spans[0].name: expected a string');
    throwsMessage(
      doc({ attributes: {} }),
      'line 1: resourceSpans[0].scopeSpans[0].spans[0].attributes: expected an array',
    );
    throwsMessage(doc({ status: 'ok' }), 'line 1: resourceSpans[0].scopeSpans[0].spans[0].status: expected an object');
    throwsMessage(
      doc({ startTimeUnixNano: '17e8' }),
      'line 1: resourceSpans[0].scopeSpans[0].spans[0].startTimeUnixNano: expected an integer (number or decimal string), got "17e8"',
    );
    throwsMessage(
      doc({ attributes: [{ key: 'k', value: { boolValue: 'true' } }] }),
      'line 1: resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.boolValue: expected true or false',
    );
  });

  test('an AnyValue with two values', () => {
    throwsMessage(
      doc({ attributes: [{ key: 'k', value: { stringValue: 'a', intValue: 1 } }] }),
      'line 1: resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.intValue: given together with stringValue (AnyValue holds one value)',
    );
  });

  test('both a name and its alias', () => {
    throwsMessage(
      JSON.stringify({ resourceSpans: [], batches: [] }),
      'line 1: batches: given together with resourceSpans',
    );
  });

  test('a bad bytesValue and a bad nested value', () => {
    throwsMessage(
      doc({ attributes: [{ key: 'k', value: { arrayValue: { values: [{ bytesValue: '!!' }] } } }] }),
      'line 1: resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.arrayValue.values[0].bytesValue: not base64: "!!"',
    );
  });
});
