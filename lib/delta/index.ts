// Public API of the per-batch delta: codec, DynamoDB-sized parts, and per-series sums.

export type { DeltaContent, TenantDelta } from './types.ts';
export { DeltaFormatError } from './errors.ts';
export { DELTA_FORMAT_VERSION, DEFAULT_ENCODE_OPTIONS, decodeDelta, encodeDelta, type EncodeOptions } from './codec.ts';
export { COMPRESSION_BROTLI, COMPRESSION_DEFLATE_RAW, COMPRESSION_NONE, type CompressionName } from './compression.ts';
export { DEFAULT_MAX_PART_BYTES, joinParts, splitIntoParts } from './parts.ts';
export { sumIncrements } from './merge.ts';
