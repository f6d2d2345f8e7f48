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
import {
  HALF_FAILED,
  HALF_SERVER,
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
import { MAX_DICTIONARY_SIZE, SequenceTable, pairKey } from './sequence-table.ts';
import type { DeltaContent, TenantDelta } from './types.ts';
import { readReceived } from './payload-received.ts';
import { MAX_NATIVE_INDEX, boundsProblem, incrementProblem } from './validate.ts';

/** Decodes the payload in bytes[start, end); it must use every byte. */
export function decodePayload(bytes: Uint8Array, start = 0, end = bytes.length, version = 3): DeltaContent {
  return new PayloadDecoder(new ByteReader(bytes, start, end), version).content();
}

class PayloadDecoder {
  private readonly strings: string[] = [];
  private readonly stringSet = new Set<string>();
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
    private readonly r: ByteReader,
    private readonly version: number,
  ) {}

  content(): DeltaContent {
    const r = this.r;
    const topic = this.str();
    const partition = r.number();
    const firstOffset = r.number();
    const lastOffset = r.number();
    const minTimestampMs = r.number();
    const maxTimestampMs = r.number();
    const records = r.number();
    const spans = r.number();
    const badRecords = this.record('bad record');
    const spansDiscarded = this.record('spans discarded');
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
      const halfCount = r.count(20, 'edge half');
      const edgeHalves: EdgeHalf[] = new Array(halfCount);
      for (let i = 0; i < halfCount; i++) edgeHalves[i] = this.half();
      const droppedCount = r.count(4, 'dropped side');
      const droppedSides: DroppedSideHalf[] = new Array(droppedCount);
      for (let i = 0; i < droppedCount; i++) {
        const key = r.lengthPrefixed();
        const traceIdLength = this.traceIdLength(key);
        const side = r.byte();
        if (side > 1) r.fail(`dropped side ${side}`);
        droppedSides[i] = { key, traceIdLength, side: side as 0 | 1, arrivalMs: r.number() };
      }
      const received = this.version >= 3 ? readReceived(this.r, (what) => this.record(what)) : undefined;
      const td: TenantDelta =
        halfCount + droppedCount > 0 ? { tenant, increments, edgeHalves, droppedSides } : { tenant, increments };
      tenants.push(received === undefined ? td : { ...td, received });
    }
    if (r.pos !== r.end) r.fail(`${r.end - r.pos} trailing bytes`);
    return {
      topic,
      partition,
      firstOffset,
      lastOffset,
      minTimestampMs,
      maxTimestampMs,
      records,
      spans,
      badRecords,
      spansDiscarded,
      tenants,
    };
  }

  private traceIdLength(key: Uint8Array): number {
    const n = this.r.varint();
    if (n > key.length) this.r.fail(`trace id length ${n} beyond a ${key.length}-byte key`);
    return n;
  }

  private half(): EdgeHalf {
    const r = this.r;
    const key = r.lengthPrefixed();
    const traceIdLength = this.traceIdLength(key);
    const flags = r.byte();
    if ((flags & ~(HALF_SERVER | HALF_FAILED)) !== 0) r.fail(`edge half flags ${flags}`);
    const connectionType = r.varint();
    const spanKind = r.varint();
    const arrivalMs = r.number();
    const clientService = this.str();
    const serverService = this.str();
    const peerNode = this.str();
    const clientLatencySec = r.number();
    const serverLatencySec = r.number();
    const clientEndHi = r.varint();
    const clientEndLo = r.varint();
    const serverStartHi = r.varint();
    const serverStartLo = r.varint();
    const multiplier = r.number();
    const dims = r.count(1, 'dimension');
    const dimensions: string[] = new Array(dims);
    for (let i = 0; i < dims; i++) dimensions[i] = this.str();
    return {
      key,
      traceIdLength,
      side: (flags & HALF_SERVER) !== 0 ? 1 : 0,
      arrivalMs,
      connectionType,
      spanKind,
      failed: (flags & HALF_FAILED) !== 0,
      clientService,
      serverService,
      clientLatencySec,
      serverLatencySec,
      clientEndHi,
      clientEndLo,
      serverStartHi,
      serverStartLo,
      dimensions,
      peerNode,
      multiplier,
    };
  }

  private record(what: string): Record<string, number> {
    const n = this.r.count(2, what);
    const out: Record<string, number> = {};
    let previous = '';
    for (let i = 0; i < n; i++) {
      const key = this.str();
      if (i > 0 && !(key > previous)) this.r.fail(`${what} keys not strictly increasing at ${JSON.stringify(key)}`);
      previous = key;
      const value = this.r.number();
      // defineProperty: a "__proto__" key must stay a plain own property
      if (key === '__proto__')
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }

  /** A string reference; returns the dictionary index. */
  private strRef(): number {
    const r = this.r.varint();
    const strings = this.strings;
    if (r === 0) {
      const s = this.r.string();
      if (this.stringSet.has(s)) this.r.fail(`string ${JSON.stringify(s)} introduced twice`);
      if (strings.length >= MAX_DICTIONARY_SIZE) this.r.fail('too many strings');
      this.stringSet.add(s);
      strings.push(s);
      return strings.length - 1;
    }
    if (r > strings.length) this.r.fail(`string reference ${r} beyond ${strings.length} strings`);
    return r - 1;
  }

  private str(): string {
    return this.strings[this.strRef()];
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
