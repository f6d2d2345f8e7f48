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

  private serviceAttributes(res: ResourceView): void {
    const attrs = res.attributes;
    let i = attrs.indexOf(SERVICE_NAME);
    res.hasServiceName = i >= 0;
    res.serviceName = i >= 0 ? attrs.stringValue(i, this.strings) : '';
    i = attrs.indexOf(SERVICE_NAMESPACE);
    res.serviceNamespace = i >= 0 ? attrs.stringValue(i, this.strings) : '';
    i = attrs.indexOf(SERVICE_INSTANCE_ID);
    res.serviceInstanceId = i >= 0 ? attrs.stringValue(i, this.strings) : '';
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

  private span(buf: Uint8Array, start: number, end: number): void {
    const out = this.out;
    let s = out.spans[out.spanCount];
    if (s === undefined) s = out.spans[out.spanCount] = new SpanView();
    s.reset(buf, start, end);
    const c = this.sp.reset(buf, start, end);
    while (c.more()) {
      const tag = c.uint32();
      const wt = tag & 7;
      switch (tag >>> 3) {
        case 1:
          expectWireType(wt, WIRE_LEN, 'span.trace_id');
          s.traceIdEnd = c.lenEnd();
          s.traceIdStart = c.pos;
          c.pos = s.traceIdEnd;
          break;
        case 2:
          expectWireType(wt, WIRE_LEN, 'span.span_id');
          s.spanIdEnd = c.lenEnd();
          s.spanIdStart = c.pos;
          c.pos = s.spanIdEnd;
          break;
        case 3:
          expectWireType(wt, WIRE_LEN, 'span.trace_state');
          s.traceStateEnd = c.lenEnd();
          s.traceStateStart = c.pos;
          c.pos = s.traceStateEnd;
          break;
        case 4:
          expectWireType(wt, WIRE_LEN, 'span.parent_span_id');
          s.parentSpanIdEnd = c.lenEnd();
          s.parentSpanIdStart = c.pos;
          c.pos = s.parentSpanIdEnd;
          break;
        case 5:
          expectWireType(wt, WIRE_LEN, 'span.name');
          s.nameEnd = c.lenEnd();
          s.nameStart = c.pos;
          c.pos = s.nameEnd;
          break;
        case 6:
          expectWireType(wt, WIRE_VARINT, 'span.kind');
          s.kind = c.uint32() | 0; // enums are int32 on the wire
          break;
        case 7:
          expectWireType(wt, WIRE_FIXED64, 'span.start_time_unix_nano');
          s.startLo = c.fixed32();
          s.startHi = c.fixed32();
          break;
        case 8:
          expectWireType(wt, WIRE_FIXED64, 'span.end_time_unix_nano');
          s.endLo = c.fixed32();
          s.endHi = c.fixed32();
          break;
        case 9: {
          expectWireType(wt, WIRE_LEN, 'span.attributes');
          const e = c.lenEnd();
          s.attributes.push(c.pos, e);
          c.pos = e;
          break;
        }
        case 15: {
          expectWireType(wt, WIRE_LEN, 'span.status');
          const e = c.lenEnd();
          this.status(buf, c.pos, e, s);
          c.pos = e;
          break;
        }
        case 16:
          expectWireType(wt, WIRE_FIXED32, 'span.flags');
          c.pos += 4;
          if (c.pos > c.end) throw new WireError('truncated fixed32');
          break;
        default:
          // events, links, dropped counts and unknown fields: no processor reads them
          c.skip(wt);
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
