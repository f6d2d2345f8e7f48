// One histogram series' observations within a batch: classic bucket counts and/or native
// (exponential) buckets, per the tenant's generate_native_histograms mode, plus exemplars.
// Exemplar trace IDs are kept as byte offsets and hex-encoded only once, at drain.

import type { HistogramMode, HistogramIncrement, Labels, NativeHistogramIncrement, Exemplar } from '../series/types.ts';
import type { NativeHistogramConfig } from '../config/types.ts';
import { nativeRepetitions, newNativeIncrement, observeNative, schemaForFactor } from '../series/native-histogram.ts';
import { toHex } from '../decode/span-view.ts';
import { classicBucketIndex } from '../series/classic-histogram.ts';

export class HistogramAccumulator {
  private readonly counts: number[] | undefined;
  private sum = 0;
  private count = 0;
  private readonly native: NativeHistogramIncrement | undefined;
  // most recent exemplar per classic bucket (index bounds.length = +Inf)
  private readonly exBuf: (Uint8Array | undefined)[];
  private readonly exStart: number[];
  private readonly exEnd: number[];
  private readonly exValue: number[];
  private nativeExBuf: Uint8Array | undefined;
  private nativeExStart = 0;
  private nativeExEnd = 0;
  private nativeExValue = 0;

  constructor(
    private readonly bounds: readonly number[],
    mode: HistogramMode,
    nativeCfg: NativeHistogramConfig,
  ) {
    const classic = mode !== 'native';
    this.counts = classic ? new Array(bounds.length + 1).fill(0) : undefined;
    const n = classic ? bounds.length + 1 : 0;
    this.exBuf = new Array(n);
    this.exStart = new Array(n).fill(0);
    this.exEnd = new Array(n).fill(0);
    this.exValue = new Array(n).fill(0);
    this.native = mode === 'classic' ? undefined : newNativeIncrement(schemaForFactor(nativeCfg.bucketFactor));
  }

  get empty(): boolean {
    return this.count === 0 && (this.native === undefined || this.native.count === 0);
  }

  /**
   * Observes value with multiplier m. Classic mode weights the observation by m (Tempo's classic
   * histogram); native and both repeat it ceil(m) times, as Tempo's client_golang-backed one does,
   * and in `both` the classic series come from that same histogram.
   */
  observe(value: number, m: number, traceBuf: Uint8Array, traceStart: number, traceEnd: number): void {
    let weight = m;
    if (this.native === undefined) {
      this.count += m;
      this.sum += value * m;
    } else {
      weight = nativeRepetitions(m);
      observeNative(this.native, value, m);
    }
    const hasTrace = traceEnd > traceStart;
    if (this.counts !== undefined) {
      const b = classicBucketIndex(this.bounds, value);
      this.counts[b] += weight;
      if (hasTrace) {
        this.exBuf[b] = traceBuf;
        this.exStart[b] = traceStart;
        this.exEnd[b] = traceEnd;
        this.exValue[b] = value;
      }
    }
    if (this.native !== undefined) {
      if (hasTrace) {
        this.nativeExBuf = traceBuf;
        this.nativeExStart = traceStart;
        this.nativeExEnd = traceEnd;
        this.nativeExValue = value;
      }
    }
  }

  toIncrement(name: string, labels: Labels): HistogramIncrement {
    const inc: HistogramIncrement = { type: 'histogram', name, labels };
    if (this.counts !== undefined) {
      const exemplars: (Exemplar | undefined)[] = [];
      for (let b = 0; b < this.counts.length; b++) {
        const buf = this.exBuf[b];
        exemplars.push(buf === undefined ? undefined : { traceId: toHex(buf, this.exStart[b], this.exEnd[b]), value: this.exValue[b] });
      }
      const sum = this.native?.sum ?? this.sum;
      const count = this.native?.count ?? this.count;
      inc.classic = { bounds: this.bounds, counts: this.counts, sum, count, exemplars };
    }
    if (this.native !== undefined) {
      if (this.nativeExBuf !== undefined) {
        this.native.exemplar = {
          traceId: toHex(this.nativeExBuf, this.nativeExStart, this.nativeExEnd),
          value: this.nativeExValue,
        };
      }
      inc.native = this.native;
    }
    return inc;
  }
}
