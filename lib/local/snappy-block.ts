// Decoder for one raw snappy block (the format librdkafka and franz-go write into a snappy Kafka
// batch): a varint uncompressed length, then literal and copy elements. Written here instead of
// using snappyjs's uncompress because that one copies every literal and every match a byte at a
// time into a zero-filled buffer; on the ingest thread it was a tenth of the CPU per span. Long
// literals and non-overlapping matches here are one native copy each.

/** A copy of at most 64 bytes from a 3-byte element is the largest expansion a block allows. */
const MAX_EXPANSION = 22;
/** Below this many bytes a plain loop beats the call into a native copy. */
const NATIVE_COPY_FROM = 16;

function invalid(reason: string): Error {
  return new Error(`snappy: invalid block (${reason})`);
}

/** The uncompressed length and where the elements start. */
function readLength(src: Uint8Array): { length: number; at: number } {
  let length = 0;
  for (let at = 0, shift = 0; at < src.length && shift < 35; shift += 7) {
    const byte = src[at++];
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) {
      if (length > 0xffffffff) throw invalid('length over 32 bits');
      return { length, at };
    }
  }
  throw invalid('truncated length');
}

/** Decodes one raw snappy block; anything malformed throws instead of returning short output. */
export function uncompressSnappyBlock(src: Uint8Array): Buffer {
  const { length, at: start } = readLength(src);
  if (length > src.length * MAX_EXPANSION) throw invalid('declared length larger than the block can hold');
  // every byte is written below: the element loop ends only when out is exactly full
  const out = Buffer.allocUnsafe(length);
  let pos = start;
  let outPos = 0;
  const end = src.length;
  while (pos < end) {
    const tag = src[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let len = tag >>> 2;
      if (len >= 60) {
        const bytes = len - 59;
        if (pos + bytes > end) throw invalid('truncated literal length');
        len = 0;
        for (let i = bytes - 1; i >= 0; i--) len = len * 256 + src[pos + i];
        pos += bytes;
      }
      len += 1;
      if (pos + len > end) throw invalid('literal runs past the block');
      if (outPos + len > length) throw invalid('literal runs past the declared length');
      if (len >= NATIVE_COPY_FROM) out.set(src.subarray(pos, pos + len), outPos);
      else for (let i = 0; i < len; i++) out[outPos + i] = src[pos + i];
      pos += len;
      outPos += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (kind === 1) {
      if (pos >= end) throw invalid('truncated copy');
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | src[pos];
      pos += 1;
    } else if (kind === 2) {
      if (pos + 2 > end) throw invalid('truncated copy');
      len = (tag >>> 2) + 1;
      offset = src[pos] | (src[pos + 1] << 8);
      pos += 2;
    } else {
      if (pos + 4 > end) throw invalid('truncated copy');
      len = (tag >>> 2) + 1;
      offset = (src[pos] | (src[pos + 1] << 8) | (src[pos + 2] << 16)) + src[pos + 3] * 0x1000000;
      pos += 4;
    }
    if (offset === 0 || offset > outPos) throw invalid('copy offset outside the output so far');
    if (outPos + len > length) throw invalid('copy runs past the declared length');
    const from = outPos - offset;
    // an overlapping copy repeats the bytes it has just written, so it must go forwards byte by byte
    if (len >= NATIVE_COPY_FROM && offset >= len) out.copyWithin(outPos, from, from + len);
    else for (let i = 0; i < len; i++) out[outPos + i] = out[from + i];
    outPos += len;
  }
  if (outPos !== length) throw invalid(`${outPos} bytes decoded, ${length} declared`);
  return out;
}
