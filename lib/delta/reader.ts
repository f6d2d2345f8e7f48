// Bounds-checked reader for the encodings of wire-format.ts. Anything out of range, truncated or
// not in its one canonical form throws DeltaFormatError with the byte position; counts are checked
// against the bytes left so corrupt input can never allocate or loop beyond its own size.

import { DeltaFormatError } from './errors.ts';
import {
  CANONICAL_NAN32,
  MAX_VARINT_NUMBER,
  NUMBER_FLOAT32,
  NUMBER_FLOAT64,
  STRING_HEX,
  STRING_UTF16,
  STRING_UTF8,
  isFloat32Exact,
  isIllFormed,
  isLowerHex,
  isVarintNumber,
  nanosOf,
} from './wire-format.ts';

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ByteReader {
  pos: number;
  private readonly view: DataView;
  /** The same bytes as a Buffer, for its native latin1 / hex string conversions. */
  private readonly nodeBuf: Buffer;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.nodeBuf = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  fail(message: string): never {
    throw new DeltaFormatError(`${message} (at byte ${this.pos})`);
  }

  byte(): number {
    if (this.pos >= this.end) this.fail('truncated');
    return this.buf[this.pos++];
  }

  /** Minimal unsigned LEB128 of a safe integer. */
  varint(): number {
    const b = this.buf;
    let p = this.pos;
    if (p < this.end && b[p] < 0x80) {
      this.pos = p + 1;
      return b[p];
    }
    let v = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      if (p >= this.end) this.fail('truncated varint');
      const x = b[p++];
      v += (x & 0x7f) * scale;
      if (x < 0x80) {
        if (x === 0 && i > 0) this.fail('non-minimal varint');
        if (v > Number.MAX_SAFE_INTEGER) this.fail('varint out of range');
        this.pos = p;
        return v;
      }
      scale *= 128;
    }
    return this.fail('varint too long');
  }

  signedVarint(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** A copy of the bytes after a varint length (writer.lengthPrefixed). */
  lengthPrefixed(): Uint8Array {
    const n = this.varint();
    if (n > this.remaining) this.fail('truncated bytes');
    const out = new Uint8Array(n);
    out.set(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  /** A count of items that take at least minItemBytes each: never more than the bytes left allow. */
  count(minItemBytes: number, what: string): number {
    const n = this.varint();
    if (n * minItemBytes > this.remaining) this.fail(`${what} count ${n} exceeds the remaining bytes`);
    return n;
  }

  number(): number {
    const h = this.varint();
    if (h % 2 === 0) {
      const z = h / 2;
      const v = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      if (v < -MAX_VARINT_NUMBER) this.fail('integer out of varint range');
      return v;
    }
    if (h === NUMBER_FLOAT32) {
      if (this.pos + 4 > this.end) this.fail('truncated float32');
      const v = this.view.getFloat32(this.pos, true);
      if (Number.isNaN(v) && this.view.getUint32(this.pos, true) !== CANONICAL_NAN32) this.fail('non-canonical NaN');
      if (isVarintNumber(v)) this.fail('integer written as float32');
      this.pos += 4;
      return v;
    }
    if (h % 4 === 1) {
      const z = (h - 1) / 4;
      const n = z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      const v = n / 1e9;
      if (isVarintNumber(v) || isFloat32Exact(v) || nanosOf(v) !== n) this.fail('non-canonical decimal number');
      return v;
    }
    if (h === NUMBER_FLOAT64) {
      if (this.pos + 8 > this.end) this.fail('truncated float64');
      const v = this.view.getFloat64(this.pos, true);
      if (isVarintNumber(v) || isFloat32Exact(v) || nanosOf(v) !== undefined) this.fail('non-canonical float64');
      this.pos += 8;
      return v;
    }
    return this.fail(`unknown number tag ${h}`);
  }

  string(): string {
    const h = this.varint();
    const kind = h % 4;
    const len = (h - kind) / 4;
    if (len > this.remaining) this.fail('truncated string');
    const start = this.pos;
    const end = start + len;
    const b = this.buf;
    let s = '';
    if (kind === STRING_UTF8) {
      let ascii = true;
      for (let i = start; i < end; i++) {
        if (b[i] >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        s = this.nodeBuf.toString('latin1', start, end);
      } else {
        try {
          s = utf8Decoder.decode(b.subarray(start, end));
        } catch {
          this.fail('invalid UTF-8 in string');
        }
      }
      if (isLowerHex(s)) this.fail('hex string not in hex form');
    } else if (kind === STRING_HEX) {
      if (len === 0) this.fail('empty hex string');
      s = this.nodeBuf.toString('hex', start, end);
    } else if (kind === STRING_UTF16) {
      if (len % 2 !== 0) this.fail('odd UTF-16 string length');
      for (let i = start; i < end; i += 2) s += String.fromCharCode(b[i] | (b[i + 1] << 8));
      if (!isIllFormed(s)) this.fail('well-formed string in UTF-16 form');
    } else {
      this.fail(`unknown string kind ${kind}`);
    }
    this.pos = end;
    return s;
  }
}
