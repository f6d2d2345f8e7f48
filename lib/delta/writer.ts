// Growable byte buffer with the primitive encodings of wire-format.ts. Hot path: plain methods on
// one monomorphic class, no per-value allocation except for non-ASCII strings.

import {
  NUMBER_FLOAT32,
  NUMBER_FLOAT64,
  STRING_HEX,
  STRING_UTF16,
  STRING_UTF8,
  isFloat32Exact,
  isIllFormed,
  isVarintNumber,
  nanosOf,
} from './wire-format.ts';

const utf8Encoder = new TextEncoder();

export class ByteWriter {
  buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(initialCapacity = 4096) {
    this.buf = new Uint8Array(initialCapacity);
    this.view = new DataView(this.buf.buffer);
  }

  /** Starts over, keeping the buffer. */
  reset(): void {
    this.pos = 0;
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Makes room for n more bytes. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.pos + n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  /** Bytes as they are, after their length (varint). */
  lengthPrefixed(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Unsigned LEB128 of a non-negative safe integer. */
  varint(v: number): void {
    this.ensure(8);
    const b = this.buf;
    let p = this.pos;
    if (v < 0x80000000) {
      while (v > 0x7f) {
        b[p++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
    } else {
      while (v > 0x7f) {
        b[p++] = (v % 128) | 0x80;
        v = Math.floor(v / 128);
      }
    }
    b[p++] = v;
    this.pos = p;
  }

  /** Zigzag varint of a safe integer. */
  signedVarint(v: number): void {
    this.varint(v >= 0 ? v * 2 : -v * 2 - 1);
  }

  /** Any number, bit-exact (see wire-format.ts). */
  number(v: number): void {
    let nanos: number | undefined;
    if (isVarintNumber(v)) {
      this.varint(v >= 0 ? v * 4 : -v * 4 - 2);
    } else if (isFloat32Exact(v)) {
      this.ensure(5);
      this.buf[this.pos++] = NUMBER_FLOAT32;
      this.view.setFloat32(this.pos, v, true);
      this.pos += 4;
    } else if ((nanos = nanosOf(v)) !== undefined) {
      this.varint((nanos >= 0 ? nanos * 2 : -nanos * 2 - 1) * 4 + 1);
    } else {
      // Only a non-number gets here looking like NaN; written as float64 it would not decode.
      if (typeof v !== 'number') throw new TypeError(`delta encode: ${String(v)} is not a number`);
      this.ensure(9);
      this.buf[this.pos++] = NUMBER_FLOAT64;
      this.view.setFloat64(this.pos, v, true);
      this.pos += 8;
    }
  }

  string(s: string): void {
    const n = s.length;
    // Optimistic ASCII write after a header reserved for n bytes; anything else starts over.
    const header = n * 4 + STRING_UTF8;
    this.varint(header);
    this.ensure(n);
    const b = this.buf;
    const start = this.pos;
    let hex = n >= 2 && (n & 1) === 0;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.nonAscii(s, start - varintLength(header));
        return;
      }
      if (hex && !((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) hex = false;
      b[start + i] = c;
    }
    if (hex) {
      this.pos = start - varintLength(header);
      this.hexString(s);
      return;
    }
    this.pos = start + n;
  }

  private nonAscii(s: string, rewindTo: number): void {
    this.pos = rewindTo;
    const n = s.length;
    if (isIllFormed(s)) {
      this.varint(n * 2 * 4 + STRING_UTF16);
      this.ensure(n * 2);
      for (let i = 0; i < n; i++) {
        this.view.setUint16(this.pos, s.charCodeAt(i), true);
        this.pos += 2;
      }
      return;
    }
    const utf8 = utf8Encoder.encode(s);
    this.varint(utf8.length * 4 + STRING_UTF8);
    this.ensure(utf8.length);
    this.buf.set(utf8, this.pos);
    this.pos += utf8.length;
  }

  private hexString(s: string): void {
    const n = s.length >> 1;
    this.varint(n * 4 + STRING_HEX);
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = (hexDigit(s.charCodeAt(2 * i)) << 4) | hexDigit(s.charCodeAt(2 * i + 1));
    this.pos = p;
  }
}

/** Bytes a non-negative integer takes as a varint. */
export function varintLength(v: number): number {
  let n = 1;
  while (v > 0x7f) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

function hexDigit(c: number): number {
  return c <= 57 ? c - 48 : c - 87;
}
