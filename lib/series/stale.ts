// Prometheus staleness marker: a float sample whose bits are exactly 0x7ff0000000000002 (a NaN
// with a specific payload, value.StaleNaN in Prometheus). Any other NaN is an ordinary value, so
// the marker must be built bit by bit and written to the wire without canonicalisation.

export const STALE_NAN_BITS = 0x7ff0000000000002n;

const view = new DataView(new ArrayBuffer(8));

/** The staleness-marker float64 (NaN with payload 2). */
export function staleNaN(): number {
  view.setUint32(0, Number(STALE_NAN_BITS >> 32n));
  view.setUint32(4, Number(STALE_NAN_BITS & 0xffffffffn));
  return view.getFloat64(0);
}

/** True only for the exact staleness-marker bit pattern. */
export function isStaleNaN(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  view.setFloat64(0, v);
  return (BigInt(view.getUint32(0)) << 32n) + BigInt(view.getUint32(4)) === STALE_NAN_BITS;
}
