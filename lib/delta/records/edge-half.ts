// The service-graph edge half record: in a delta (per tenant, after its series) and, encoded on
// its own, in the flusher's saved state. The table below is the layout (payload-format.ts).

import type { EdgeHalf } from '../../servicegraph-model/half.ts';
import { FieldDecoder, FieldEncoder } from '../field-coder.ts';
import { compileRecord, type RecordCodec } from '../field-table.ts';
import { HALF_FAILED, HALF_SERVER } from '../payload-format.ts';
import { ByteReader } from '../reader.ts';
import { ByteWriter } from '../writer.ts';

export const EDGE_HALF: RecordCodec<EdgeHalf> = compileRecord<EdgeHalf>({
  record: 'edge half',
  minBytes: 20,
  fields: [
    { name: 'key', wire: 'bytes' },
    { name: 'traceIdLength', wire: 'prefix length', of: 'key' },
    {
      wire: 'flags',
      bits: [
        { name: 'side', bit: HALF_SERVER, as: 'bit' },
        { name: 'failed', bit: HALF_FAILED, as: 'boolean' },
      ],
    },
    { name: 'connectionType', wire: 'varint' },
    { name: 'spanKind', wire: 'varint' },
    { name: 'arrivalMs', wire: 'number' },
    { name: 'clientService', wire: 'string' },
    { name: 'serverService', wire: 'string' },
    { name: 'peerNode', wire: 'string' },
    { name: 'clientLatencySec', wire: 'number' },
    { name: 'serverLatencySec', wire: 'number' },
    { name: 'clientEndHi', wire: 'varint' },
    { name: 'clientEndLo', wire: 'varint' },
    { name: 'serverStartHi', wire: 'varint' },
    { name: 'serverStartLo', wire: 'varint' },
    { name: 'multiplier', wire: 'number' },
    { name: 'dimensions', wire: 'strings' },
  ],
});

/** Throws RangeError for a half no decoder would accept back as it was. */
export function encodeHalf(e: FieldEncoder, h: EdgeHalf): void {
  if (!(h.multiplier >= 0) || !Number.isFinite(h.arrivalMs))
    throw new RangeError(`delta encode: edge half with multiplier ${h.multiplier}, arrival ${h.arrivalMs}`);
  EDGE_HALF.encode(e, h);
}

export function decodeHalf(d: FieldDecoder): EdgeHalf {
  return EDGE_HALF.decode(d);
}

/** Layout version of a half encoded on its own (its first byte). */
const STANDALONE_HALF_VERSION = 1;

/** Scratch for encodeStandaloneHalf, kept between calls (a state save encodes every pending half). */
const scratch = new ByteWriter(256);

/**
 * One half on its own: a version byte, then the record with a string dictionary of its own. The
 * result is a view of a scratch buffer, valid until the next call: copy or convert it at once.
 */
export function encodeStandaloneHalf(h: EdgeHalf): Uint8Array {
  const w = scratch;
  w.reset();
  w.byte(STANDALONE_HALF_VERSION);
  encodeHalf(new FieldEncoder(w), h);
  return w.bytes();
}

/** The half of encodeStandaloneHalf; DeltaFormatError unless the bytes are exactly one. */
export function decodeStandaloneHalf(bytes: Uint8Array): EdgeHalf {
  const r = new ByteReader(bytes);
  const version = r.byte();
  if (version !== STANDALONE_HALF_VERSION) r.fail(`unknown edge half version ${version}`);
  const d = new FieldDecoder(r);
  const h = decodeHalf(d);
  d.finish();
  return h;
}
