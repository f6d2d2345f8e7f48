// Minimal protobuf wire-format reading over a Uint8Array. The decoder walks messages with these
// helpers instead of materialising objects, so fields no processor needs are skipped, not parsed.

/** Thrown for malformed protobuf; the caller turns it into a counted bad record. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

/**
 * A read position inside one message: [pos, end) of buf. Methods advance pos. Reused objects keep
 * the hot path free of per-field allocations.
 */
export class Cursor {
  buf: Uint8Array;
  pos: number;
  end: number;

  constructor(buf: Uint8Array, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  reset(buf: Uint8Array, pos: number, end: number): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    return this;
  }

  more(): boolean {
    return this.pos < this.end;
  }

  /** Reads a varint of up to 32 significant bits (tags, lengths, enums). */
  uint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    const end = this.end;
    if (pos >= end) throw new WireError('truncated varint');
    let b = buf[pos++];
    let value = b & 0x7f;
    if (b < 0x80) {
      this.pos = pos;
      return value;
    }
    let shift = 7;
    while (true) {
      if (pos >= end) throw new WireError('truncated varint');
      b = buf[pos++];
      if (shift < 28) value |= (b & 0x7f) << shift;
      else if (shift === 28) value = (value >>> 0) + (b & 0x0f) * 0x10000000;
      // bits above 32 are dropped, as protobuf does when a uint32/enum field holds a larger varint
      if (b < 0x80) break;
      shift += 7;
      if (shift > 63) throw new WireError('varint longer than 10 bytes');
    }
    this.pos = pos;
    return value >>> 0;
  }

  /**
   * Reads a 64-bit varint as a signed int64 and returns it as a number when exact, else a bigint.
   * Used for AnyValue.int_value, which must stringify exactly.
   */
  int64(): number | bigint {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    while (true) {
      if (pos >= this.end) throw new WireError('truncated varint');
      const b = buf[pos++];
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      if (b < 0x80) break;
      shift += 7;
      if (shift > 63) throw new WireError('varint longer than 10 bytes');
    }
    this.pos = pos;
    lo >>>= 0;
    hi >>>= 0;
    if (hi === 0) return lo;
    if (hi < 0x200000) return hi * 0x100000000 + lo;
    if (hi >= 0xffe00000) return (hi - 0x100000000) * 0x100000000 + lo; // small negatives stay exact
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
  }

  fixed32(): number {
    const pos = this.pos;
    if (pos + 4 > this.end) throw new WireError('truncated fixed32');
    const buf = this.buf;
    this.pos = pos + 4;
    return (buf[pos] | (buf[pos + 1] << 8) | (buf[pos + 2] << 16) | (buf[pos + 3] << 24)) >>> 0;
  }

  double(): number {
    const pos = this.pos;
    if (pos + 8 > this.end) throw new WireError('truncated double');
    this.pos = pos + 8;
    const buf = this.buf;
    // byte copy into a scratch: no subarray/DataView allocation per double
    for (let i = 0; i < 8; i++) scratchBytes[i] = buf[pos + i];
    return scratchFloat[0];
  }

  /** Reads a length prefix and returns the end offset of the delimited field (pos is its start). */
  lenEnd(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.end) throw new WireError('length-delimited field runs past its message');
    return end;
  }

  /** Skips one field's value of the given wire type. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT: {
        const buf = this.buf;
        let pos = this.pos;
        let n = 0;
        while (true) {
          if (pos >= this.end) throw new WireError('truncated varint');
          if (buf[pos++] < 0x80) break;
          if (++n >= 10) throw new WireError('varint longer than 10 bytes');
        }
        this.pos = pos;
        return;
      }
      case WIRE_FIXED64:
        if (this.pos + 8 > this.end) throw new WireError('truncated fixed64');
        this.pos += 8;
        return;
      case WIRE_LEN:
        this.pos = this.lenEnd();
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > this.end) throw new WireError('truncated fixed32');
        this.pos += 4;
        return;
      default:
        // groups (3, 4) are not used by any message we read; 6 and 7 do not exist
        throw new WireError(`unsupported wire type ${wireType}`);
    }
  }
}

const scratchFloat = new Float64Array(1);
// protobuf doubles are little-endian; so is every platform Lambda and Node run on here
const scratchBytes = new Uint8Array(scratchFloat.buffer);
if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new Error('big-endian platforms are not supported');

/** Fails with a message naming the field when a known field arrives with the wrong wire type. */
export function expectWireType(actual: number, expected: number, field: string): void {
  if (actual !== expected) throw new WireError(`${field}: wire type ${actual}, expected ${expected}`);
}
