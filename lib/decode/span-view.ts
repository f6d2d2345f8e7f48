// In-place views of decoded resources and spans. The decoder fills pooled instances with field
// offsets and scalars; processors read only what they need. Nothing here copies bytes.

import {
  keyEquals,
  readAnyValue,
  readKeyValue,
  AnyValueRef,
  KeyValueRef,
  stringifyAnyValue,
  ANY_DOUBLE,
  ANY_NONE,
} from './any-value.ts';
import { WireError } from './wire.ts';
import type { StringSource } from './utf8.ts';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../proto/otlp-enum-names.ts';

export const SPAN_KIND_SERVER = 2;
export const SPAN_KIND_CLIENT = 3;
export const SPAN_KIND_PRODUCER = 4;
export const SPAN_KIND_CONSUMER = 5;
export const STATUS_CODE_ERROR = 2;

/** Go's enum String(): the name, or the number for values the enum does not define. */
export function spanKindName(kind: number): string {
  return SPAN_KIND_NAMES[kind] ?? String(kind);
}
export function statusCodeName(code: number): string {
  return STATUS_CODE_NAMES[code] ?? String(code);
}

/**
 * A list of attributes as KeyValue offsets into one buffer. The decoder checks only that each
 * attribute lies inside its span; the KeyValue inside is parsed when a processor asks for it, and
 * one that turns out malformed reads as absent (no processor fails on it). Full validation of
 * every attribute would cost a fifth of the decode time for bytes no processor reads.
 */
export class AttributeList {
  buf: Uint8Array = new Uint8Array(0);
  starts: number[] = [];
  ends: number[] = [];
  count = 0;

  clear(buf: Uint8Array): void {
    this.buf = buf;
    this.count = 0;
  }

  push(start: number, end: number): void {
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }

  /** Index of the first attribute with this key, or -1. */
  indexOf(key: Uint8Array, from = 0): number {
    for (let i = from; i < this.count; i++) if (this.keyIs(i, key)) return i;
    return -1;
  }

  /** Whether attribute i has this key (false when it is malformed). */
  keyIs(i: number, key: Uint8Array): boolean {
    try {
      return keyEquals(this.buf, this.starts[i], this.ends[i], key);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      return false;
    }
  }

  /** Reads attribute i's value into out (type ANY_NONE when the KeyValue has no value). */
  value(i: number, out: AnyValueRef): AnyValueRef {
    try {
      const kv = readKeyValue(this.buf, this.starts[i], this.ends[i], scratchKv);
      if (kv.hasValue) return readAnyValue(this.buf, kv.valueStart, kv.valueEnd, out);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
    }
    out.type = ANY_NONE;
    out.num = 0;
    return out;
  }

  /** The label value of attribute i (Tempo's StringifyAnyValue); '' when malformed. */
  stringValue(i: number, strings: StringSource): string {
    const v = this.value(i, scratchValue);
    try {
      return stringifyAnyValue(this.buf, v, strings);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      return '';
    }
  }

  /** The decoded key of attribute i; '' when malformed. */
  key(i: number, strings: StringSource): string {
    try {
      const kv = readKeyValue(this.buf, this.starts[i], this.ends[i], scratchKv);
      return strings.get(this.buf, kv.keyStart, kv.keyEnd);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      return '';
    }
  }

  /** First double_value > 0 among attributes with this key (span multiplier rule), else 0. */
  positiveDouble(key: Uint8Array): number {
    for (let i = this.indexOf(key); i >= 0; i = this.indexOf(key, i + 1)) {
      const v = this.value(i, scratchValue);
      if (v.type === ANY_DOUBLE && (v.num as number) > 0) return v.num as number;
    }
    return 0;
  }
}
const scratchKv = new KeyValueRef();
const scratchValue = new AnyValueRef();

export class ResourceView {
  /** Ordinal of this ResourceSpans within its trace message. */
  index = 0;
  readonly attributes = new AttributeList();
  /** First occurrences of the service attributes, stringified ('' when absent). */
  serviceName = '';
  hasServiceName = false;
  serviceNamespace = '';
  serviceInstanceId = '';
  /** Encoded size of the ResourceSpans message (Tempo's bytes-received counter). */
  byteSize = 0;
  /** Index range into the span pool for this resource's spans. */
  firstSpan = 0;
  spanCount = 0;
}

export class SpanView {
  buf: Uint8Array = new Uint8Array(0);
  /** Bounds of the Span message body; its length is Tempo's Span.Size(). */
  start = 0;
  end = 0;
  traceIdStart = 0;
  traceIdEnd = 0;
  spanIdStart = 0;
  spanIdEnd = 0;
  parentSpanIdStart = 0;
  parentSpanIdEnd = 0;
  traceStateStart = 0;
  traceStateEnd = 0;
  nameStart = 0;
  nameEnd = 0;
  kind = 0;
  /** fixed64 nanosecond timestamps split in 32-bit halves so durations stay exact. */
  startHi = 0;
  startLo = 0;
  endHi = 0;
  endLo = 0;
  statusCode = 0;
  statusMessageStart = 0;
  statusMessageEnd = 0;
  readonly attributes = new AttributeList();

  reset(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.traceIdStart = this.traceIdEnd = 0;
    this.spanIdStart = this.spanIdEnd = 0;
    this.parentSpanIdStart = this.parentSpanIdEnd = 0;
    this.traceStateStart = this.traceStateEnd = 0;
    this.nameStart = this.nameEnd = 0;
    this.kind = 0;
    this.startHi = this.startLo = this.endHi = this.endLo = 0;
    this.statusCode = 0;
    this.statusMessageStart = this.statusMessageEnd = 0;
    this.attributes.clear(buf);
  }

  get size(): number {
    return this.end - this.start;
  }

  /** Duration in seconds; 0 when end <= start (Tempo treats negative latency as zero). */
  durationSeconds(): number {
    const hi = this.endHi - this.startHi;
    const lo = this.endLo - this.startLo;
    const ns = hi * 4294967296 + lo;
    return ns > 0 ? ns / 1e9 : 0;
  }

  /** End time in (approximate, double) nanoseconds since the epoch, for the ingestion slack check. */
  endTimeNs(): number {
    return this.endHi * 4294967296 + this.endLo;
  }

  name(strings: StringSource): string {
    return strings.get(this.buf, this.nameStart, this.nameEnd);
  }

  statusMessage(strings: StringSource): string {
    return strings.get(this.buf, this.statusMessageStart, this.statusMessageEnd);
  }

  traceState(strings: StringSource): string {
    return strings.get(this.buf, this.traceStateStart, this.traceStateEnd);
  }

  /** Lowercase hex of the trace ID bytes ('' when empty). */
  traceIdHex(): string {
    return toHex(this.buf, this.traceIdStart, this.traceIdEnd);
  }
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

export function toHex(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += HEX[buf[i]];
  return s;
}
