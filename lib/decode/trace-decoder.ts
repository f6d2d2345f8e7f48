// Pass one over a Trace / TracesData message: index every ResourceSpans and Span into pooled
// views (offsets and scalars only) and validate the framing of every message down to the span
// fields. A malformed message throws WireError before any processor has seen a span of it, so a
// bad trace is skipped as a whole, never half counted. Attribute contents are parsed lazily
// (see AttributeList).

import { Cursor, WireError, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT, expectWireType } from './wire.ts';
import { ResourceView, SpanView } from './span-view.ts';
import { StringInterner } from './utf8.ts';

const SERVICE_NAME = new TextEncoder().encode('service.name');
const SERVICE_NAMESPACE = new TextEncoder().encode('service.namespace');
const SERVICE_INSTANCE_ID = new TextEncoder().encode('service.instance.id');

/** Wire type of each Span field by number (-1: not a Span field, skipped whatever its type). */
const SPAN_WIRE_TYPES = [
  -1,
  WIRE_LEN,
  WIRE_LEN,
  WIRE_LEN,
  WIRE_LEN,
  WIRE_LEN,
  WIRE_VARINT,
  WIRE_FIXED64,
  WIRE_FIXED64,
  WIRE_LEN,
  WIRE_VARINT,
  WIRE_LEN,
  WIRE_VARINT,
  WIRE_LEN,
  WIRE_VARINT,
  WIRE_LEN,
  WIRE_FIXED32,
];
const SPAN_FIELD_NAMES = [
  '',
  'trace_id',
  'span_id',
  'trace_state',
  'parent_span_id',
  'name',
  'kind',
  'start_time_unix_nano',
  'end_time_unix_nano',
  'attributes',
  'dropped_attributes_count',
  'events',
  'dropped_events_count',
  'links',
  'dropped_links_count',
  'status',
  'flags',
];

export class DecodedTrace {
  resources: ResourceView[] = [];
  resourceCount = 0;
  spans: SpanView[] = [];
  spanCount = 0;
}

/** Reusable: decode() overwrites the previous result, so use one decoder per pipeline. */
export class TraceDecoder {
  private readonly out = new DecodedTrace();
  private readonly top = new Cursor(new Uint8Array(0));
  private readonly rs = new Cursor(new Uint8Array(0));
  private readonly ss = new Cursor(new Uint8Array(0));
  private readonly sp = new Cursor(new Uint8Array(0));
  private readonly sub = new Cursor(new Uint8Array(0));
  /** Service names repeat across resources and records: decode each once. */
  private readonly strings = new StringInterner();

  /** Decodes buf[start, end) as a message whose field 1 is repeated ResourceSpans. */
  decode(buf: Uint8Array, start = 0, end = buf.length): DecodedTrace {
    const out = this.out;
    out.resourceCount = 0;
    out.spanCount = 0;
    this.strings.resetIfOver(1 << 14);
    const c = this.top.reset(buf, start, end);
    while (c.more()) {
      const tag = c.uint32();
      if (tag >>> 3 === 1) {
        expectWireType(tag & 7, WIRE_LEN, 'resource_spans');
        const e = c.lenEnd();
        this.resourceSpans(buf, c.pos, e);
        c.pos = e;
      } else c.skip(tag & 7);
    }
    return out;
  }

  private resourceSpans(buf: Uint8Array, start: number, end: number): void {
    const out = this.out;
    let res = out.resources[out.resourceCount];
    if (res === undefined) res = out.resources[out.resourceCount] = new ResourceView();
    res.index = out.resourceCount++;
    res.byteSize = end - start;
    res.attributes.clear(buf);
    res.firstSpan = out.spanCount;
    res.spanCount = 0;
    const c = this.rs.reset(buf, start, end);
    while (c.more()) {
      const tag = c.uint32();
      const field = tag >>> 3;
      if (field === 1) {
        expectWireType(tag & 7, WIRE_LEN, 'resource');
        const e = c.lenEnd();
        this.resource(buf, c.pos, e, res);
        c.pos = e;
      } else if (field === 2) {
        expectWireType(tag & 7, WIRE_LEN, 'scope_spans');
        const e = c.lenEnd();
        this.scopeSpans(buf, c.pos, e);
        c.pos = e;
      } else c.skip(tag & 7);
    }
    res.spanCount = out.spanCount - res.firstSpan;
    this.serviceAttributes(res);
  }

  private resource(buf: Uint8Array, start: number, end: number, res: ResourceView): void {
    const c = this.sub.reset(buf, start, end);
    while (c.more()) {
      const tag = c.uint32();
      if (tag >>> 3 === 1) {
        expectWireType(tag & 7, WIRE_LEN, 'resource.attributes');
        const e = c.lenEnd();
        res.attributes.push(c.pos, e);
        c.pos = e;
      } else c.skip(tag & 7);
    }
  }

