// One series of a registry snapshot as one record of the binary state format. Field names are
// not written (the record kind fixes the layout); repeated strings such as metric and label
// names are left to the chunk compression.

import type { ClassicSnapshot, ExemplarSnapshot, NativeSnapshot, SeriesSnapshot } from '../series/registry-state.ts';
import type { Label } from '../series/types.ts';
import { type ByteReader, type ByteWriter, StateFormatError } from './state-bytes.ts';

export const REC_COUNTER = 0x10;
export const REC_GAUGE = 0x11;
export const REC_HISTOGRAM = 0x12;

const F_OVERFLOW = 1;
const F_FLAG = 2; // counter: zeroSent; gauge: sent
const F_CLASSIC = 4;
const F_NATIVE = 8;

const C_ZERO_SENT = 1;
const C_EXEMPLARS = 2;
const C_SAME_BOUNDS = 4;
const N_ZERO_SENT = 1;
const N_RESET_SCHEDULED = 2;
const N_EXEMPLAR = 4;

export function writeSeries(w: ByteWriter, s: SeriesSnapshot): void {
  switch (s.type) {
    case 'counter':
      w.byte(REC_COUNTER);
      writeCommon(w, s, s.zeroSent ? F_FLAG : 0);
      w.num(s.value);
      return;
    case 'gauge':
      w.byte(REC_GAUGE);
      writeCommon(w, s, s.sent ? F_FLAG : 0);
      w.num(s.value);
      return;
    case 'histogram':
      w.byte(REC_HISTOGRAM);
      writeCommon(w, s, (s.classic !== null ? F_CLASSIC : 0) | (s.native !== null ? F_NATIVE : 0));
      if (s.classic !== null) writeClassic(w, s.classic);
      if (s.native !== null) writeNative(w, s.native);
      return;
  }
}

/** The series of a record whose kind byte `kind` was just read. */
export function readSeries(r: ByteReader, kind: number): SeriesSnapshot {
  const flags = r.byte();
  const name = r.sstr();
  const labels = readLabels(r);
  const lastUpdatedMs = r.num();
  const overflow = (flags & F_OVERFLOW) !== 0;
  switch (kind) {
    case REC_COUNTER:
      return {
        type: 'counter',
        name,
        labels,
        lastUpdatedMs,
        overflow,
        value: r.num(),
        zeroSent: (flags & F_FLAG) !== 0,
      };
    case REC_GAUGE:
      return { type: 'gauge', name, labels, lastUpdatedMs, overflow, value: r.num(), sent: (flags & F_FLAG) !== 0 };
    case REC_HISTOGRAM: {
      const classic = (flags & F_CLASSIC) !== 0 ? readClassic(r) : null;
      const native = (flags & F_NATIVE) !== 0 ? readNative(r) : null;
      return { type: 'histogram', name, labels, lastUpdatedMs, overflow, classic, native };
    }
    default:
      throw new StateFormatError(`record kind ${kind} is not a series`);
  }
}

function writeCommon(w: ByteWriter, s: SeriesSnapshot, flags: number): void {
  w.byte(flags | (s.overflow ? F_OVERFLOW : 0));
  w.sstr(s.name);
  w.uvarint(s.labels.length);
  for (const l of s.labels) {
    w.sstr(l.name);
    w.sstr(l.value);
  }
  w.num(s.lastUpdatedMs);
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
  w.byte((c.zeroSent ? C_ZERO_SENT : 0) | (exemplars !== undefined ? C_EXEMPLARS : 0) | (same ? C_SAME_BOUNDS : 0));
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
  if ((flags & C_SAME_BOUNDS) !== 0) {
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
    zeroSent: (flags & C_ZERO_SENT) !== 0,
  };
  if ((flags & C_EXEMPLARS) !== 0) {
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
    (n.zeroSent ? N_ZERO_SENT : 0) |
      (n.resetScheduled ? N_RESET_SCHEDULED : 0) |
      (exemplar !== undefined ? N_EXEMPLAR : 0),
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
    resetScheduled: (flags & N_RESET_SCHEDULED) !== 0,
    zeroSent: (flags & N_ZERO_SENT) !== 0,
  };
  if ((flags & N_EXEMPLAR) !== 0) n.exemplar = readExemplar(r);
  return n;
}

function sameNumbers(a: readonly number[] | undefined, b: readonly number[]): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}
