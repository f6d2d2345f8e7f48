// One series of a registry snapshot as one record of the binary state format. Field names are
// not written (the record kind fixes the layout); repeated strings such as metric and label
// names are left to the chunk compression. Each metric type has its record kind and its body
// (SERIES_RECORDS); every record starts with the same flags byte, name, labels and last update.

import type { ClassicSnapshot, ExemplarSnapshot, NativeSnapshot, SeriesSnapshot } from '../series/registry-state.ts';
import type { Label } from '../series/types.ts';
import { type ByteReader, type ByteWriter, StateFormatError } from './state-bytes.ts';

/** Bits of a series record's flags byte; `flag` is a counter's zeroSent and a gauge's sent. */
const SERIES = { overflow: 1, flag: 2, classic: 4, native: 8 } as const;
const CLASSIC = { zeroSent: 1, exemplars: 2, sameBounds: 4 } as const;
const NATIVE = { zeroSent: 1, resetScheduled: 2, exemplar: 4 } as const;

/** How one metric type's series is written after the common fields, and read back. */
interface SeriesRecord<P extends SeriesSnapshot> {
  /** The record kind byte. */
  readonly kind: number;
  /** The type's own bits of the flags byte. */
  flags(s: P): number;
  write(w: ByteWriter, s: P): void;
  /** The rest of the record, into one object literal (no spread: decoding a state reads 1M of them). */
  read(r: ByteReader, flags: number, name: string, labels: Label[], lastUpdatedMs: number, overflow: boolean): P;
}

type SeriesRecords = { readonly [T in SeriesSnapshot['type']]: SeriesRecord<Extract<SeriesSnapshot, { type: T }>> };

const SERIES_RECORDS: SeriesRecords = {
  counter: {
    kind: 0x10,
    flags: (s) => (s.zeroSent ? SERIES.flag : 0),
    write: (w, s) => w.num(s.value),
    read: (r, flags, name, labels, lastUpdatedMs, overflow) => ({
      type: 'counter',
      name,
      labels,
      lastUpdatedMs,
      overflow,
      value: r.num(),
      zeroSent: (flags & SERIES.flag) !== 0,
    }),
  },
  gauge: {
    kind: 0x11,
    flags: (s) => (s.sent ? SERIES.flag : 0),
    write: (w, s) => w.num(s.value),
    read: (r, flags, name, labels, lastUpdatedMs, overflow) => ({
      type: 'gauge',
      name,
      labels,
      lastUpdatedMs,
      overflow,
      value: r.num(),
      sent: (flags & SERIES.flag) !== 0,
    }),
  },
  histogram: {
    kind: 0x12,
    flags: (s) => (s.classic !== null ? SERIES.classic : 0) | (s.native !== null ? SERIES.native : 0),
    write(w, s) {
      if (s.classic !== null) writeClassic(w, s.classic);
      if (s.native !== null) writeNative(w, s.native);
    },
    read(r, flags, name, labels, lastUpdatedMs, overflow) {
      const classic = (flags & SERIES.classic) !== 0 ? readClassic(r) : null;
      const native = (flags & SERIES.native) !== 0 ? readNative(r) : null;
      return { type: 'histogram', name, labels, lastUpdatedMs, overflow, classic, native };
    },
  },
};

const RECORD_OF_KIND = new Map<number, SeriesRecord<SeriesSnapshot>>(
  Object.values(SERIES_RECORDS).map((record: SeriesRecord<SeriesSnapshot>) => [record.kind, record]),
);

/** True if records of kind `kind` are series (read them with readSeries). */
export function isSeriesRecord(kind: number): boolean {
  return RECORD_OF_KIND.has(kind);
}

export function writeSeries(w: ByteWriter, s: SeriesSnapshot): void {
  const record = SERIES_RECORDS[s.type] as SeriesRecord<SeriesSnapshot>;
  w.byte(record.kind);
  w.byte(record.flags(s) | (s.overflow ? SERIES.overflow : 0));
  w.sstr(s.name);
  w.uvarint(s.labels.length);
  for (const l of s.labels) {
    w.sstr(l.name);
    w.sstr(l.value);
  }
  w.num(s.lastUpdatedMs);
  record.write(w, s);
}

/** The series of a record whose kind byte `kind` was just read. */
export function readSeries(r: ByteReader, kind: number): SeriesSnapshot {
  const record = RECORD_OF_KIND.get(kind);
  if (record === undefined) throw new StateFormatError(`record kind ${kind} is not a series`);
  const flags = r.byte();
  const name = r.sstr();
  const labels = readLabels(r);
  const lastUpdatedMs = r.num();
  return record.read(r, flags, name, labels, lastUpdatedMs, (flags & SERIES.overflow) !== 0);
}