  /** First occurrence of each service attribute, in one pass over the resource attributes. */
  private serviceAttributes(res: ResourceView): void {
    const attrs = res.attributes;
    let name = -1;
    let namespace = -1;
    let instance = -1;
    for (let i = 0; i < attrs.count; i++) {
      if (name < 0 && attrs.keyIs(i, SERVICE_NAME)) name = i;
      else if (namespace < 0 && attrs.keyIs(i, SERVICE_NAMESPACE)) namespace = i;
      else if (instance < 0 && attrs.keyIs(i, SERVICE_INSTANCE_ID)) instance = i;
    }
    res.hasServiceName = name >= 0;
    res.serviceName = name >= 0 ? attrs.stringValue(name, this.strings) : '';
    res.serviceNamespace = namespace >= 0 ? attrs.stringValue(namespace, this.strings) : '';
    res.serviceInstanceId = instance >= 0 ? attrs.stringValue(instance, this.strings) : '';
  }

  private scopeSpans(buf: Uint8Array, start: number, end: number): void {
    const c = this.ss.reset(buf, start, end);
    while (c.more()) {
      const tag = c.uint32();
      if (tag >>> 3 === 2) {
        expectWireType(tag & 7, WIRE_LEN, 'spans');
        const e = c.lenEnd();
        this.span(buf, c.pos, e);
        c.pos = e;
      } else c.skip(tag & 7);
    }
  }

  /**
   * The hottest loop of ingest: one pass over a Span's fields with the common one-byte tags and
   * lengths read inline (the cursor handles the rest), every known field's wire type checked.
   */
  private span(buf: Uint8Array, start: number, end: number): void {
    const out = this.out;
    let s = out.spans[out.spanCount];
    if (s === undefined) s = out.spans[out.spanCount] = new SpanView();
    s.reset(buf, start, end);
    const c = this.sp;
    let pos = start;
    while (pos < end) {
      let tag = buf[pos++];
      if (tag >= 0x80) {
        c.reset(buf, pos - 1, end);
        tag = c.uint32();
        pos = c.pos;
      }
      const field = tag >>> 3;
      const wt = tag & 7;
      const expected = field < SPAN_WIRE_TYPES.length ? SPAN_WIRE_TYPES[field] : -1;
      if (expected >= 0 && wt !== expected)
        throw new WireError(`span.${SPAN_FIELD_NAMES[field]}: wire type ${wt}, expected ${expected}`);
      if (wt === WIRE_LEN) {
        let len = buf[pos++];
        if (len >= 0x80 || pos > end) {
          c.reset(buf, pos - 1, end);
          len = c.uint32();
          pos = c.pos;
        }
        const e = pos + len;
        if (e > end) throw new WireError('length-delimited field runs past its message');
        switch (field) {
          case 1:
            s.traceIdStart = pos;
            s.traceIdEnd = e;
            break;
          case 2:
            s.spanIdStart = pos;
            s.spanIdEnd = e;
            break;
          case 3:
            s.traceStateStart = pos;
            s.traceStateEnd = e;
            break;
          case 4:
            s.parentSpanIdStart = pos;
            s.parentSpanIdEnd = e;
            break;
          case 5:
            s.nameStart = pos;
            s.nameEnd = e;
            break;
          case 9:
            s.attributes.push(pos, e);
            break;
          case 15:
            this.status(buf, pos, e, s);
            break;
          // events, links and unknown fields: no processor reads them
        }
        pos = e;
      } else if (wt === WIRE_FIXED64) {
        if (pos + 8 > end) throw new WireError('truncated fixed64');
        const lo = (buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16) | (buf[pos + 3] << 24)) >>> 0;
        const hi = (buf[pos + 4] | (buf[pos + 5] << 8) | (buf[pos + 6] << 16) | (buf[pos + 7] << 24)) >>> 0;
        if (field === 7) {
          s.startLo = lo;
          s.startHi = hi;
        } else if (field === 8) {
          s.endLo = lo;
          s.endHi = hi;
        }
        pos += 8;
      } else {
        c.reset(buf, pos, end);
        if (field === 6)
          s.kind = c.uint32() | 0; // enums are int32 on the wire
        else c.skip(wt);
        pos = c.pos;
      }
    }
    out.spanCount++;
  }

  private status(buf: Uint8Array, start: number, end: number, s: SpanView): void {
    // A repeated status message merges field by field, as protobuf decoding does.
    const c = this.sub.reset(buf, start, end);
    while (c.more()) {
      const tag = c.uint32();
      const field = tag >>> 3;
      if (field === 2) {
        expectWireType(tag & 7, WIRE_LEN, 'status.message');
        s.statusMessageEnd = c.lenEnd();
        s.statusMessageStart = c.pos;
        c.pos = s.statusMessageEnd;
      } else if (field === 3) {
        expectWireType(tag & 7, WIRE_VARINT, 'status.code');
        s.statusCode = c.uint32() | 0;
      } else c.skip(tag & 7);
    }
  }
}

export { WireError };
