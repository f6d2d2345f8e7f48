// Decompression of Kafka record batches (every codec but none), pure JavaScript: nothing native to
// build or download at install time. Used by kafkajs's codecs on the main thread and by the ingest
// thread for batches handed over still compressed (kafka-deferred-batch.ts).

import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { decompress as lz4Decompress } from 'lz4js';
import { uncompressSnappyBlock } from './snappy-block.ts';

/** snappy-java's stream header ("\x82SNAPPY\0", version 1, compatible version 1), which Kafka's Java clients write. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

/**
 * A snappy record batch is either one raw snappy block (librdkafka, franz-go) or snappy-java's
 * framing: the 16-byte header, then chunks of a 4-byte big-endian length and a snappy block.
 */
export function snappyDecode(data: Buffer): Buffer {
  if (data.length < XERIAL_HEADER_BYTES || !data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) {
    return uncompressSnappyBlock(data);
  }
  const chunks: Buffer[] = [];
  for (let at = XERIAL_HEADER_BYTES; at < data.length; ) {
    if (at + 4 > data.length) throw new Error('snappy: truncated xerial chunk length');
    const size = data.readUInt32BE(at);
    at += 4;
    if (at + size > data.length) throw new Error('snappy: xerial chunk runs past the end of the batch');
    chunks.push(uncompressSnappyBlock(data.subarray(at, at + size)));
    at += size;
  }
  return Buffer.concat(chunks);
}

export function lz4Decode(data: Buffer): Buffer {
  return asBuffer(lz4Decompress(data));
}

export function zstdDecode(data: Buffer): Buffer {
  return asBuffer(zstdDecompress(data));
}

/** A Buffer over the decoder's output without copying it (a batch is up to megabytes). */
function asBuffer(bytes: Uint8Array | number[]): Buffer {
  return Array.isArray(bytes) ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** A batch's records decompressed with the codec named by its attributes' id. */
export function decompressBatch(codec: number, data: Buffer): Buffer {
  if (codec === 1) return gunzipSync(data);
  if (codec === 2) return snappyDecode(data);
  if (codec === 3) return lz4Decode(data);
  if (codec === 4) return zstdDecode(data);
  throw new Error(`unknown Kafka compression codec ${codec}`);
}
