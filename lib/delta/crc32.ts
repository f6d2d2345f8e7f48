// CRC-32 (IEEE, as zlib computes it) over the uncompressed payload. Neither raw deflate nor
// brotli carries a checksum, and DynamoDB items are joined from parts: the CRC is what turns a
// corrupted, truncated or mis-joined delta into an error instead of plausible garbage.

import * as zlib from 'node:zlib';

// zlib.crc32 is native but only exists from Node 20.15 / 22.2; older runtimes use the table.
const nativeCrc32 = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

const TABLE = new Int32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c;
}

/** Table-driven CRC-32 (exported for tests: must agree with zlib's). */
export function crc32Table(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let c = -1;
  for (let i = start; i < end; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** CRC-32 of bytes[start, end), unsigned. */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (nativeCrc32 !== undefined) return nativeCrc32(bytes.subarray(start, end)) >>> 0;
  return crc32Table(bytes, start, end);
}
