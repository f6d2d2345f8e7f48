// Byte-to-string conversion for protobuf string fields, interned so that repeated values (span
// names, service names, attribute values) are decoded once per process rather than once per span.
//
// Tempo (gogo-proto) does not reject invalid UTF-8 while decoding; it drops the span later when a
// label value is not valid UTF-8. To keep that decision possible after decoding, an invalid byte
// sequence becomes an ill-formed JS string (lossy text plus a lone surrogate), which
// lib/series/utf8.ts isValidUtf8 recognises.

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

/** UTF-8 bytes of a key, for comparing against raw attribute keys without decoding them. */
export function utf8Bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Anything that turns a byte slice into a string (interned or not). */
export interface StringSource {
  get(buf: Uint8Array, start: number, end: number): string;
}

/**
 * Interns byte slices as strings with dense integer ids. Open addressing keyed by an FNV-1a hash
 * of the bytes, verified byte-for-byte, so a hit costs a hash and a compare and allocates
 * nothing. Strings computed elsewhere (stringified numbers, joined values) get ids from the same
 * space via idOf, so equal strings always share one id. Ids stay valid until reset(): owners call
 * resetIfOver() between batches so a high-cardinality attribute cannot grow memory without bound.
 */
export class StringInterner implements StringSource {
  private slots = new Int32Array(1 << 12).fill(-1);
  private hashes: number[] = [];
  private bytes: (Uint8Array | undefined)[] = [];
  private strings: string[] = [];
  private byString = new Map<string, number>();

  get size(): number {
    return this.strings.length;
  }

  get(buf: Uint8Array, start: number, end: number): string {
    return this.strings[this.id(buf, start, end)];
  }

  string(id: number): string {
    return this.strings[id];
  }

  /** The id of the string these bytes decode to. */
  id(buf: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    let slot = h & mask;
    while (true) {
      const id = slots[slot];
      if (id < 0) break;
      if (this.hashes[id] === h && sameBytes(this.bytes[id]!, buf, start, end)) return id;
      slot = (slot + 1) & mask;
    }
    const str = decodeUtf8(buf, start, end);
    let id = this.byString.get(str);
    if (id === undefined || this.bytes[id] !== undefined) {
      // new string, or the same text from other bytes (e.g. an invalid sequence): new byte entry
      id = this.add(str, buf.slice(start, end), h);
    } else {
      this.bytes[id] = buf.slice(start, end);
      this.hashes[id] = h;
    }
    if ((this.size + 1) * 2 > slots.length) this.rehash(slots.length * 2);
    else slots[slot] = id;
    return id;
  }

  /** The id of a computed string. */
  idOf(str: string): number {
    const id = this.byString.get(str);
    return id !== undefined ? id : this.add(str, undefined, 0);
  }

  /** Drops everything once more than maxEntries are held (ids handed out before are void); true if it did. */
  resetIfOver(maxEntries: number): boolean {
    if (this.size <= maxEntries) return false;
    this.slots = new Int32Array(1 << 12).fill(-1);
    this.hashes = [];
    this.bytes = [];
    this.strings = [];
    this.byString = new Map();
    return true;
  }

  private add(str: string, bytes: Uint8Array | undefined, hash: number): number {
    const id = this.strings.length;
    this.strings.push(str);
    this.bytes.push(bytes);
    this.hashes.push(hash);
    if (!this.byString.has(str)) this.byString.set(str, id);
    return id;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let id = 0; id < this.strings.length; id++) {
      if (this.bytes[id] === undefined) continue;
      let slot = this.hashes[id] & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = id;
    }
    this.slots = slots;
  }
}

function sameBytes(a: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== buf[start + i]) return false;
  return true;
}
