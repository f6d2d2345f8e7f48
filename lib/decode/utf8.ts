// Byte-to-string conversion for protobuf string fields, interned so that repeated values (span
// names, service names, attribute values) are decoded once per process rather than once per span.
//
// Tempo (gogo-proto) does not reject invalid UTF-8 while decoding; it drops the span later when a
// label value is not valid UTF-8. To keep that decision possible after decoding, an invalid byte
// sequence becomes an ill-formed JS string (lossy text plus a lone surrogate), which
// `isWellFormedLabelValue` recognises.

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const INVALID_MARK = '\udc00';

/** Decodes bytes; invalid UTF-8 yields an ill-formed string (see file comment). */
export function decodeUtf8(buf: Uint8Array, start: number, end: number): string {
  if (end - start <= 24) {
    // short ASCII is the common case (names, kinds, ids); avoid TextDecoder's call overhead
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (buf[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return asciiString(buf, start, end);
  }
  const bytes = buf.subarray(start, end);
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return lossyDecoder.decode(bytes) + INVALID_MARK;
  }
}

function asciiString(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}

/** false for strings produced from invalid UTF-8 (or otherwise containing lone surrogates). */
export function isWellFormedLabelValue(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** UTF-8 bytes of a key, for comparing against raw attribute keys without decoding them. */
export function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Anything that turns a byte slice into a string (interned or not). */
export interface StringSource {
  get(buf: Uint8Array, start: number, end: number): string;
}

/** Decodes without interning: for values read once (service attributes, exemplar labels). */
export const plainStrings: StringSource = { get: decodeUtf8 };

const MAX_ENTRIES = 1 << 16;

/**
 * Interns byte slices as strings. Open addressing keyed by an FNV-1a hash of the bytes, verified
 * byte-for-byte, so a hit costs a hash and a compare and allocates nothing. Cleared when it grows
 * past MAX_ENTRIES so a high-cardinality attribute cannot grow memory without bound.
 */
export class StringInterner implements StringSource {
  private hashes = new Int32Array(1 << 12);
  private strings: (string | undefined)[] = new Array(1 << 12);
  private bytes: (Uint8Array | undefined)[] = new Array(1 << 12);
  private count = 0;

  get(buf: Uint8Array, start: number, end: number): string {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    const mask = this.hashes.length - 1;
    let slot = h & mask;
    while (true) {
      const s = this.strings[slot];
      if (s === undefined) break;
      if (this.hashes[slot] === h && sameBytes(this.bytes[slot]!, buf, start, end)) return s;
      slot = (slot + 1) & mask;
    }
    const str = decodeUtf8(buf, start, end);
    if (this.count >= MAX_ENTRIES) {
      this.clear(this.hashes.length);
      return this.get(buf, start, end);
    }
    if ((this.count + 1) * 2 > this.hashes.length) {
      this.grow();
      return this.get(buf, start, end);
    }
    this.hashes[slot] = h;
    this.strings[slot] = str;
    this.bytes[slot] = buf.slice(start, end);
    this.count++;
    return str;
  }

  private grow(): void {
    const oldStrings = this.strings;
    const oldBytes = this.bytes;
    this.clear(this.hashes.length * 2);
    for (let i = 0; i < oldStrings.length; i++) {
      const b = oldBytes[i];
      if (b !== undefined) this.get(b, 0, b.length);
    }
  }

  private clear(size: number): void {
    this.hashes = new Int32Array(size);
    this.strings = new Array(size);
    this.bytes = new Array(size);
    this.count = 0;
  }
}

function sameBytes(a: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[start + i]) return false;
  return true;
}
