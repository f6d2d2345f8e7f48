// Every Kafka record-batch codec for local mode's consumer. kafkajs decodes only gzip by itself;
// snappy, lz4 and zstd batches throw KafkaJSNotImplemented and stop the consumer. Tempo's
// distributor writes snappy (franz-go's default when its writer sets no codec), so without these
// local mode cannot read a Tempo ingest topic. All three are pure JavaScript: nothing native to
// build or download at install time.
//
// Only decompression matters here (local mode never produces to Kafka); compression is provided
// for gzip, snappy and lz4 so a test or tool can produce with the same client. Decompression
// itself is in kafka-decompress.ts.

import kafkajs from 'kafkajs';
import { compress as lz4Compress } from 'lz4js';
import { compress as snappyCompress } from 'snappyjs';
import { decompressBatch } from './kafka-decompress.ts';
import { deferCompressedBatch } from './kafka-deferred-batch.ts';

interface Encoder {
  buffer: Buffer;
}

// kafkajs is CommonJS and assigns these late: Node's named-export detection misses them
const { CompressionCodecs, CompressionTypes } = kafkajs;

let registered = false;

/**
 * Teaches kafkajs snappy, lz4 and zstd, and makes every codec (gzip too) hand its batch over
 * still compressed where it can (kafka-deferred-batch.ts). Process-wide: kafkajs keeps one codec
 * table, and local mode's consumer is the only kafkajs reader of records in the process.
 */
export function registerKafkaCodecs(): void {
  if (registered) return;
  registered = true;
  const gzip = CompressionCodecs[CompressionTypes.GZIP]();
  const decompress = (codec: number) => async (data: Buffer) =>
    deferCompressedBatch(data, codec) ?? decompressBatch(codec, data);
  CompressionCodecs[CompressionTypes.GZIP] = () => ({
    compress: (encoder: Encoder) => gzip.compress(encoder),
    decompress: decompress(CompressionTypes.GZIP),
  });
  CompressionCodecs[CompressionTypes.Snappy] = () => ({
    compress: async (encoder: Encoder) => Buffer.from(snappyCompress(encoder.buffer)),
    decompress: decompress(CompressionTypes.Snappy),
  });
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder: Encoder) => Buffer.from(lz4Compress(encoder.buffer)),
    decompress: decompress(CompressionTypes.LZ4),
  });
  CompressionCodecs[CompressionTypes.ZSTD] = () => ({
    compress: async () => {
      throw new Error('zstd compression is not available in local mode (it only consumes zstd batches)');
    },
    decompress: decompress(CompressionTypes.ZSTD),
  });
}
