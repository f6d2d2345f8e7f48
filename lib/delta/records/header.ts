// The delta header record: where the delta's records came from and what was counted about them
// (everything of DeltaContent but its tenants). The table below is the layout (payload-format.ts).

import type { FieldDecoder, FieldEncoder } from '../field-coder.ts';
import { compileRecord, type RecordCodec } from '../field-table.ts';
import type { DeltaContent } from '../types.ts';

export type DeltaHeader = Omit<DeltaContent, 'tenants'>;

export const DELTA_HEADER: RecordCodec<DeltaHeader> = compileRecord<DeltaHeader>({
  record: 'delta header',
  minBytes: 11,
  fields: [
    { name: 'topic', wire: 'string' },
    { name: 'partition', wire: 'number' },
    { name: 'firstOffset', wire: 'number' },
    { name: 'lastOffset', wire: 'number' },
    { name: 'minTimestampMs', wire: 'number' },
    { name: 'maxTimestampMs', wire: 'number' },
    { name: 'records', wire: 'number' },
    { name: 'spans', wire: 'number' },
    { name: 'badRecords', wire: 'counts' },
    { name: 'spansDiscarded', wire: 'counts' },
  ],
});

export function encodeHeader(e: FieldEncoder, h: DeltaHeader): void {
  DELTA_HEADER.encode(e, h);
}

export function decodeHeader(d: FieldDecoder): DeltaHeader {
  return DELTA_HEADER.decode(d);
}
