// A tenant's received and discarded counts in the payload (format 3; layout in payload-format.ts).
// All zero stands for "no counts", so a delta without them round-trips unchanged.

import type { ByteReader } from './reader.ts';
import type { TenantReceived } from './types.ts';
import type { ByteWriter } from './writer.ts';

const NO_RECEIVED: TenantReceived = { spans: 0, bytes: 0, spansDiscarded: {} };

export function writeReceived(
  w: ByteWriter,
  received: TenantReceived | undefined,
  record: (r: Readonly<Record<string, number>>) => void,
): void {
  const r = received ?? NO_RECEIVED;
  w.number(r.spans);
  w.number(r.bytes);
  record(r.spansDiscarded);
}

export function readReceived(
  r: ByteReader,
  record: (what: string) => Record<string, number>,
): TenantReceived | undefined {
  const spans = r.number();
  const bytes = r.number();
  const spansDiscarded = record('tenant spans discarded');
  if (spans === 0 && bytes === 0 && Object.keys(spansDiscarded).length === 0) return undefined;
  return { spans, bytes, spansDiscarded };
}
