// Increments the registry would reject or corrupt itself with. The encoder refuses them (a
// processor bug surfaces at ingest, naming the series, instead of poisoning the flusher) and the
// decoder refuses them again (a delta that got past a CRC by accident, or another writer's bug).

import { seriesKey } from '../series/labels.ts';
import { MAX_SCHEMA, MIN_SCHEMA } from '../series/native-buckets.ts';
import type { ClassicHistogramIncrement, NativeHistogramIncrement, SeriesIncrement } from '../series/types.ts';

/** Native bucket indexes beyond this cannot come from a float64 at any schema. */
export const MAX_NATIVE_INDEX = 2 ** 31;

/** What is wrong with the increment (naming its series), or undefined. Bounds are checked apart. */
export function incrementProblem(inc: SeriesIncrement): string | undefined {
  switch (inc.type) {
    case 'counter':
      return inc.value >= 0 ? undefined : `counter ${key(inc)}: increment must be >= 0, got ${inc.value}`;
    case 'gauge':
      return undefined;
    case 'histogram': {
      if (inc.classic === undefined && inc.native === undefined) {
        return `histogram ${key(inc)}: neither a classic nor a native part`;
      }
      const problem =
        (inc.classic !== undefined ? classicProblem(inc.classic) : undefined) ??
        (inc.native !== undefined ? nativeProblem(inc.native) : undefined);
      return problem === undefined ? undefined : `histogram ${key(inc)}: ${problem}`;
    }
  }
}

/** Classic bounds must be strictly increasing (which also excludes NaN). */
export function boundsProblem(bounds: readonly number[]): string | undefined {
  for (let i = 1; i < bounds.length; i++) {
    if (!(bounds[i] > bounds[i - 1])) return `classic bounds not strictly increasing at ${i}: ${bounds.join(',')}`;
  }
  if (bounds.length === 1 && Number.isNaN(bounds[0])) return 'classic bound NaN';
  return undefined;
}

function classicProblem(c: ClassicHistogramIncrement): string | undefined {
  if (c.counts.length !== c.bounds.length + 1) {
    return `${c.counts.length} classic bucket counts for ${c.bounds.length} bounds (+Inf expected)`;
  }
  if (c.exemplars.length > c.counts.length) return `${c.exemplars.length} exemplars for ${c.counts.length} buckets`;
  for (let i = 0; i < c.counts.length; i++) {
    if (!(c.counts[i] >= 0)) return `classic bucket ${i} count ${c.counts[i]}`;
  }
  if (!(c.count >= 0)) return `classic count ${c.count}`;
  return undefined;
}

function nativeProblem(h: NativeHistogramIncrement): string | undefined {
  if (!Number.isInteger(h.schema) || h.schema < MIN_SCHEMA || h.schema > MAX_SCHEMA) return `native schema ${h.schema}`;
  if (!(h.zeroThreshold >= 0)) return `native zero threshold ${h.zeroThreshold}`;
  if (!(h.zeroCount >= 0)) return `native zero count ${h.zeroCount}`;
  if (!(h.count >= 0)) return `native count ${h.count}`;
  return bucketsProblem(h.positive, 'positive') ?? bucketsProblem(h.negative, 'negative');
}

function bucketsProblem(buckets: ReadonlyMap<number, number>, side: string): string | undefined {
  for (const [i, c] of buckets) {
    if (!Number.isInteger(i) || Math.abs(i) > MAX_NATIVE_INDEX) return `native ${side} bucket index ${i}`;
    if (!(c >= 0)) return `native ${side} bucket ${i} count ${c}`;
  }
  return undefined;
}

function key(inc: SeriesIncrement): string {
  return seriesKey(inc.name, inc.labels);
}
