// Every Kafka record-batch codec for local mode's consumer. kafkajs decodes only gzip by itself;
// snappy, lz4 and zstd batches throw KafkaJSNotImplemented and stop the consumer. Tempo's
// distributor writes snappy (franz-go's default when its writer sets no codec), so without these
// local mode cannot read a Tempo ingest topic. All three are pure JavaScript: nothing native to
// build or download at install time.
//
// Only decompression matters here (local mode never produces to Kafka); compression is provided
// for snappy and lz4 so a test or tool can produce with the same client.

import kafkajs from 'kafkajs';
import { decompress as zstdDecompress } from 'fzstd';
import { compress as lz4Compress, decompress as lz4Decompress } from 'lz4js';
import { compress as snappyCompress, uncompress as snappyUncompress } from 'snappyjs';

/** snappy-java's stream header ("\x82SNAPPY\0", version 1, compatible version 1), which Kafka's Java clients write. */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

/**
 * A snappy record batch is either one raw snappy block (librdkafka, franz-go) or snappy-java's
 * framing: the 16-byte header, then chunks of a 4-byte big-endian length and a snappy block.
 */
export function snappyDecode(data: Buffer): Buffer {
  if (data.length < XERIAL_HEADER_BYTES || !data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC)) {
    return asBuffer(snappyUncompress(data));
  }
  const chunks: Buffer[] = [];
  for (let at = XERIAL_HEADER_BYTES; at < data.length; ) {
    if (at + 4 > data.length) throw new Error('snappy: truncated xerial chunk length');
    const size = data.readUInt32BE(at);
    at += 4;
    if (at + size > data.length) throw new Error('snappy: xerial chunk runs past the end of the batch');
    chunks.push(asBuffer(snappyUncompress(data.subarray(at, at + size))));
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

interface Encoder {
  buffer: Buffer;
}

// kafkajs is CommonJS and assigns these late: Node's named-export detection misses them
const { CompressionCodecs, CompressionTypes } = kafkajs;

let registered = false;

/** Teaches kafkajs snappy, lz4 and zstd (process-wide: kafkajs keeps one codec table). */
export function registerKafkaCodecs(): void {
  if (registered) return;
  registered = true;
  CompressionCodecs[CompressionTypes.Snappy] = () => ({
    compress: async (encoder: Encoder) => Buffer.from(snappyCompress(encoder.buffer)),
    decompress: async (data: Buffer) => snappyDecode(data),
  });
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder: Encoder) => Buffer.from(lz4Compress(encoder.buffer)),
    decompress: async (data: Buffer) => lz4Decode(data),
  });
  CompressionCodecs[CompressionTypes.ZSTD] = () => ({
    compress: async () => {
      throw new Error('zstd compression is not available in local mode (it only consumes zstd batches)');
    },
    decompress: async (data: Buffer) => zstdDecode(data),
  });
}
