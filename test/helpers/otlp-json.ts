// Builds OTLP-JSON input for replay tests, the way a user would write it by hand.

export type AttrValue =
  | string
  | boolean
  | number
  | { int: number | string }
  | AttrValue[]
  | { kv: Record<string, AttrValue> }
  | { bytes: string };

export function anyValue(v: AttrValue): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number') return { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  if ('int' in v) return { intValue: String(v.int) };
  if ('bytes' in v) return { bytesValue: v.bytes };
  return { kvlistValue: { values: attributes(v.kv) } };
}

export function attributes(attrs: Record<string, AttrValue>): Record<string, unknown>[] {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: anyValue(value) }));
}

export interface JsonSpan {
  name?: string;
  kind?: number;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  traceState?: string;
  /** start in ns since epoch (string for exactness) */
  startNs?: bigint;
  durationNs?: bigint;
  status?: { code?: number; message?: string };
  attributes?: Record<string, AttrValue>;
}

let spanCounter = 0;
const BASE_NS = 1_700_000_000_000_000_000n;

export function span(s: JsonSpan = {}): Record<string, unknown> {
  spanCounter++;
  const start = s.startNs ?? BASE_NS;
  const out: Record<string, unknown> = {
    traceId: s.traceId ?? '0102030405060708090a0b0c0d0e0f10',
    spanId: s.spanId ?? spanCounter.toString(16).padStart(16, '0'),
    name: s.name ?? 'test',
    kind: s.kind ?? 3,
    startTimeUnixNano: String(start),
    endTimeUnixNano: String(start + (s.durationNs ?? 1_000_000_000n)),
    attributes: attributes(s.attributes ?? {}),
    status: s.status ?? { code: 1, message: 'OK' },
  };
  if (s.parentSpanId !== undefined) out.parentSpanId = s.parentSpanId;
  if (s.traceState !== undefined) out.traceState = s.traceState;
  return out;
}

export function resourceSpans(
  resource: Record<string, AttrValue>,
  spans: Record<string, unknown>[],
): Record<string, unknown> {
  return { resource: { attributes: attributes(resource) }, scopeSpans: [{ scope: { name: 'test' }, spans }] };
}

export function tracesData(...rs: Record<string, unknown>[]): string {
  return JSON.stringify({ resourceSpans: rs });
}

/** n identical spans of Tempo's test.MakeBatch fixture: name test, CLIENT, status OK, 1 s. */
export function makeBatch(
  n: number,
  spanOverrides: JsonSpan = {},
  resource: Record<string, AttrValue> = { 'service.name': 'test-service' },
): string {
  return tracesData(
    resourceSpans(
      resource,
      Array.from({ length: n }, () => span(spanOverrides)),
    ),
  );
}

/** Parses Prometheus text into `name{labels}` -> value (the line minus the value). */
export function parseExposition(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}
