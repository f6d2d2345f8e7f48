// UTF-8 views of JS (UTF-16) strings. Tempo measures and cuts label names/values in UTF-8 bytes
// and compares label names byte-wise, so these helpers reproduce Go's byte semantics without
// encoding whole strings.

/** Number of UTF-8 bytes of s. A lone surrogate counts 3 bytes (what TextEncoder writes, U+FFFD). */
export function utf8ByteLength(s: string): number {
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export interface Utf8Truncation {
  /** The longest prefix of the input that fits in maxBytes without splitting a character. */
  readonly value: string;
  /**
   * True when Go's byte cut `s[:maxBytes]` would have ended inside a multi-byte character. Go keeps
   * those partial bytes, which makes the label invalid UTF-8 and gets the span dropped
   * (reason invalid_utf8); a JS string cannot hold them, so the caller must treat this flag as
   * "invalid" rather than use `value` as if nothing happened.
   */
  readonly splitCharacter: boolean;
}

/** Go's `if len(s) > max { s = s[:max] }` for max > 0; max <= 0 means no limit. */
export function truncateUtf8(s: string, maxBytes: number): Utf8Truncation {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: short strings need no byte count at all.
  if (maxBytes <= 0 || s.length * 3 <= maxBytes) return { value: s, splitCharacter: false };
  let bytes = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let width: number;
    let units = 1;
    if (c < 0x80) width = 1;
    else if (c < 0x800) width = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
      width = 4;
      units = 2;
    } else width = 3;
    if (bytes + width > maxBytes) {
      return { value: s.slice(0, i), splitCharacter: bytes < maxBytes };
    }
    bytes += width;
    i += units - 1;
  }
  return { value: s, splitCharacter: false };
}

/** True unless s holds a lone surrogate (the only way a JS string can fail to be valid UTF-8). */
export function isValidUtf8(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1))) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

/**
 * Orders strings as Go's strings.Compare orders their UTF-8 bytes (= code point order). UTF-16
 * unit order differs only between surrogates and U+E000..U+FFFF, so only those are remapped.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let ca = a.charCodeAt(i);
    let cb = b.charCodeAt(i);
    if (ca === cb) continue;
    if (ca >= 0xd800 && cb >= 0xd800) {
      ca = ca <= 0xdfff ? ca + 0x2000 : ca - 0x800;
      cb = cb <= 0xdfff ? cb + 0x2000 : cb - 0x800;
    }
    return ca - cb;
  }
  return a.length - b.length;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
