// The compressions a delta may use, by the id stored in its byte 1. Ids are forever: a decoder
// must read every delta still in the table, whatever the current default.

import * as zlib from 'node:zlib';
import { DeltaFormatError } from './errors.ts';

export const COMPRESSION_NONE = 0;
export const COMPRESSION_DEFLATE_RAW = 1;
export const COMPRESSION_BROTLI = 2;

export type CompressionName = 'none' | 'deflate-raw' | 'brotli';

export const COMPRESSION_IDS: Readonly<Record<CompressionName, number>> = {
  none: COMPRESSION_NONE,
  'deflate-raw': COMPRESSION_DEFLATE_RAW,
  brotli: COMPRESSION_BROTLI,
};

/** Compresses with the named codec at `level` (deflate 0-9, brotli quality 0-11). */
export function compress(id: number, payload: Uint8Array, level: number): Uint8Array {
  switch (id) {
    case COMPRESSION_DEFLATE_RAW:
      return zlib.deflateRawSync(payload, { level });
    case COMPRESSION_BROTLI:
      return zlib.brotliCompressSync(payload, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: level,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: payload.length,
        },
      });
    default:
      throw new RangeError(`delta encode: cannot compress with id ${id}`);
  }
}

/** Decompresses to exactly `length` bytes; anything else is a DeltaFormatError. */
export function decompress(id: number, data: Uint8Array, length: number): Uint8Array {
  let out: Uint8Array;
  try {
    switch (id) {
      case COMPRESSION_DEFLATE_RAW:
        out = zlib.inflateRawSync(data, { maxOutputLength: length });
        break;
      case COMPRESSION_BROTLI:
        out = zlib.brotliDecompressSync(data, { maxOutputLength: length });
        break;
      default:
        throw new DeltaFormatError(`unknown compression id ${id}`);
    }
  } catch (err) {
    if (err instanceof DeltaFormatError) throw err;
    throw new DeltaFormatError(`compression id ${id}: ${(err as Error).message}`);
  }
  if (out.length !== length) throw new DeltaFormatError(`decompressed ${out.length} bytes, header says ${length}`);
  return out;
}
