// A tenant's received and discarded counts (format 3), per tenant after its dropped sides. Optional
// as a whole: all zero stands for "no counts", so a delta without them round-trips unchanged. The
// table below is the layout (payload-format.ts).

import type { FieldDecoder, FieldEncoder } from '../field-coder.ts';
import { compileRecord, type RecordCodec } from '../field-table.ts';
import type { TenantReceived } from '../types.ts';

export const TENANT_RECEIVED: RecordCodec<TenantReceived> = compileRecord<TenantReceived>({
  record: 'tenant received',
  minBytes: 3,
  fields: [
    { name: 'spans', wire: 'number' },
    { name: 'bytes', wire: 'number' },
    { name: 'spansDiscarded', wire: 'counts' },
  ],
});

const NO_RECEIVED: TenantReceived = { spans: 0, bytes: 0, spansDiscarded: {} };

export function encodeReceived(e: FieldEncoder, received: TenantReceived | undefined): void {
  TENANT_RECEIVED.encode(e, received ?? NO_RECEIVED);
}

export function decodeReceived(d: FieldDecoder): TenantReceived | undefined {
  const r = TENANT_RECEIVED.decode(d);
  if (r.spans === 0 && r.bytes === 0 && Object.keys(r.spansDiscarded).length === 0) return undefined;
  return r;
}
