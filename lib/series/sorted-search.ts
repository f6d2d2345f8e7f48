// Binary search over ascending numbers, as Go's sort.SearchFloat64s: both histogram kinds pick
// buckets with it (classic bounds, and native bounds within a power of two).

/** Index of the first element of `sorted` that is >= x, or sorted.length if there is none (NaN: 0). */
export function firstAtLeast(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
