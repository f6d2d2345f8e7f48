// An encoded delta cut into pieces that each fit one DynamoDB item (400 KB limit, minus the key
// and attribute overhead). Plain slicing: the delta's own CRC tells whether the parts were joined
// back completely and in order.

export const DEFAULT_MAX_PART_BYTES = 350 * 1024;

/** Consecutive slices of at most maxPartBytes (copies, independent of `bytes`); at least one part. */
export function splitIntoParts(bytes: Uint8Array, maxPartBytes = DEFAULT_MAX_PART_BYTES): Uint8Array[] {
  if (!Number.isInteger(maxPartBytes) || maxPartBytes < 1) {
    throw new RangeError(`maxPartBytes must be a positive integer, got ${maxPartBytes}`);
  }
  if (bytes.length === 0) return [new Uint8Array(0)];
  const parts: Uint8Array[] = [];
  for (let start = 0; start < bytes.length; start += maxPartBytes) {
    parts.push(bytes.slice(start, Math.min(start + maxPartBytes, bytes.length)));
  }
  return parts;
}

/** The parts concatenated in order. */
export function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
