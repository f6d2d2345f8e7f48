// DeltaContent -> uncompressed payload (layout in payload-format.ts). One pass; dictionaries are
// Maps and hashed sequence tables keyed by reference numbers, so a repeated label set costs one lookup.

import { seriesKey } from '../series/labels.ts';
import { DEFAULT_ZERO_THRESHOLD } from '../series/native-buckets.ts';
import type {
  ClassicHistogramIncrement,
  HistogramIncrement,
  Labels,
  NativeHistogramIncrement,
  SeriesIncrement,
} from '../series/types.ts';
import type { DeltaContent } from './types.ts';
import { FieldEncoder } from './field-coder.ts';
import {
  CLASSIC_EXEMPLARS,
  HAS_CLASSIC,
  HAS_NATIVE,
  NATIVE_DEFAULT_ZERO,
  NATIVE_EXEMPLAR,
  TYPE_COUNTER,
  TYPE_GAUGE_SET,
  TYPE_GAUGE_SET_IF_ABSENT,
  TYPE_HISTOGRAM,
  boundsKey,
} from './payload-format.ts';
import { encodeDroppedSide } from './records/dropped-side.ts';
import { encodeHalf } from './records/edge-half.ts';
import { encodeHeader } from './records/header.ts';
import { encodeReceived } from './records/received.ts';
import { SequenceTable, pairKey } from './sequence-table.ts';
import { boundsProblem, incrementProblem } from './validate.ts';
import type { ByteWriter } from './writer.ts';

/** Appends the payload of `content` to `w`. Throws RangeError for increments the registry would reject. */
export function encodePayload(content: DeltaContent, w: ByteWriter): void {
  new PayloadEncoder(w).content(content);
}

function compareNumbers(a: number, b: number): number {
  return a - b;
}

class PayloadEncoder extends FieldEncoder {
  private readonly nameLists = new SequenceTable();
  private readonly boundsById = new Map<readonly number[], number>();
  private readonly boundsByKey = new Map<string, number>();
  // per tenant
  private labelSetById = new Map<Labels, number>();
  private labelSets = new SequenceTable();
  private lastLabels: Labels | undefined = undefined;
  private lastLabelSet = -1;
  // scratch, reused
  private readonly pairKeys: number[] = [];
  private readonly nameKeys: number[] = [];
  private readonly valueKeys: number[] = [];
  private readonly bucketKeys: number[] = [];

  content(c: DeltaContent): void {
    const w = this.w;
    encodeHeader(this, c);
    w.varint(c.tenants.length);
    for (const t of c.tenants) {
      this.str(t.tenant);
      this.labelSetById = new Map();
      this.labelSets = new SequenceTable();
      this.lastLabels = undefined;
      w.varint(t.increments.length);
      for (const inc of t.increments) this.series(inc);
      const halves = t.edgeHalves ?? [];
      w.varint(halves.length);
      for (const h of halves) encodeHalf(this, h);
      const dropped = t.droppedSides ?? [];
      w.varint(dropped.length);
      for (const d of dropped) encodeDroppedSide(this, d);
      encodeReceived(this, t.received);
    }
  }

  private series(inc: SeriesIncrement): void {
    const problem = incrementProblem(inc);
    if (problem !== undefined) throw new RangeError(`delta encode: ${problem}`);
    const w = this.w;
    switch (inc.type) {
      case 'counter':
        w.byte(TYPE_COUNTER);
        this.str(inc.name);
        this.labelSet(inc.labels);
        w.number(inc.value);
        return;
      case 'gauge':
        w.byte(inc.mode === 'setIfAbsent' ? TYPE_GAUGE_SET_IF_ABSENT : TYPE_GAUGE_SET);
        this.str(inc.name);
        this.labelSet(inc.labels);
        w.number(inc.value);
        return;
      case 'histogram':
        w.byte(histogramFlags(inc));
        this.str(inc.name);
        this.labelSet(inc.labels);
        if (inc.classic !== undefined) this.classic(inc, inc.classic);
        if (inc.native !== undefined) this.native(inc.native);
        return;
    }
  }

  private labelSet(labels: Labels): void {
    // Processors emit a tuple's metrics back to back with one label array: skip the Map then.
    let id = labels === this.lastLabels ? this.lastLabelSet : this.labelSetById.get(labels);
    if (id !== undefined) {
      this.w.varint(this.labelSets.size - id);
      this.lastLabels = labels;
      this.lastLabelSet = id;
      return;
    }
    // Another array with the same content? Only possible if all its strings are known already.
    const n = labels.length;
    const names = this.nameKeys;
    const values = this.valueKeys;
    let known = true;
    for (let i = 0; i < n; i++) {
      const nr = this.strings.get(labels[i].name);
      const vr = this.strings.get(labels[i].value);
      names[i] = nr ?? -1;
      values[i] = vr ?? -1;
      if (nr === undefined || vr === undefined) known = false;
    }
    if (known) {
      const keys = this.pairKeys;
      for (let i = 0; i < n; i++) keys[i] = pairKey(names[i], values[i]);
      id = this.labelSets.find(keys, n);
      if (id >= 0) {
        this.labelSetById.set(labels, id);
        this.w.varint(this.labelSets.size - id);
        return;
      }
    }
    this.w.varint(0);
    this.nameList(labels, names);
    for (let i = 0; i < n; i++) values[i] = values[i] >= 0 ? this.knownStr(values[i]) : this.str(labels[i].value);
    const keys = this.pairKeys;
    for (let i = 0; i < n; i++) keys[i] = pairKey(names[i], values[i]);
    id = this.labelSets.add(keys, n);
    this.labelSetById.set(labels, id);
    this.lastLabels = labels;
    this.lastLabelSet = id;
  }

