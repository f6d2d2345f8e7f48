// Reference implementations the fast path is measured against (bench only):
//  - protobufjs: full decode into objects, then the same span-metrics aggregation (calls and
//    latency buckets per service/name/kind/status). It skips the size metric, which would need a
//    re-encode per span, so the ratio against it is a lower bound.
//  - raw walk: visits every field tag down to the span fields (attributes are skipped as opaque
//    length-delimited fields, as the fast path does until a processor asks for one) and
//    aggregates nothing; a decoder that reads every span's fields cannot do less.

import { PushBytesRequest, Trace } from '../lib/proto/index.ts';
import { Cursor, WIRE_LEN } from '../lib/decode/wire.ts';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../lib/proto/otlp-enum-names.ts';

const KINDS: readonly string[] = SPAN_KIND_NAMES;
const CODES: readonly string[] = STATUS_CODE_NAMES;
const BUCKETS = [0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024, 2.048, 4.096, 8.192, 16.384];

interface Agg {
  calls: number;
  counts: number[];
  sum: number;
}

export class ProtobufjsSpanMetrics {
  private entries = new Map<string, Agg>();

  add(value: Uint8Array): number {
    let spans = 0;
    const req = PushBytesRequest.decode(value);
    if (req.skipMetricsGeneration) return 0;
    for (const traceBytes of req.traces ?? []) {
      const trace = Trace.decode(traceBytes);
      for (const rs of trace.resourceSpans ?? []) {
        let service = '';
        for (const kv of rs.resource?.attributes ?? []) {
          if (kv.key === 'service.name') {
            service = kv.value?.stringValue ?? '';
            break;
          }
        }
        for (const ss of rs.scopeSpans ?? []) {
          for (const span of ss.spans ?? []) {
            spans++;
            const key =
              service +
              '\u0000' +
              span.name +
              '\u0000' +
              KINDS[span.kind ?? 0] +
              '\u0000' +
              CODES[span.status?.code ?? 0];
            let e = this.entries.get(key);
            if (e === undefined)
              this.entries.set(key, (e = { calls: 0, counts: new Array(BUCKETS.length + 1).fill(0), sum: 0 }));
            const start = span.startTimeUnixNano as unknown as { high: number; low: number };
            const end = span.endTimeUnixNano as unknown as { high: number; low: number };
            const ns = (end.high - start.high) * 4294967296 + ((end.low >>> 0) - (start.low >>> 0));
            const v = ns > 0 ? ns / 1e9 : 0;
            let b = 0;
            while (b < BUCKETS.length && v > BUCKETS[b]) b++;
            e.counts[b]++;
            e.calls++;
            e.sum += v;
          }
        }
      }
    }
    return spans;
  }

  reset(): void {
    this.entries = new Map();
  }
}

// Which length-delimited fields hold a nested message the walk descends into, per message.
type Walk = Record<number, WalkName>;
type WalkName = 'push' | 'trace' | 'rs' | 'resource' | 'ss' | 'span' | 'kv' | 'status';
const NESTED: Record<WalkName, Walk> = {
  push: { 2: 'trace' },
  trace: { 1: 'rs' },
  rs: { 1: 'resource', 2: 'ss' },
  resource: { 1: 'kv' },
  ss: { 2: 'span' },
  span: { 15: 'status' },
  kv: {},
  status: {},
};

/** Counts spans by walking every tag of the messages the fast path reads. */
export function rawWalk(buf: Uint8Array): number {
  return walk(buf, 0, buf.length, 'push', 0);
}

// one reusable cursor per nesting depth: the walk allocates nothing
const cursors: Cursor[] = Array.from({ length: 40 }, () => new Cursor(new Uint8Array(0)));

function walk(buf: Uint8Array, start: number, end: number, msg: WalkName, depth: number): number {
  const c = cursors[depth].reset(buf, start, end);
  const nested = NESTED[msg];
  let spans = msg === 'span' ? 1 : 0;
  while (c.more()) {
    const tag = c.uint32();
    const wt = tag & 7;
    const inner = wt === WIRE_LEN ? nested[tag >>> 3] : undefined;
    if (inner === undefined) {
      c.skip(wt);
      continue;
    }
    const e = c.lenEnd();
    spans += walk(buf, c.pos, e, inner, depth + 1);
    c.pos = e;
  }
  return spans;
}
