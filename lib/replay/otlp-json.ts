// Reads OTLP/JSON traces for `replay`: one TracesData object, or JSON lines of them, each turned
// into protobuf TracesData bytes so replay runs the same decoder as Kafka records.
//
// The OTLP/JSON mapping: lowerCamelCase keys (proto snake_case accepted too), hex trace/span ids
// (base64 accepted: Tempo's jsonpb test data uses it), enums by name or number, 64-bit integers
// as strings or numbers (kept exact), unknown keys ignored as OTLP receivers do. Tempo's legacy
// names are aliases: `batches` for resourceSpans, `instrumentationLibrarySpans` for scopeSpans,
// `instrumentationLibrary` for scope. Tempo's trace-by-id v2 response (`{"trace": {...}}`) is
// unwrapped.

import {
  SpanKind,
  StatusCode,
  TracesData,
  type AnyValueProperties,
  type InstrumentationScopeProperties,
  type KeyValueProperties,
  type ResourceProperties,
  type ResourceSpansProperties,
  type ScopeSpansProperties,
  type SpanEventProperties,
  type SpanLinkProperties,
  type SpanProperties,
  type StatusProperties,
  type TracesDataProperties,
} from '../proto/index.ts';
import { JsonSyntaxError, parseJsonExact } from '../proto/exact-json.ts';
import {
  JsonFieldError,
  asBase64,
  asBool,
  asDouble,
  asEnum,
  asId,
  asInt64,
  asObject,
  asString,
  asUint32,
  asUint64,
  field,
  mapArray,
  spellings,
  type JsonField,
  type JsonObject,
} from '../proto/json-fields.ts';

/** Bad replay input; the message says where (line and field path). */
export class OtlpJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpJsonError';
  }
}

/** Each TracesData of the input (in order) as protobuf bytes. Empty input gives none. */
export function parseOtlpJsonTraces(text: string): Uint8Array[] {
  return documents(text).map(({ line, value }) => {
    try {
      return TracesData.encode(tracesData(asObject(value, ''))).finish();
    } catch (e) {
      if (!(e instanceof JsonFieldError)) throw e;
      const where = e.path === '' ? 'expected a TracesData object' : e.message;
      throw new OtlpJsonError(line === undefined ? where : `line ${line}: ${where}`);
    }
  });
}

interface JsonDocument {
  /** Set for JSON lines input: the document's line; a single document is located by path alone. */
  readonly line: number | undefined;
  readonly value: unknown;
}

/**
 * Splits the input into documents. JSON lines when the first non-blank line is a complete JSON
 * value on its own (a pretty-printed object's first line never is) or the second is (then the
 * first is a broken line of JSON lines), else one document.
 */
function documents(text: string): JsonDocument[] {
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  const nonBlank: number[] = [];
  for (let i = 0; i < lines.length; i++) if (lines[i].trim() !== '') nonBlank.push(i);
  if (nonBlank.length === 0) return [];
  const first = parseIfValid(lines[nonBlank[0]]);
  if (first === undefined && nonBlank.length > 1 && parseIfValid(lines[nonBlank[1]]) === undefined) {
    return [{ line: undefined, value: parseWhole(lines.join('\n')) }];
  }
  return nonBlank.map((i, n) => ({
    line: i + 1,
    value: n === 0 && first !== undefined ? first.value : parseLine(lines[i], i + 1),
  }));
}

function parseIfValid(line: string): { value: unknown } | undefined {
  try {
    return { value: parseJsonExact(line) };
  } catch (e) {
    if (e instanceof JsonSyntaxError) return undefined;
    throw e;
  }
}

