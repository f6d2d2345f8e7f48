// Byte-level pieces of the binary state format: a growable writer and a bounds-checked reader
// for unsigned varints, numbers (small integers compactly, anything else, NaN and +-Infinity
// included, as a float64) and UTF-8 strings. Nothing here builds a string or a buffer bigger
// than the record being written.
//
// Within one chunk, a repeated string (metric and label names, and the label values the calls,
// latency and size series of one label set share) is written once and then referred to by its
// index: fewer bytes to write and to compress. The table starts empty with every chunk, so each
// chunk decodes on its own.

/** Number encodings: a float64, a non-negative safe integer as a varint, or a negative one. */
const NUM_FLOAT = 0;
const NUM_UINT = 1;
const NUM_NEG = 2;

/** Strings remembered per chunk (a chunk is a few hundred KB, so this is rarely reached). */
const MAX_TABLE = 1 << 16;

export class ByteWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly table = new Map<string, number>();
  /** The bounds of the last classic histogram written in this chunk (a repeat is one flag). */
  lastBounds: readonly number[] | undefined;

  constructor(initial = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written so far (a view: valid until the next write or reset). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  reset(): void {
    this.pos = 0;
    this.table.clear();
    this.lastBounds = undefined;
  }

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[this.pos++] = b;
  }

  /** An unsigned integer below 2^53, 7 bits per byte. */
  uvarint(n: number): void {
    this.room(8);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  f64(v: number): void {
    this.room(8);
    this.buf.writeDoubleLE(v, this.pos);
    this.pos += 8;
  }

  /** Any number: integers (not -0) in a varint, everything else as a float64. */
  num(v: number): void {
    if (Number.isSafeInteger(v) && !Object.is(v, -0)) {
      if (v >= 0) {
        this.byte(NUM_UINT);
        this.uvarint(v);
      } else {
        this.byte(NUM_NEG);
        this.uvarint(-v);
      }
      return;
    }
    this.byte(NUM_FLOAT);
    this.f64(v);
  }

  str(s: string): void {
    const n = Buffer.byteLength(s, 'utf8');
    this.uvarint(n);
    this.room(n);
    this.pos += this.buf.write(s, this.pos, n, 'utf8');
  }

  bool(b: boolean): void {
    this.byte(b ? 1 : 0);
  }

  /** A string through the chunk's table: 0 and the string the first time, its index + 1 after. */
  sstr(s: string): void {
    const at = this.table.get(s);
    if (at !== undefined) {
      this.uvarint(at + 1);
      return;
    }
    this.uvarint(0);
    this.str(s);
    if (this.table.size < MAX_TABLE) this.table.set(s, this.table.size);
  }
}

/** Malformed or truncated state bytes. */
export class StateFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateFormatError';
  }
}

export class ByteReader {
  private pos = 0;
  private readonly table: string[] = [];
  lastBounds: readonly number[] | undefined;

  constructor(private readonly buf: Buffer) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length)
      throw new StateFormatError(`record cut short at byte ${this.pos} of ${this.buf.length}`);
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++];
  }

  uvarint(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (i >= 8) throw new StateFormatError(`varint too long at byte ${this.pos}`);
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }

  f64(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  num(): number {
    const kind = this.byte();
    if (kind === NUM_UINT) return this.uvarint();
    if (kind === NUM_NEG) return -this.uvarint();
    if (kind === NUM_FLOAT) return this.f64();
    throw new StateFormatError(`unknown number encoding ${kind}`);
  }

  str(): string {
    const n = this.uvarint();
    this.need(n);
    const s = this.buf.toString('utf8', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  bool(): boolean {
    return this.byte() !== 0;
  }

  sstr(): string {
    const ref = this.uvarint();
    if (ref > 0) {
      const s = this.table[ref - 1];
      if (s === undefined) throw new StateFormatError(`string reference ${ref} before its string`);
      return s;
    }
    const s = this.str();
    if (this.table.length < MAX_TABLE) this.table.push(s);
    return s;
  }

  /** A count of items that each take at least one byte: bounded by what is left, so a bad count cannot allocate much. */
  count(): number {
    const n = this.uvarint();
    if (n > this.buf.length - this.pos)
      throw new StateFormatError(`count ${n} exceeds the ${this.buf.length - this.pos} bytes left`);
    return n;
  }
}
