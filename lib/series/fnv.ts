// FNV-1a 64-bit over UTF-8 bytes, computed in two 32-bit halves (no BigInt on the hot path).
// Series hashes become DynamoDB keys, so this must never change: the test pins known vectors.

const OFFSET_HI = 0xcbf29ce4;
const OFFSET_LO = 0x84222325;
// prime = 2^40 + 0x1b3: multiplying by it is (h << 40) + h * 0x1b3 (mod 2^64)
const PRIME_LOW_PART = 0x1b3;

/** Incremental FNV-1a 64 state; feed strings (as UTF-8) and raw bytes, read 16 hex chars. */
export class Fnv1a64 {
  private hi = OFFSET_HI;
  private lo = OFFSET_LO;

  byte(b: number): this {
    const lo = (this.lo ^ b) >>> 0;
    const loProduct = lo * PRIME_LOW_PART; // < 2^41: exact in a double
    const carry = Math.floor(loProduct / 0x100000000);
    this.lo = loProduct >>> 0;
    this.hi = (Math.imul(this.hi, PRIME_LOW_PART) + carry + (lo << 8)) >>> 0;
    return this;
  }

  /** Feeds s as UTF-8 (a lone surrogate as U+FFFD, like TextEncoder). */
  string(s: string): this {
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        this.byte(c);
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
        } else {
          c = 0xfffd;
        }
      }
      if (c < 0x800) {
        this.byte(0xc0 | (c >> 6)).byte(0x80 | (c & 0x3f));
      } else if (c < 0x10000) {
        this.byte(0xe0 | (c >> 12))
          .byte(0x80 | ((c >> 6) & 0x3f))
          .byte(0x80 | (c & 0x3f));
      } else {
        this.byte(0xf0 | (c >> 18))
          .byte(0x80 | ((c >> 12) & 0x3f))
          .byte(0x80 | ((c >> 6) & 0x3f))
          .byte(0x80 | (c & 0x3f));
      }
    }
    return this;
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

export function fnv1a64Hex(s: string): string {
  return new Fnv1a64().string(s).hex();
}
