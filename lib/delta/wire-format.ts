// Primitive encodings shared by the payload writer and reader, so both sides agree by
// construction. Every value has exactly one encoding (the reader rejects the others), which makes
// "decode, then encode again" reproduce the bytes.
//
// Varint: unsigned LEB128 of a safe integer, minimal length (no trailing 0x80 0x00).
//
// Number: a varint header h, tried in this order (the first form that holds the value exactly):
//   h % 2 == 0:  an integer v with |v| <= MAX_VARINT_NUMBER, h = 2 * zigzag(v);
//   h == 3:      float32 follows (4 bytes LE): values float32 holds exactly (-0, NaN, +-Inf, 2.5...);
//   h % 4 == 1:  n / 1e9 with |n| <= MAX_NANOS, h = 4 * zigzag(n) + 1: decimals of up to 9
//                fraction digits, notably span durations (whole nanoseconds / 1e9) and most sums;
//   h == 7:      float64 follows (8 bytes LE): everything else.
//
// String: a varint header byteLength * 4 + kind, then the bytes.
//   kind 0: UTF-8 of a well-formed string;
//   kind 1: lowercase hex of even length >= 2 (trace IDs), stored as raw bytes (half the size);
//   kind 2: UTF-16 code units LE, only for ill-formed strings (lone surrogates: lib/decode marks
//           invalid UTF-8 that way), which UTF-8 cannot carry exactly.

/** Largest integer magnitude written as a varint number (its header must stay a safe integer). */
export const MAX_VARINT_NUMBER = 2 ** 51 - 1;

export const NUMBER_FLOAT32 = 3;
export const NUMBER_FLOAT64 = 7;
/** Largest |n| of an n / 1e9 number (its header must stay a safe integer). */
export const MAX_NANOS = 2 ** 50 - 1;

export const STRING_UTF8 = 0;
export const STRING_HEX = 1;
export const STRING_UTF16 = 2;

/** True when the number is written as a varint (integral, in range, not -0). */
export function isVarintNumber(v: number): boolean {
  return Number.isInteger(v) && v <= MAX_VARINT_NUMBER && v >= -MAX_VARINT_NUMBER && !(v === 0 && 1 / v < 0);
}

/** True when float32 holds v exactly (Object.is: -0 and NaN included). */
export function isFloat32Exact(v: number): boolean {
  return Object.is(Math.fround(v), v);
}

/** n such that n / 1e9 is exactly v (Math.round's n, the one the reader checks), or undefined. */
export function nanosOf(v: number): number | undefined {
  const n = Math.round(v * 1e9);
  return n / 1e9 === v && n <= MAX_NANOS && n >= -MAX_NANOS ? n : undefined;
}

/** The bits a DataView writes for NaN as float32: the only NaN encoding the reader accepts. */
export const CANONICAL_NAN32: number = (() => {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, NaN, true);
  return view.getUint32(0, true);
})();

/** Lowercase hex of even length >= 2. */
export function isLowerHex(s: string): boolean {
  const n = s.length;
  if (n < 2 || (n & 1) !== 0) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}

// With the u flag a surrogate pair is one code point, so \p{Cs} only matches lone surrogates.
const LONE_SURROGATE = /\p{Cs}/u;

/** True when the string has an unpaired surrogate (no exact UTF-8 form). */
export function isIllFormed(s: string): boolean {
  return LONE_SURROGATE.test(s);
}
