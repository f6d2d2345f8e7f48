// A service-graphs processor under a fake clock, fed protobuf traces built with testing/build.ts.

import { parseConfig } from '../../../lib/config/index.ts';
import { TraceDecoder } from '../../../lib/decode/trace-decoder.ts';
import { IngestStats } from '../../../lib/pipeline/ingest-stats.ts';
import { ServiceGraphsProcessor } from '../../../lib/processors/servicegraphs/processor.ts';
import { seriesKey } from '../../../lib/series/labels.ts';
import type { HistogramIncrement, SeriesIncrement } from '../../../lib/series/types.ts';
import { SpanKind, StatusCode } from '../../../lib/proto/index.ts';
import {
  buildResourceSpans,
  encodeTracesData,
  type Attributes,
  type ResourceSpansSpec,
  type SpanSpec,
} from '../../../testing/build.ts';

export { SpanKind, StatusCode };

/** Unix ms the fake clock starts at: the middle of a second, so truncation to seconds shows. */
export const T0_MS = 1_700_000_000_500;

export class Harness {
  nowMs = T0_MS;
  readonly stats = new IngestStats();
  readonly processor: ServiceGraphsProcessor;
  private readonly decoder = new TraceDecoder();

  /** serviceGraphs: YAML of metrics_generator.processor.service_graphs; overrides: extra override keys. */
  constructor(serviceGraphs = '', processors = '[service-graphs]', overrides = '') {
    const tenant = parseConfig(`
metrics_generator:
  processor:
    service_graphs:
${serviceGraphs.replace(/^/gm, '      ')}
overrides:
  defaults:
    metrics_generator:
      processors: ${processors}
${overrides.replace(/^/gm, '      ')}
`).tenant('t');
    this.processor = new ServiceGraphsProcessor(tenant, this.stats, { clock: () => this.nowMs });
  }

  pushBytes(bytes: Uint8Array): void {
    this.processor.pushTrace(this.decoder.decode(bytes));
  }

  push(...resources: ResourceSpansSpec[]): void {
    this.pushBytes(encodeTracesData(...resources.map(buildResourceSpans)));
  }

  drain(): SeriesIncrement[] {
    const out: SeriesIncrement[] = [];
    this.processor.drain(out);
    return out;
  }

  /** Expires what is due after `afterMs` more milliseconds (or everything with all), then drains. */
  expire(afterMs: number, all = false): SeriesIncrement[] {
    this.nowMs += afterMs;
    const out: SeriesIncrement[] = [];
    this.processor.expire(this.nowMs, out, all);
    return out;
  }
}

/** One resource of one service holding these spans. */
export function svc(name: string, spans: SpanSpec[], resource: Attributes = {}): ResourceSpansSpec {
  return { resource: { 'service.name': name, ...resource }, spans };
}

let nextSpan = 0x100;
/** A fresh 8-byte span id as hex. */
export function spanId(): string {
  return (nextSpan++).toString(16).padStart(16, '0');
}

/** A client span and the server span answering it (ids linked), in two services. */
export function pair(client: string, server: string, c: SpanSpec = {}, s: SpanSpec = {}): ResourceSpansSpec[] {
  const id = spanId();
  return [
    svc(client, [{ kind: SpanKind.SPAN_KIND_CLIENT, spanId: id, ...c }]),
    svc(server, [{ kind: SpanKind.SPAN_KIND_SERVER, spanId: spanId(), parentSpanId: id, ...s }]),
  ];
}

/**
 * `name{labels}` -> value: counters and gauges by value; histograms as `name_count` / `name_sum`
 * (classic or native) per label set.
 */
export function summary(out: SeriesIncrement[]): Map<string, number> {
  const m = new Map<string, number>();
  const add = (key: string, v: number) => m.set(key, (m.get(key) ?? 0) + v);
  for (const inc of out) {
    if (inc.type !== 'histogram') {
      add(seriesKey(inc.name, inc.labels), inc.value);
      continue;
    }
    const h = inc as HistogramIncrement;
    add(seriesKey(inc.name + '_count', inc.labels), h.classic?.count ?? h.native!.count);
    add(seriesKey(inc.name + '_sum', inc.labels), h.classic?.sum ?? h.native!.sum);
  }
  return m;
}

/** seriesKey with labels given as a record (sorted here). */
export function key(name: string, labels: Record<string, string>): string {
  return seriesKey(
    name,
    Object.keys(labels)
      .sort()
      .map((n) => ({ name: n, value: labels[n] })),
  );
}

export const REQUEST = 'traces_service_graph_request_total';
export const FAILED = 'traces_service_graph_request_failed_total';
export const CLIENT_SECONDS = 'traces_service_graph_request_client_seconds';
export const SERVER_SECONDS = 'traces_service_graph_request_server_seconds';
export const MESSAGING_SECONDS = 'traces_service_graph_request_messaging_system_seconds';
export const CONNECTION_INFO = 'traces_service_graph_connection_info';