function readLabels(r: ByteReader): Label[] {
  const n = r.count();
  const labels: Label[] = new Array(n);
  for (let i = 0; i < n; i++) labels[i] = { name: r.sstr(), value: r.sstr() };
  return labels;
}

function writeNumbers(w: ByteWriter, xs: readonly number[]): void {
  w.uvarint(xs.length);
  for (const x of xs) w.num(x);
}

function readNumbers(r: ByteReader): number[] {
  const n = r.count();
  const xs: number[] = new Array(n);
  for (let i = 0; i < n; i++) xs[i] = r.num();
  return xs;
}

function writeExemplar(w: ByteWriter, e: ExemplarSnapshot): void {
  w.str(e.traceId);
  w.num(e.value);
}

function readExemplar(r: ByteReader): ExemplarSnapshot {
  return { traceId: r.str(), value: r.num() };
}

function writeClassic(w: ByteWriter, c: ClassicSnapshot): void {
  // exemplars only appear in snapshots restored from a state saved with them
  const exemplars = c.exemplars?.some((e) => e !== null && e !== undefined) === true ? c.exemplars : undefined;
  const same = sameNumbers(w.lastBounds, c.bounds);
  w.byte(
    (c.zeroSent ? CLASSIC.zeroSent : 0) |
      (exemplars !== undefined ? CLASSIC.exemplars : 0) |
      (same ? CLASSIC.sameBounds : 0),
  );
  if (!same) {
    writeNumbers(w, c.bounds);
    w.lastBounds = c.bounds;
  }
  writeNumbers(w, c.counts);
  w.num(c.sum);
  w.num(c.count);
  if (exemplars !== undefined) {
    w.uvarint(exemplars.length);
    for (const e of exemplars) {
      w.bool(e !== null && e !== undefined);
      if (e !== null && e !== undefined) writeExemplar(w, e);
    }
  }
}

function readClassic(r: ByteReader): ClassicSnapshot {
  const flags = r.byte();
  let bounds: number[];
  if ((flags & CLASSIC.sameBounds) !== 0) {
    if (r.lastBounds === undefined) throw new StateFormatError('repeated histogram bounds before any');
    bounds = [...r.lastBounds];
  } else {
    bounds = readNumbers(r);
    r.lastBounds = bounds;
  }
  const c: ClassicSnapshot = {
    bounds,
    counts: readNumbers(r),
    sum: r.num(),
    count: r.num(),
    zeroSent: (flags & CLASSIC.zeroSent) !== 0,
  };
  if ((flags & CLASSIC.exemplars) !== 0) {
    const n = r.count();
    const exemplars: (ExemplarSnapshot | null)[] = new Array(n);
    for (let i = 0; i < n; i++) exemplars[i] = r.bool() ? readExemplar(r) : null;
    c.exemplars = exemplars;
  }
  return c;
}

function writeBuckets(w: ByteWriter, buckets: readonly [number, number][]): void {
  w.uvarint(buckets.length);
  for (const [index, count] of buckets) {
    w.num(index);
    w.num(count);
  }
}

function readBuckets(r: ByteReader): [number, number][] {
  const n = r.count();
  const out: [number, number][] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = [r.num(), r.num()];
  return out;
}

function writeNative(w: ByteWriter, n: NativeSnapshot): void {
  const exemplar = n.exemplar ?? undefined;
  w.byte(
    (n.zeroSent ? NATIVE.zeroSent : 0) |
      (n.resetScheduled ? NATIVE.resetScheduled : 0) |
      (exemplar !== undefined ? NATIVE.exemplar : 0),
  );
  w.num(n.schema);
  w.num(n.zeroThreshold);
  w.num(n.zeroCount);
  writeBuckets(w, n.positive);
  writeBuckets(w, n.negative);
  w.num(n.count);
  w.num(n.sum);
  w.num(n.lastResetMs);
  w.sstr(n.configKey);
  if (exemplar !== undefined) writeExemplar(w, exemplar);
}

function readNative(r: ByteReader): NativeSnapshot {
  const flags = r.byte();
  const n: NativeSnapshot = {
    schema: r.num(),
    zeroThreshold: r.num(),
    zeroCount: r.num(),
    positive: readBuckets(r),
    negative: readBuckets(r),
    count: r.num(),
    sum: r.num(),
    lastResetMs: r.num(),
    configKey: r.sstr(),
    resetScheduled: (flags & NATIVE.resetScheduled) !== 0,
    zeroSent: (flags & NATIVE.zeroSent) !== 0,
  };
  if ((flags & NATIVE.exemplar) !== 0) n.exemplar = readExemplar(r);
  return n;
}

function sameNumbers(a: readonly number[] | undefined, b: readonly number[]): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