  /**
   * Writes the label-name list; `names` holds each name's string ref or -1 when new, and holds
   * every ref afterwards.
   */
  private nameList(labels: Labels, names: number[]): void {
    const n = labels.length;
    let known = true;
    for (let i = 0; i < n && known; i++) if (names[i] < 0) known = false;
    const id = known ? this.nameLists.find(names, n) : -1;
    if (id >= 0) {
      this.w.varint(id + 1);
      return;
    }
    this.w.varint(0);
    this.w.varint(n);
    for (let i = 0; i < n; i++) names[i] = names[i] >= 0 ? this.knownStr(names[i]) : this.str(labels[i].name);
    this.nameLists.add(names, n);
  }

  private bounds(inc: HistogramIncrement, bounds: readonly number[]): void {
    let id = this.boundsById.get(bounds);
    if (id === undefined) {
      const key = boundsKey(bounds);
      id = this.boundsByKey.get(key);
      if (id === undefined) {
        const problem = boundsProblem(bounds);
        if (problem !== undefined)
          throw new RangeError(`delta encode: histogram ${seriesKey(inc.name, inc.labels)}: ${problem}`);
        id = this.boundsByKey.size;
        this.boundsByKey.set(key, id);
        this.boundsById.set(bounds, id);
        this.w.varint(0);
        this.w.varint(bounds.length);
        for (let i = 0; i < bounds.length; i++) this.w.number(bounds[i]);
        return;
      }
      this.boundsById.set(bounds, id);
    }
    this.w.varint(id + 1);
  }

  private classic(inc: HistogramIncrement, c: ClassicHistogramIncrement): void {
    const w = this.w;
    this.bounds(inc, c.bounds);
    const counts = c.counts;
    const n = counts.length;
    w.ensure((n + 7) >> 3);
    for (let base = 0; base < n; base += 8) {
      let bits = 0;
      for (let i = base; i < n && i < base + 8; i++) {
        const v = counts[i];
        if (v !== 0 || 1 / v < 0) bits |= 1 << (i - base);
      }
      w.buf[w.pos++] = bits;
    }
    for (let i = 0; i < n; i++) {
      const v = counts[i];
      if (v !== 0 || 1 / v < 0) w.number(v);
    }
    w.number(c.sum);
    w.number(c.count);
    const ex = c.exemplars;
    if (!hasExemplar(ex)) return;
    w.ensure((n + 7) >> 3);
    for (let base = 0; base < n; base += 8) {
      let bits = 0;
      for (let i = base; i < n && i < base + 8; i++) if (ex[i] !== undefined) bits |= 1 << (i - base);
      w.buf[w.pos++] = bits;
    }
    for (let i = 0; i < ex.length; i++) {
      const e = ex[i];
      if (e === undefined) continue;
      this.str(e.traceId);
      w.number(e.value);
    }
  }

  private native(h: NativeHistogramIncrement): void {
    const w = this.w;
    w.signedVarint(h.schema);
    if (!Object.is(h.zeroThreshold, DEFAULT_ZERO_THRESHOLD)) w.number(h.zeroThreshold);
    w.number(h.zeroCount);
    w.number(h.count);
    w.number(h.sum);
    this.buckets(h.positive);
    this.buckets(h.negative);
    if (h.exemplar !== undefined) {
      this.str(h.exemplar.traceId);
      w.number(h.exemplar.value);
    }
  }

  private buckets(m: ReadonlyMap<number, number>): void {
    const w = this.w;
    const n = m.size;
    w.varint(n);
    if (n === 0) return;
    const keys = this.bucketKeys;
    keys.length = n;
    let k = 0;
    let sorted = true;
    for (const i of m.keys()) {
      if (k > 0 && i < keys[k - 1]) sorted = false;
      keys[k++] = i;
    }
    if (!sorted) keys.sort(compareNumbers);
    w.signedVarint(keys[0]);
    w.number(m.get(keys[0])!);
    for (let j = 1; j < n; j++) {
      w.varint(keys[j] - keys[j - 1] - 1);
      w.number(m.get(keys[j])!);
    }
  }
}

function hasExemplar(ex: ClassicHistogramIncrement['exemplars']): boolean {
  for (let i = 0; i < ex.length; i++) if (ex[i] !== undefined) return true;
  return false;
}

function histogramFlags(inc: HistogramIncrement): number {
  let flags = TYPE_HISTOGRAM;
  if (inc.classic !== undefined) {
    flags |= HAS_CLASSIC;
    if (hasExemplar(inc.classic.exemplars)) flags |= CLASSIC_EXEMPLARS;
  }
  const h = inc.native;
  if (h !== undefined) {
    flags |= HAS_NATIVE;
    if (h.exemplar !== undefined) flags |= NATIVE_EXEMPLAR;
    if (Object.is(h.zeroThreshold, DEFAULT_ZERO_THRESHOLD)) flags |= NATIVE_DEFAULT_ZERO;
  }
  return flags;
}
