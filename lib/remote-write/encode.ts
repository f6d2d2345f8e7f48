// prometheus.WriteRequest (remote write 1.0) written field by field with protobufjs' Writer rather
// than through generated message objects: collection output is already shaped like prompb, so
// building an object graph per series would only cost time (see bench/remote-write.ts). Field
// numbers follow proto/prometheus/remote.proto; the generated decoder reads these bytes back in tests.

import protobuf from 'protobufjs/minimal.js';
import type {
  CollectedExemplar,
  CollectedSeries,
  NativeHistogramSample,
  Sample,
  BucketSpan,
} from '../series/collected.ts';
import type { Label, Labels } from '../series/types.ts';
import { compareUtf8 } from '../series/utf8.ts';
import { STALE_NAN_BITS } from '../series/stale.ts';

type Writer = protobuf.Writer;

// One writer each for requests and label fields, reused (encoding is synchronous): a fresh writer
// grows its buffer by doubling for every request. finish() returns a copy, so nothing handed out
// shares their buffers. reset() with no fork open goes back to the start.
const requestWriter = protobuf.Writer.create();
const labelWriter = protobuf.Writer.create();

// Tags: (field number << 3) | wire type (0 varint, 1 fixed64, 2 length-delimited).
const WRITE_REQUEST_TIMESERIES = (1 << 3) | 2;
const SERIES_LABELS = (1 << 3) | 2;
const SERIES_SAMPLES = (2 << 3) | 2;
const SERIES_EXEMPLARS = (3 << 3) | 2;
const SERIES_HISTOGRAMS = (4 << 3) | 2;
const LABEL_NAME = (1 << 3) | 2;
const LABEL_VALUE = (2 << 3) | 2;
const SAMPLE_VALUE = (1 << 3) | 1;
const SAMPLE_TIMESTAMP = (2 << 3) | 0;
const EXEMPLAR_LABELS = (1 << 3) | 2;
const EXEMPLAR_VALUE = (2 << 3) | 1;
const EXEMPLAR_TIMESTAMP = (3 << 3) | 0;
const HISTOGRAM_COUNT_INT = (1 << 3) | 0;
const HISTOGRAM_SUM = (3 << 3) | 1;
const HISTOGRAM_SCHEMA = (4 << 3) | 0;
const HISTOGRAM_ZERO_THRESHOLD = (5 << 3) | 1;
const HISTOGRAM_ZERO_COUNT_INT = (6 << 3) | 0;
const HISTOGRAM_NEGATIVE_SPANS = (8 << 3) | 2;
const HISTOGRAM_NEGATIVE_DELTAS = (9 << 3) | 2;
const HISTOGRAM_POSITIVE_SPANS = (11 << 3) | 2;
const HISTOGRAM_POSITIVE_DELTAS = (12 << 3) | 2;
const HISTOGRAM_TIMESTAMP = (15 << 3) | 0;
const SPAN_OFFSET = (1 << 3) | 0;
const SPAN_LENGTH = (2 << 3) | 0;

// The staleness marker as two little-endian 32-bit words: written as integers, its NaN payload
// cannot be quietened by any float conversion on the way.
const STALE_LOW_WORD = Number(STALE_NAN_BITS & 0xffffffffn);
const STALE_HIGH_WORD = Number(STALE_NAN_BITS >> 32n);

/**
 * Serialises one remote-write request. Labels are written in byte order of their names (sorted
 * here if the caller's are not) and labels with an empty value are left out, which is what an
 * empty value means to Prometheus. Callers should run validateSeries first: the encoder writes
 * whatever it is given.
 */
export function encodeWriteRequest(series: readonly CollectedSeries[]): Uint8Array {
  const w = requestWriter.reset();
  const timestamps = new TimestampCache();
  const labels = new LabelFieldCache();
  for (const s of series) {
    w.uint32(WRITE_REQUEST_TIMESERIES).fork();
    writeSeries(w, s, timestamps, labels);
    w.ldelim();
  }
  return w.finish();
}

function writeSeries(w: Writer, s: CollectedSeries, ts: TimestampCache, cache: LabelFieldCache): void {
  writeSeriesLabels(w, s.labels, cache);
  for (const sample of s.samples) {
    w.uint32(SERIES_SAMPLES).fork();
    writeSample(w, sample, ts);
    w.ldelim();
  }
  for (const e of s.exemplars) {
    w.uint32(SERIES_EXEMPLARS).fork();
    writeExemplar(w, e, ts);
    w.ldelim();
  }
  if (s.histograms !== undefined) {
    for (const h of s.histograms) {
      w.uint32(SERIES_HISTOGRAMS).fork();
      writeHistogram(w, h, ts);
      w.ldelim();
    }
  }
}

function writeLabels(w: Writer, tag: number, labels: Labels): void {
  const ordered = isSortedByName(labels) ? labels : labels.slice().sort(byName);
  for (const l of ordered) {
    if (l.value === '') continue;
    w.uint32(tag).fork();
    w.uint32(LABEL_NAME).string(l.name);
    w.uint32(LABEL_VALUE).string(l.value);
    w.ldelim();
  }
}

/** As writeLabels with SERIES_LABELS, each label's field copied from the cache. */
function writeSeriesLabels(w: Writer, labels: Labels, cache: LabelFieldCache): void {
  const ordered = isSortedByName(labels) ? labels : labels.slice().sort(byName);
  for (let i = 0; i < ordered.length; i++) {
    const l = ordered[i];
    if (l.value !== '') w.raw(cache.field(l));
  }
}

/**
 * The encoded `labels` field (tag, length, name, value) of each Label object seen in one request.
 * A collection hands out the same Label objects for every time series of a label set (its
 * labels, `__name__` per metric, `le` per bucket), so most labels of a request are a byte copy
 * instead of two UTF-8 encodings.
 */
