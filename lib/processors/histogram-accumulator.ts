// One histogram series' observations within a batch: classic bucket counts and/or native
// (exponential) buckets, per the tenant's generate_native_histograms mode, plus one exemplar.
// Exemplar trace IDs are kept as byte offsets and hex-encoded only once, at drain.
//
// One exemplar per series, the most recent traced observation, not one per bucket: a collection
// sends what it holds and then forgets it (Tempo: modules/generator/registry/histogram.go clears
// each bucket's exemplar once collected), and the flusher folds many deltas per collection, so
// per-bucket exemplars in every delta were mostly bytes that DynamoDB bills and nobody sends. In
// mode `both` only the classic part carries it: collections send exemplars on _bucket only.

import type { HistogramMode } from '../config/types.ts';
import type { HistogramIncrement, Labels, NativeHistogramIncrement, Exemplar } from '../series/types.ts';
import type { NativeHistogramConfig } from '../config/types.ts';
import { nativeRepetitions, newNativeIncrement, observeNative, schemaForFactor } from '../series/native-histogram.ts';
import { toHex } from '../decode/span-view.ts';
import { classicBucketIndex } from '../series/classic-histogram.ts';

export class HistogramAccumulator {
  private readonly counts: number[] | undefined;
  private sum = 0;
  private count = 0;
  private readonly native: NativeHistogramIncrement | undefined;
  // the most recent traced observation: its bucket (classic; bounds.length = +Inf), trace id bytes, value
  private exBucket = -1;
  private exBuf: Uint8Array | undefined;
  private exStart = 0;
  private exEnd = 0;
  private exValue = 0;

  constructor(
    private readonly bounds: readonly number[],
    mode: HistogramMode,
    nativeCfg: NativeHistogramConfig,
  ) {
    const classic = mode !== 'native';
    this.counts = classic ? new Array(bounds.length + 1).fill(0) : undefined;
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
    let b = -1;
    if (this.counts !== undefined) {
      b = classicBucketIndex(this.bounds, value);
      this.counts[b] += weight;
    }
    if (traceEnd > traceStart) {
      this.exBucket = b;
      this.exBuf = traceBuf;
      this.exStart = traceStart;
      this.exEnd = traceEnd;
      this.exValue = value;
    }
  }

  toIncrement(name: string, labels: Labels): HistogramIncrement {
    const inc: HistogramIncrement = { type: 'histogram', name, labels };
    if (this.counts !== undefined) {
      const exemplars: (Exemplar | undefined)[] = new Array(this.counts.length).fill(undefined);
      const e = this.exemplar();
      if (e !== undefined) exemplars[this.exBucket] = e;
      const sum = this.native?.sum ?? this.sum;
      const count = this.native?.count ?? this.count;
      inc.classic = { bounds: this.bounds, counts: this.counts, sum, count, exemplars };
    }
    if (this.native !== undefined) {
      const e = this.counts === undefined ? this.exemplar() : undefined;
      if (e !== undefined) this.native.exemplar = e;
      inc.native = this.native;
    }
    return inc;
  }

  private exemplar(): Exemplar | undefined {
    return this.exBuf === undefined
      ? undefined
      : { traceId: toHex(this.exBuf, this.exStart, this.exEnd), value: this.exValue };
  }
}
