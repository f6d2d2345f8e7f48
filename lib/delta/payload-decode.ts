// Uncompressed payload -> DeltaContent (layout in payload-format.ts). Strict: every reference must
// point backwards, every dictionary entry must be new, every value must be in its canonical form
// and every increment must be one the registry accepts; otherwise DeltaFormatError. Label arrays,
// Label objects and bounds arrays are shared between the increments that reference them.

import type { DroppedSideHalf, EdgeHalf } from '../servicegraph-model/half.ts';
import { DEFAULT_ZERO_THRESHOLD } from '../series/native-buckets.ts';
import type {
  ClassicHistogramIncrement,
  Exemplar,
  HistogramIncrement,
  Label,
  Labels,
  NativeHistogramIncrement,
  SeriesIncrement,
} from '../series/types.ts';
import { ByteReader } from './reader.ts';
import { sharedBoundsFor } from './shared-bounds.ts';
import { DeltaFormatError } from './errors.ts';
import { FieldDecoder } from './field-coder.ts';
import {
  CLASSIC_EXEMPLARS,
  HAS_CLASSIC,
  HAS_NATIVE,
  HISTOGRAM_FLAGS,
  NATIVE_DEFAULT_ZERO,
  NATIVE_EXEMPLAR,
  TYPE_COUNTER,
  TYPE_GAUGE_SET,
  TYPE_GAUGE_SET_IF_ABSENT,
  TYPE_MASK,
  boundsKey,
} from './payload-format.ts';
import { DROPPED_SIDE, decodeDroppedSide } from './records/dropped-side.ts';
import { decodeHalf, EDGE_HALF } from './records/edge-half.ts';
import { decodeHeader } from './records/header.ts';
import { decodeReceived } from './records/received.ts';
import { MAX_DICTIONARY_SIZE, SequenceTable, pairKey } from './sequence-table.ts';
import type { DeltaContent, TenantDelta } from './types.ts';
import { MAX_NATIVE_INDEX, boundsProblem, incrementProblem } from './validate.ts';

/** Decodes the payload in bytes[start, end); it must use every byte. */
export function decodePayload(bytes: Uint8Array, start = 0, end = bytes.length, version = 3): DeltaContent {
  return new PayloadDecoder(new ByteReader(bytes, start, end), version).content();
}

class PayloadDecoder extends FieldDecoder {
  private readonly nameLists: number[][] = [];
  private readonly nameListTable = new SequenceTable();
  private readonly boundsLists: (readonly number[])[] = [];
  private readonly boundsKeys = new Set<string>();
  private readonly labels = new Map<number, Label>();
  // per tenant
  private labelSets: Labels[] = [];
  private labelSetTable = new SequenceTable();
  private readonly pairKeys: number[] = [];

  constructor(
    r: ByteReader,
    private readonly version: number,
  ) {
    super(r);
  }

  content(): DeltaContent {
    const r = this.r;
    const header = decodeHeader(this);
    const tenantCount = r.count(2, 'tenant');
    const tenants: TenantDelta[] = [];
    for (let t = 0; t < tenantCount; t++) {
      const tenant = this.str();
      this.labelSets = [];
      this.labelSetTable = new SequenceTable();
      const n = r.count(3, 'series');
      const increments: SeriesIncrement[] = new Array(n);
      for (let i = 0; i < n; i++) increments[i] = this.series();
      if (this.version < 2) {
        tenants.push({ tenant, increments });
        continue;
      }
      const halfCount = EDGE_HALF.decodeCount(this);
      const edgeHalves: EdgeHalf[] = new Array(halfCount);
      for (let i = 0; i < halfCount; i++) edgeHalves[i] = decodeHalf(this);
      const droppedCount = DROPPED_SIDE.decodeCount(this);
      const droppedSides: DroppedSideHalf[] = new Array(droppedCount);
      for (let i = 0; i < droppedCount; i++) droppedSides[i] = decodeDroppedSide(this);
      const received = this.version >= 3 ? decodeReceived(this) : undefined;
      const td: TenantDelta =
        halfCount + droppedCount > 0 ? { tenant, increments, edgeHalves, droppedSides } : { tenant, increments };
      tenants.push(received === undefined ? td : { ...td, received });
    }
    this.finish();
    return { ...header, tenants };
  }

  private nameList(): number[] {
    const r = this.r.varint();
    if (r === 0) {
      const n = this.r.count(1, 'label name');
      const refs: number[] = new Array(n);
      for (let i = 0; i < n; i++) refs[i] = this.strRef();
      if (this.nameListTable.add(refs, n) < 0) this.r.fail('label name list introduced twice');
      this.nameLists.push(refs);
      return refs;
    }
    if (r > this.nameLists.length) this.r.fail(`label name list reference ${r} beyond ${this.nameLists.length}`);
    return this.nameLists[r - 1];
  }

  private labelSet(): Labels {
    const r = this.r.varint();
    const sets = this.labelSets;
    if (r !== 0) {
      if (r > sets.length) this.r.fail(`label set reference ${r} beyond ${sets.length}`);
      return sets[sets.length - r];
    }
    const names = this.nameList();
    const n = names.length;
    const keys = this.pairKeys;
    const out: Label[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const key = pairKey(names[i], this.strRef());
      keys[i] = key;
      let label = this.labels.get(key);
      if (label === undefined) {
        label = { name: this.strings[names[i]], value: this.strings[key % MAX_DICTIONARY_SIZE] };
        this.labels.set(key, label);
      }
      out[i] = label;
    }
    if (this.labelSetTable.add(keys, n) < 0) this.r.fail('label set introduced twice');
    sets.push(out);
    return out;
  }