function parseWhole(text: string): unknown {
  try {
    return parseJsonExact(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new OtlpJsonError(e.message);
    throw e;
  }
}

function parseLine(text: string, line: number): unknown {
  try {
    return parseJsonExact(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new OtlpJsonError(`line ${line}: invalid JSON: ${e.reason}`);
    throw e;
  }
}

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;

const F = {
  trace: spellings('trace'),
  resourceSpans: spellings('resourceSpans', 'batches'),
  resource: spellings('resource'),
  scopeSpans: spellings('scopeSpans', 'instrumentationLibrarySpans'),
  schemaUrl: spellings('schemaUrl'),
  scope: spellings('scope', 'instrumentationLibrary'),
  spans: spellings('spans'),
  name: spellings('name'),
  version: spellings('version'),
  attributes: spellings('attributes'),
  droppedAttributesCount: spellings('droppedAttributesCount'),
  traceId: spellings('traceId'),
  spanId: spellings('spanId'),
  traceState: spellings('traceState'),
  parentSpanId: spellings('parentSpanId'),
  flags: spellings('flags'),
  kind: spellings('kind'),
  startTimeUnixNano: spellings('startTimeUnixNano'),
  endTimeUnixNano: spellings('endTimeUnixNano'),
  events: spellings('events'),
  droppedEventsCount: spellings('droppedEventsCount'),
  links: spellings('links'),
  droppedLinksCount: spellings('droppedLinksCount'),
  status: spellings('status'),
  timeUnixNano: spellings('timeUnixNano'),
  message: spellings('message'),
  code: spellings('code'),
  key: spellings('key'),
  value: spellings('value'),
  values: spellings('values'),
  stringValue: spellings('stringValue'),
  boolValue: spellings('boolValue'),
  intValue: spellings('intValue'),
  doubleValue: spellings('doubleValue'),
  arrayValue: spellings('arrayValue'),
  kvlistValue: spellings('kvlistValue'),
  bytesValue: spellings('bytesValue'),
} as const;

const SPAN_KIND_NAMES = enumNames(SpanKind);
const STATUS_CODE_NAMES = enumNames(StatusCode);

/** name -> number of a generated enum object (its own keys are the names). */
function enumNames(e: object): Readonly<Record<string, number>> {
  return Object.fromEntries(
    Object.entries(e).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
  );
}

function tracesData(obj: JsonObject): TracesDataProperties {
  const rs = field(obj, '', F.resourceSpans);
  if (rs === undefined) {
    const wrapped = field(obj, '', F.trace);
    if (wrapped !== undefined) return tracesDataAt(asObject(wrapped.value, wrapped.path), wrapped.path);
  }
  return tracesDataAt(obj, '');
}

function tracesDataAt(obj: JsonObject, at: string): TracesDataProperties {
  const rs = field(obj, at, F.resourceSpans);
  return { resourceSpans: rs === undefined ? [] : mapArray(rs, resourceSpans) };
}

function resourceSpans(value: unknown, at: string): ResourceSpansProperties {
  const obj = asObject(value, at);
  const out: ResourceSpansProperties = {};
  const res = field(obj, at, F.resource);
  if (res !== undefined) out.resource = resource(asObject(res.value, res.path), res.path);
  const ss = field(obj, at, F.scopeSpans);
  if (ss !== undefined) out.scopeSpans = mapArray(ss, scopeSpans);
  const url = field(obj, at, F.schemaUrl);
  if (url !== undefined) out.schemaUrl = asString(url);
  return out;
}

function resource(obj: JsonObject, at: string): ResourceProperties {
  const out: ResourceProperties = {};
  const attrs = field(obj, at, F.attributes);
  if (attrs !== undefined) out.attributes = mapArray(attrs, keyValue);
  const dropped = field(obj, at, F.droppedAttributesCount);
  if (dropped !== undefined) out.droppedAttributesCount = asUint32(dropped);
  return out;
}

function scopeSpans(value: unknown, at: string): ScopeSpansProperties {
  const obj = asObject(value, at);
  const out: ScopeSpansProperties = {};
  const sc = field(obj, at, F.scope);
  if (sc !== undefined) out.scope = scope(asObject(sc.value, sc.path), sc.path);
  const spans = field(obj, at, F.spans);
  if (spans !== undefined) out.spans = mapArray(spans, span);
  const url = field(obj, at, F.schemaUrl);
  if (url !== undefined) out.schemaUrl = asString(url);
  return out;
}

function scope(obj: JsonObject, at: string): InstrumentationScopeProperties {
  const out: InstrumentationScopeProperties = resource(obj, at);
  const name = field(obj, at, F.name);
  if (name !== undefined) out.name = asString(name);
  const version = field(obj, at, F.version);
  if (version !== undefined) out.version = asString(version);
  return out;
}

function span(value: unknown, at: string): SpanProperties {
  const obj = asObject(value, at);
  const out: SpanProperties = {};
  let f: JsonField | undefined;
  if ((f = field(obj, at, F.traceId))) out.traceId = asId(f, TRACE_ID_BYTES);
  if ((f = field(obj, at, F.spanId))) out.spanId = asId(f, SPAN_ID_BYTES);
  if ((f = field(obj, at, F.traceState))) out.traceState = asString(f);
  if ((f = field(obj, at, F.parentSpanId))) out.parentSpanId = asId(f, SPAN_ID_BYTES);
  if ((f = field(obj, at, F.flags))) out.flags = asUint32(f);
  if ((f = field(obj, at, F.name))) out.name = asString(f);
  if ((f = field(obj, at, F.kind))) out.kind = asEnum(f, SPAN_KIND_NAMES, 'SpanKind');
  if ((f = field(obj, at, F.startTimeUnixNano))) out.startTimeUnixNano = asUint64(f);
  if ((f = field(obj, at, F.endTimeUnixNano))) out.endTimeUnixNano = asUint64(f);
  if ((f = field(obj, at, F.attributes))) out.attributes = mapArray(f, keyValue);
  if ((f = field(obj, at, F.droppedAttributesCount))) out.droppedAttributesCount = asUint32(f);
  if ((f = field(obj, at, F.events))) out.events = mapArray(f, event);
  if ((f = field(obj, at, F.droppedEventsCount))) out.droppedEventsCount = asUint32(f);
  if ((f = field(obj, at, F.links))) out.links = mapArray(f, link);
  if ((f = field(obj, at, F.droppedLinksCount))) out.droppedLinksCount = asUint32(f);
  if ((f = field(obj, at, F.status))) out.status = status(asObject(f.value, f.path), f.path);
  return out;
}

function event(value: unknown, at: string): SpanEventProperties {
  const obj = asObject(value, at);
  const out: SpanEventProperties = {};
  let f: JsonField | undefined;
  if ((f = field(obj, at, F.timeUnixNano))) out.timeUnixNano = asUint64(f);
  if ((f = field(obj, at, F.name))) out.name = asString(f);
  if ((f = field(obj, at, F.attributes))) out.attributes = mapArray(f, keyValue);
  if ((f = field(obj, at, F.droppedAttributesCount))) out.droppedAttributesCount = asUint32(f);
  return out;
}

function link(value: unknown, at: string): SpanLinkProperties {
  const obj = asObject(value, at);
  const out: SpanLinkProperties = {};
  let f: JsonField | undefined;
  if ((f = field(obj, at, F.traceId))) out.traceId = asId(f, TRACE_ID_BYTES);
  if ((f = field(obj, at, F.spanId))) out.spanId = asId(f, SPAN_ID_BYTES);
  if ((f = field(obj, at, F.traceState))) out.traceState = asString(f);
  if ((f = field(obj, at, F.attributes))) out.attributes = mapArray(f, keyValue);
  if ((f = field(obj, at, F.droppedAttributesCount))) out.droppedAttributesCount = asUint32(f);
  if ((f = field(obj, at, F.flags))) out.flags = asUint32(f);
  return out;
}

function status(obj: JsonObject, at: string): StatusProperties {
  const out: StatusProperties = {};
  let f: JsonField | undefined;
  if ((f = field(obj, at, F.message))) out.message = asString(f);
  if ((f = field(obj, at, F.code))) out.code = asEnum(f, STATUS_CODE_NAMES, 'StatusCode');
  return out;
}

function keyValue(value: unknown, at: string): KeyValueProperties {
  const obj = asObject(value, at);
  const out: KeyValueProperties = {};
  let f: JsonField | undefined;
  if ((f = field(obj, at, F.key))) out.key = asString(f);
  if ((f = field(obj, at, F.value))) out.value = anyValue(f.value, f.path);
  return out;
}

/** Exactly one of the oneof members (none is the empty value, as in OTLP). */
function anyValue(value: unknown, at: string): AnyValueProperties {
  const obj = asObject(value, at);
  let out: AnyValueProperties = {};
  let set: JsonField | undefined;
  const one = (f: JsonField | undefined, make: (f: JsonField) => AnyValueProperties): void => {
    if (f === undefined) return;
    if (set !== undefined)
      throw new JsonFieldError(f.path, `given together with ${set.key} (AnyValue holds one value)`);
    set = f;
    out = make(f);
  };
  one(field(obj, at, F.stringValue), (f) => ({ stringValue: asString(f) }));
  one(field(obj, at, F.boolValue), (f) => ({ boolValue: asBool(f) }));
  one(field(obj, at, F.intValue), (f) => ({ intValue: asInt64(f) }));
  one(field(obj, at, F.doubleValue), (f) => ({ doubleValue: asDouble(f) }));
  one(field(obj, at, F.arrayValue), (f) => ({ arrayValue: { values: listValues(f, anyValue) } }));
  one(field(obj, at, F.kvlistValue), (f) => ({ kvlistValue: { values: listValues(f, keyValue) } }));
  one(field(obj, at, F.bytesValue), (f) => ({ bytesValue: asBase64(f) }));
  return out;
}

/** The `values` list of an ArrayValue / KeyValueList. */
function listValues<T>(f: JsonField, each: (value: unknown, path: string) => T): T[] {
  const values = field(asObject(f.value, f.path), f.path, F.values);
  return values === undefined ? [] : mapArray(values, each);
}