class LabelFieldCache {
  private readonly fields = new Map<Label, Uint8Array>();

  field(l: Label): Uint8Array {
    let bytes = this.fields.get(l);
    if (bytes === undefined) {
      const sub = labelWriter.reset();
      sub.uint32(SERIES_LABELS).fork();
      sub.uint32(LABEL_NAME).string(l.name);
      sub.uint32(LABEL_VALUE).string(l.value);
      sub.ldelim();
      bytes = sub.finish();
      this.fields.set(l, bytes);
    }
    return bytes;
  }
}

function byName(a: Label, b: Label): number {
  return compareUtf8(a.name, b.name);
}

export function isSortedByName(labels: Labels): boolean {
  for (let i = 1; i < labels.length; i++) {
    if (compareUtf8(labels[i - 1].name, labels[i].name) > 0) return false;
  }
  return true;
}

function writeSample(w: Writer, s: Sample, ts: TimestampCache): void {
  if (s.stale === true) {
    w.uint32(SAMPLE_VALUE);
    w.fixed32(STALE_LOW_WORD);
    w.fixed32(STALE_HIGH_WORD);
  } else if (!isPositiveZero(s.value)) {
    w.uint32(SAMPLE_VALUE).double(s.value);
  }
  writeTimestamp(w, SAMPLE_TIMESTAMP, s.timestampMs, ts);
}

function writeExemplar(w: Writer, e: CollectedExemplar, ts: TimestampCache): void {
  writeLabels(w, EXEMPLAR_LABELS, e.labels);
  if (!isPositiveZero(e.value)) w.uint32(EXEMPLAR_VALUE).double(e.value);
  writeTimestamp(w, EXEMPLAR_TIMESTAMP, e.timestampMs, ts);
}

function writeHistogram(w: Writer, h: NativeHistogramSample, ts: TimestampCache): void {
  // The oneof members count_int / zero_count_int are always written: their presence is what marks
  // an integer histogram, even when the count is 0.
  w.uint32(HISTOGRAM_COUNT_INT);
  writeUnsignedVarint(w, h.count);
  if (!isPositiveZero(h.sum)) w.uint32(HISTOGRAM_SUM).double(h.sum);
  if (h.schema !== 0) w.uint32(HISTOGRAM_SCHEMA).sint32(h.schema);
  if (!isPositiveZero(h.zeroThreshold)) w.uint32(HISTOGRAM_ZERO_THRESHOLD).double(h.zeroThreshold);
  w.uint32(HISTOGRAM_ZERO_COUNT_INT);
  writeUnsignedVarint(w, h.zeroCount);
  writeSpans(w, HISTOGRAM_NEGATIVE_SPANS, h.negativeSpans);
  writeDeltas(w, HISTOGRAM_NEGATIVE_DELTAS, h.negativeDeltas);
  writeSpans(w, HISTOGRAM_POSITIVE_SPANS, h.positiveSpans);
  writeDeltas(w, HISTOGRAM_POSITIVE_DELTAS, h.positiveDeltas);
  writeTimestamp(w, HISTOGRAM_TIMESTAMP, h.timestampMs, ts);
}

function writeSpans(w: Writer, tag: number, spans: readonly BucketSpan[]): void {
  for (const span of spans) {
    w.uint32(tag).fork();
    if (span.offset !== 0) w.uint32(SPAN_OFFSET).sint32(span.offset);
    if (span.length !== 0) w.uint32(SPAN_LENGTH).uint32(span.length);
    w.ldelim();
  }
}

/** Packed sint64: zigzag varints behind one length prefix. */
function writeDeltas(w: Writer, tag: number, deltas: readonly number[]): void {
  if (deltas.length === 0) return;
  w.uint32(tag).fork();
  for (const d of deltas) {
    // sint32 and sint64 share the zigzag varint format; the 32-bit path avoids a LongBits per value.
    if (d >= -0x80000000 && d <= 0x7fffffff) w.sint32(d);
    else w.sint64(d);
  }
  w.ldelim();
}

function writeTimestamp(w: Writer, tag: number, ms: number, ts: TimestampCache): void {
  if (ms === 0) return;
  w.uint32(tag).raw(ts.varint(ms));
}

function isPositiveZero(v: number): boolean {
  return v === 0 && 1 / v > 0;
}

/** Non-negative integers below 2^32 take the allocation-free 32-bit path. */
function writeUnsignedVarint(w: Writer, v: number): void {
  if (v >= 0 && v <= 0xffffffff) w.uint32(v);
  else w.uint64(v);
}

/**
 * int64 varint bytes of the last two timestamps. One collection stamps almost every sample with
 * the same millisecond, and a series' initial zero with one other, so this turns the 64-bit
 * varint into a cached byte copy (one slot alone would alternate between the two).
 */
class TimestampCache {
  private ms0 = Number.NaN;
  private bytes0: Uint8Array = new Uint8Array(0);
  private ms1 = Number.NaN;
  private bytes1: Uint8Array = new Uint8Array(0);

  varint(ms: number): Uint8Array {
    if (ms === this.ms0) return this.bytes0;
    if (ms !== this.ms1) {
      this.ms1 = ms;
      this.bytes1 = int64Varint(ms);
    }
    // the newest hit moves to the first slot, the other stays for the next alternation
    const bytes = this.bytes1;
    this.ms1 = this.ms0;
    this.bytes1 = this.bytes0;
    this.ms0 = ms;
    this.bytes0 = bytes;
    return bytes;
  }
}

function int64Varint(ms: number): Uint8Array {
  // Two's complement over 64 bits, as protobuf's int64 wants (negative timestamps take 10 bytes).
  let v = BigInt.asUintN(64, BigInt(Math.trunc(ms)));
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}