  private bounds(): readonly number[] {
    const r = this.r;
    const ref = r.varint();
    if (ref !== 0) {
      if (ref > this.boundsLists.length) r.fail(`bounds reference ${ref} beyond ${this.boundsLists.length}`);
      return this.boundsLists[ref - 1];
    }
    const n = r.count(1, 'bound');
    const bounds: number[] = new Array(n);
    for (let i = 0; i < n; i++) bounds[i] = r.number();
    const problem = boundsProblem(bounds);
    if (problem !== undefined) r.fail(problem);
    const key = boundsKey(bounds);
    if (this.boundsKeys.has(key)) r.fail('bounds list introduced twice');
    this.boundsKeys.add(key);
    const shared = sharedBoundsFor(key, bounds);
    this.boundsLists.push(shared);
    return shared;
  }

  private series(): SeriesIncrement {
    const r = this.r;
    const flags = r.byte();
    const type = flags & TYPE_MASK;
    const name = this.str();
    const labels = this.labelSet();
    let inc: SeriesIncrement;
    if (type === TYPE_COUNTER || type === TYPE_GAUGE_SET || type === TYPE_GAUGE_SET_IF_ABSENT) {
      if (flags !== type) r.fail(`flags ${flags} on a counter or gauge`);
      const value = r.number();
      inc =
        type === TYPE_COUNTER
          ? { type: 'counter', name, labels, value }
          : { type: 'gauge', name, labels, value, mode: type === TYPE_GAUGE_SET ? 'set' : 'setIfAbsent' };
    } else {
      if ((flags & ~HISTOGRAM_FLAGS) !== 0) r.fail(`unknown histogram flags ${flags}`);
      const classic = (flags & HAS_CLASSIC) !== 0;
      const native = (flags & HAS_NATIVE) !== 0;
      if (!classic && (flags & CLASSIC_EXEMPLARS) !== 0) r.fail('classic exemplars without a classic part');
      if (!native && (flags & (NATIVE_EXEMPLAR | NATIVE_DEFAULT_ZERO)) !== 0)
        r.fail('native flags without a native part');
      const h: HistogramIncrement = { type: 'histogram', name, labels };
      if (classic) h.classic = this.classic((flags & CLASSIC_EXEMPLARS) !== 0);
      if (native) h.native = this.native(flags);
      inc = h;
    }
    const problem = incrementProblem(inc);
    if (problem !== undefined) throw new DeltaFormatError(problem);
    return inc;
  }

  private classic(withExemplars: boolean): ClassicHistogramIncrement {
    const r = this.r;
    const bounds = this.bounds();
    const n = bounds.length + 1;
    const present = this.bitmap(n, 'bucket');
    const counts: number[] = new Array(n);
    for (let i = 0; i < n; i++) {
      if (((present[i >> 3] >> (i & 7)) & 1) === 0) {
        counts[i] = 0;
        continue;
      }
      const v = r.number();
      if (v === 0 && 1 / v > 0) r.fail('zero bucket count written explicitly');
      counts[i] = v;
    }
    const sum = r.number();
    const count = r.number();
    const exemplars: (Exemplar | undefined)[] = new Array(n).fill(undefined);
    if (withExemplars) {
      const has = this.bitmap(n, 'exemplar');
      let any = false;
      for (let i = 0; i < n; i++) {
        if (((has[i >> 3] >> (i & 7)) & 1) === 0) continue;
        any = true;
        const traceId = this.str();
        exemplars[i] = { traceId, value: r.number() };
      }
      if (!any) r.fail('exemplar flag without exemplars');
    }
    return { bounds, counts, sum, count, exemplars };
  }

  /** A bitmap of n bits (a view of the input); padding bits must be zero. */
  private bitmap(n: number, what: string): Uint8Array {
    const r = this.r;
    const bytes = (n + 7) >> 3;
    if (bytes > r.remaining) r.fail(`truncated ${what} bitmap`);
    const view = r.buf.subarray(r.pos, r.pos + bytes);
    if ((n & 7) !== 0 && view[bytes - 1] >> (n & 7) !== 0) r.fail(`${what} bitmap padding set`);
    r.pos += bytes;
    return view;
  }

  private native(flags: number): NativeHistogramIncrement {
    const r = this.r;
    const schema = r.signedVarint();
    let zeroThreshold = DEFAULT_ZERO_THRESHOLD;
    if ((flags & NATIVE_DEFAULT_ZERO) === 0) {
      zeroThreshold = r.number();
      if (zeroThreshold === DEFAULT_ZERO_THRESHOLD) r.fail('default zero threshold written explicitly');
    }
    const zeroCount = r.number();
    const count = r.number();
    const sum = r.number();
    const positive = this.buckets();
    const negative = this.buckets();
    const h: NativeHistogramIncrement = { schema, zeroThreshold, zeroCount, positive, negative, count, sum };
    if ((flags & NATIVE_EXEMPLAR) !== 0) {
      const traceId = this.str();
      h.exemplar = { traceId, value: r.number() };
    }
    return h;
  }

  private buckets(): Map<number, number> {
    const r = this.r;
    const n = r.count(2, 'native bucket');
    const m = new Map<number, number>();
    if (n === 0) return m;
    let index = r.signedVarint();
    if (Math.abs(index) > MAX_NATIVE_INDEX) r.fail(`native bucket index ${index}`);
    m.set(index, r.number());
    for (let j = 1; j < n; j++) {
      index += r.varint() + 1;
      if (index > MAX_NATIVE_INDEX) r.fail(`native bucket index ${index}`);
      m.set(index, r.number());
    }
    return m;
  }
}
