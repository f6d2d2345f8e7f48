// The generated protobuf classes under short names, plus 64-bit helpers. Tests, fixtures, the
// OTLP-JSON reader and remote write use these; the hot ingest path has its own decoder
// (lib/decode) and never touches them.

import protobuf from 'protobufjs/minimal.js';
import { opentelemetry, tempopb } from './generated/otlp.js';
import { prometheus } from './generated/remote.js';

const common = opentelemetry.proto.common.v1;
const trace = opentelemetry.proto.trace.v1;

export const AnyValue = common.AnyValue;
export type AnyValue = opentelemetry.proto.common.v1.AnyValue;
export type AnyValueProperties = opentelemetry.proto.common.v1.AnyValue.$Properties;
export const ArrayValue = common.ArrayValue;
export type ArrayValue = opentelemetry.proto.common.v1.ArrayValue;
export const KeyValueList = common.KeyValueList;
export type KeyValueList = opentelemetry.proto.common.v1.KeyValueList;
export const KeyValue = common.KeyValue;
export type KeyValue = opentelemetry.proto.common.v1.KeyValue;
export type KeyValueProperties = opentelemetry.proto.common.v1.KeyValue.$Properties;
export const InstrumentationScope = common.InstrumentationScope;
export type InstrumentationScope = opentelemetry.proto.common.v1.InstrumentationScope;
export type InstrumentationScopeProperties = opentelemetry.proto.common.v1.InstrumentationScope.$Properties;

export const Resource = opentelemetry.proto.resource.v1.Resource;
export type Resource = opentelemetry.proto.resource.v1.Resource;
export type ResourceProperties = opentelemetry.proto.resource.v1.Resource.$Properties;

export const TracesData = trace.TracesData;
export type TracesData = opentelemetry.proto.trace.v1.TracesData;
export type TracesDataProperties = opentelemetry.proto.trace.v1.TracesData.$Properties;
export const ResourceSpans = trace.ResourceSpans;
export type ResourceSpans = opentelemetry.proto.trace.v1.ResourceSpans;
export type ResourceSpansProperties = opentelemetry.proto.trace.v1.ResourceSpans.$Properties;
export const ScopeSpans = trace.ScopeSpans;
export type ScopeSpans = opentelemetry.proto.trace.v1.ScopeSpans;
export type ScopeSpansProperties = opentelemetry.proto.trace.v1.ScopeSpans.$Properties;
export const Span = trace.Span;
export type Span = opentelemetry.proto.trace.v1.Span;
export type SpanProperties = opentelemetry.proto.trace.v1.Span.$Properties;
export const SpanEvent = trace.Span.Event;
export type SpanEvent = opentelemetry.proto.trace.v1.Span.Event;
export type SpanEventProperties = opentelemetry.proto.trace.v1.Span.Event.$Properties;
export const SpanLink = trace.Span.Link;
export type SpanLink = opentelemetry.proto.trace.v1.Span.Link;
export type SpanLinkProperties = opentelemetry.proto.trace.v1.Span.Link.$Properties;
export const SpanKind = trace.Span.SpanKind;
export type SpanKind = opentelemetry.proto.trace.v1.Span.SpanKind;
export const Status = trace.Status;
export type Status = opentelemetry.proto.trace.v1.Status;
export type StatusProperties = opentelemetry.proto.trace.v1.Status.$Properties;
export const StatusCode = trace.Status.StatusCode;
export type StatusCode = opentelemetry.proto.trace.v1.Status.StatusCode;
export const SpanFlags = trace.SpanFlags;
export type SpanFlags = opentelemetry.proto.trace.v1.SpanFlags;

export const ExportTraceServiceRequest = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
export type ExportTraceServiceRequest = opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

export const PushBytesRequest = tempopb.PushBytesRequest;
export type PushBytesRequest = tempopb.PushBytesRequest;
export type PushBytesRequestProperties = tempopb.PushBytesRequest.$Properties;
export const Trace = tempopb.Trace;
export type Trace = tempopb.Trace;
export type TraceProperties = tempopb.Trace.$Properties;

export const WriteRequest = prometheus.WriteRequest;
export type WriteRequest = prometheus.WriteRequest;
export type WriteRequestProperties = prometheus.WriteRequest.$Properties;
export const TimeSeries = prometheus.TimeSeries;
export type TimeSeries = prometheus.TimeSeries;
export type TimeSeriesProperties = prometheus.TimeSeries.$Properties;
export const Label = prometheus.Label;
export type Label = prometheus.Label;
export const Sample = prometheus.Sample;
export type Sample = prometheus.Sample;
export const Exemplar = prometheus.Exemplar;
export type Exemplar = prometheus.Exemplar;
export const Histogram = prometheus.Histogram;
export type Histogram = prometheus.Histogram;
export type HistogramProperties = prometheus.Histogram.$Properties;
export const HistogramResetHint = prometheus.Histogram.ResetHint;
export type HistogramResetHint = prometheus.Histogram.ResetHint;
export const BucketSpan = prometheus.BucketSpan;
export type BucketSpan = prometheus.BucketSpan;
export const MetricMetadata = prometheus.MetricMetadata;
export type MetricMetadata = prometheus.MetricMetadata;
export type MetricMetadataProperties = prometheus.MetricMetadata.$Properties;
export const MetricType = prometheus.MetricMetadata.MetricType;
export type MetricType = prometheus.MetricMetadata.MetricType;

/** The 64-bit integer class the generated code reads and writes (long.js's Long). */
export type Long = NonNullable<SpanProperties['startTimeUnixNano']>;

const TWO_32 = 1n << 32n;

/** Converts to Long, wrapping to 64 bits (two's complement for negatives when signed). */
export function toLong(value: bigint, unsigned: boolean): Long {
  const bits = BigInt.asUintN(64, value);
  const lo = Number(bits % TWO_32);
  const hi = Number(bits / TWO_32);
  // LongBits.toLong builds a long.js Long whenever protobufjs has it (it depends on it); the cast
  // bridges protobufjs's structural Long interface and long.js's class in the generated types.
  return new protobuf.util.LongBits(lo, hi).toLong(unsigned) as unknown as Long;
}

/**
 * The exact value of a 64-bit field as the generated code holds it: a Long, a plain number, or
 * absent (nested messages are typed as property bags), which is the proto default 0.
 */
export function fromLong(value: Long | number | null | undefined, unsigned: boolean): bigint {
  if (value === null || value === undefined) return 0n;
  if (typeof value === 'number') return BigInt(value);
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return unsigned ? bits : BigInt.asIntN(64, bits);
}
