// The dropped-side record (a side the service-graph filter policies removed), per tenant after the
// edge halves. The table below is the layout (payload-format.ts).

import type { DroppedSideHalf } from '../../servicegraph-model/half.ts';
import type { FieldDecoder, FieldEncoder } from '../field-coder.ts';
import { compileRecord, type RecordCodec } from '../field-table.ts';
import { HALF_SERVER } from '../payload-format.ts';

export const DROPPED_SIDE: RecordCodec<DroppedSideHalf> = compileRecord<DroppedSideHalf>({
  record: 'dropped side',
  minBytes: 4,
  fields: [
    { name: 'key', wire: 'bytes' },
    { name: 'traceIdLength', wire: 'prefix length', of: 'key' },
    { wire: 'flags', bits: [{ name: 'side', bit: HALF_SERVER, as: 'bit' }] },
    { name: 'arrivalMs', wire: 'number' },
  ],
});

export function encodeDroppedSide(e: FieldEncoder, d: DroppedSideHalf): void {
  DROPPED_SIDE.encode(e, d);
}

export function decodeDroppedSide(d: FieldDecoder): DroppedSideHalf {
  return DROPPED_SIDE.decode(d);
}
