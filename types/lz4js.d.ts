// lz4js ships no types; this is the part of its API lib/local/kafka-codecs.ts uses.
declare module 'lz4js' {
  /** Decompresses one LZ4 frame; `maxSize` defaults to the bound the frame header implies. */
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
}
