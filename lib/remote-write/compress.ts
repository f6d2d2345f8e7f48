// Remote write 1.0 bodies are snappy *block* format (Content-Encoding: snappy), not the framed
// stream format; snappyjs writes the block format.

import { compress as snappyCompress, uncompress as snappyUncompress } from 'snappyjs';

export function compress(bytes: Uint8Array): Uint8Array {
  return snappyCompress(bytes);
}

/** The inverse, for receivers and tests; maxLength guards against a hostile length header. */
export function decompress(bytes: Uint8Array, maxLength?: number): Uint8Array {
  return snappyUncompress(bytes, maxLength);
}
