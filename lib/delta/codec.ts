// encodeDelta / decodeDelta: the bytes one ingest invocation stores per partition batch.
//
//   byte 0: format version (3; versions 1, without service-graph halves, and 2, without
//           per-tenant received counts, are still read)
//   byte 1: compression id (compression.ts: 0 none, 1 raw deflate, 2 brotli)
//   then, compressed: varint length of the uncompressed payload, then the compressed payload;
//         uncompressed: the payload itself.
//   payload = body (payload-format.ts) + CRC-32 of the body (4 bytes LE).
// The length lets the decompressor stop at exactly the expected size (no runaway output); the CRC
// catches corrupt or mis-joined parts, which raw deflate and brotli would not notice.
//
// Default compression: brotli quality 6 (with the payload size as hint). Chosen by bytes first,
// because DynamoDB bills every delta item per started KB while the CPU is a rounding error next to
// it (bench/delta-codec.ts; span-metrics deltas with exemplars, 300 / 3,000 / 30,000 series):
//   brotli 6:    5,942 / 53,383 / 539,721 bytes, ~21-54 MB/s to compress
//   brotli 5:    +0.1% / +0.4% / +0.8% bytes, similar CPU
//   deflate 6:   +1.1% / +1.6% / +3.9% bytes, similar CPU, faster to decompress
//   deflate 1, brotli 4: +3-9% bytes, 2x faster; none: +44-53% bytes.
// Brotli 7 and up cost 10-100x the CPU for under 1% (quality 9 spends ~60 ms even on a 6 KB payload).
// The payload is mostly random trace IDs and float sums, so no codec gets far below the raw size.

import { crc32 } from './crc32.ts';
import {
  COMPRESSION_DEFLATE_RAW,
  COMPRESSION_BROTLI,
  COMPRESSION_IDS,
  COMPRESSION_NONE,
  compress,
  decompress,
  type CompressionName,
} from './compression.ts';
import { DeltaFormatError } from './errors.ts';
import { decodePayload } from './payload-decode.ts';
import { encodePayload } from './payload-encode.ts';
import { ByteReader } from './reader.ts';
import type { DeltaContent } from './types.ts';
import { ByteWriter, varintLength } from './writer.ts';

export const DELTA_FORMAT_VERSION = 3;
/** Oldest format version still decoded (deltas written before an upgrade). */
const OLDEST_READABLE_VERSION = 1;

export interface EncodeOptions {
  readonly compression?: CompressionName;
  /** deflate level 0-9 or brotli quality 0-11. */
  readonly level?: number;
}

export const DEFAULT_ENCODE_OPTIONS: Required<EncodeOptions> = { compression: 'brotli', level: 6 };

/** Level when only the compression is given. */
const DEFAULT_LEVELS: Readonly<Record<CompressionName, number>> = { none: 0, 'deflate-raw': 6, brotli: 6 };

/** A payload claiming more than this is corrupt (a real delta is far smaller). */
const MAX_PAYLOAD_BYTES = 1 << 30;
/** The scratch buffer is kept between calls unless a huge delta grew it beyond this. */
const MAX_KEPT_BUFFER = 16 << 20;

let scratch = new ByteWriter(64 * 1024);

export function encodeDelta(content: DeltaContent, options: EncodeOptions = DEFAULT_ENCODE_OPTIONS): Uint8Array {
  const w = scratch;
  w.reset();
  try {
    w.byte(DELTA_FORMAT_VERSION);
    w.byte(COMPRESSION_NONE);
    encodePayload(content, w);
    const crc = crc32(w.buf, 2, w.pos);
    w.ensure(4);
    w.buf[w.pos++] = crc & 0xff;
    w.buf[w.pos++] = (crc >>> 8) & 0xff;
    w.buf[w.pos++] = (crc >>> 16) & 0xff;
    w.buf[w.pos++] = crc >>> 24;
    const name = options.compression ?? DEFAULT_ENCODE_OPTIONS.compression;
    const id = COMPRESSION_IDS[name];
    if (id === undefined) throw new RangeError(`delta encode: unknown compression ${String(name)}`);
    if (id !== COMPRESSION_NONE) {
      const level = options.level ?? DEFAULT_LEVELS[name];
      const payloadLength = w.pos - 2;
      const packed = compress(id, w.buf.subarray(2, w.pos), level);
      const lengthBytes = varintLength(payloadLength);
      const size = 2 + lengthBytes + packed.length;
      // Keep the uncompressed form when compression does not pay for its own length header.
      if (size < w.pos) {
        const out = new Uint8Array(size);
        out[0] = DELTA_FORMAT_VERSION;
        out[1] = id;
        let p = 2;
        let v = payloadLength;
        while (v > 0x7f) {
          out[p++] = (v & 0x7f) | 0x80;
          v >>>= 7;
        }
        out[p++] = v;
        out.set(packed, p);
        return out;
      }
    }
    return w.buf.slice(0, w.pos);
  } finally {
    if (w.buf.length > MAX_KEPT_BUFFER) scratch = new ByteWriter(64 * 1024);
  }
}

export function decodeDelta(bytes: Uint8Array): DeltaContent {
  if (bytes.length < 2) throw new DeltaFormatError(`${bytes.length} bytes is too short for a delta`);
  const version = bytes[0];
  if (version < OLDEST_READABLE_VERSION || version > DELTA_FORMAT_VERSION)
    throw new DeltaFormatError(`unknown format version ${version}`);
  const id = bytes[1];
  let payload: Uint8Array;
  if (id === COMPRESSION_NONE) {
    payload = bytes.subarray(2);
  } else if (id === COMPRESSION_DEFLATE_RAW || id === COMPRESSION_BROTLI) {
    const r = new ByteReader(bytes, 2);
    const length = r.varint();
    if (length < 4 || length > MAX_PAYLOAD_BYTES) throw new DeltaFormatError(`implausible payload length ${length}`);
    payload = decompress(id, bytes.subarray(r.pos), length);
  } else {
    throw new DeltaFormatError(`unknown compression id ${id}`);
  }
  if (payload.length < 4) throw new DeltaFormatError('truncated: no checksum');
  const end = payload.length - 4;
  const stored = (payload[end] | (payload[end + 1] << 8) | (payload[end + 2] << 16) | (payload[end + 3] << 24)) >>> 0;
  if (crc32(payload, 0, end) !== stored) throw new DeltaFormatError('checksum mismatch: corrupt or incomplete delta');
  return decodePayload(payload, 0, end, version);
}
