// The claim check for large deltas: an encoded delta above a size threshold is PUT to the object
// store, and its DynamoDB item carries only the object's key, size and CRC-32 instead of the
// payload parts. The commit rule does not change: the item is still written by the attempt, the
// cursor commit still makes it visible, and the object key carries topic, partition, offsets and
// the attempt id, so an attempt that lost its commit (or a zombie) writes an object nobody reads
// and never overwrites a committed one. Uncommitted objects expire with the bucket's lifecycle
// rule on `deltas/`, as their items expire by TTL.
//
// Why 8 KiB (BENCHMARKS.md, "claim check", measured by bench/cost.ts): an inline delta pays one
// write unit per started KB ($0.625 per million), a strongly consistent read per 4 KB when the
// flusher folds it, and DynamoDB storage ($0.25 per GB-month) for the TTL; as an object it pays a
// PUT ($0.005 per 1,000) and a GET ($0.0004 per 1,000) whatever its size, a one-unit pointer item,
// S3 storage ($0.023 per GB-month) and the PUT's round trip in the ingest Lambda. Measured, the
// two cost the same between 8 and 9 KB ($6.32 and $7.03 inline against $6.41 as an object, per
// million deltas); above 8 KiB the item already pays 9 units, so every larger delta is cheaper
// as an object, and below it the object would cost more.

import { crc32 } from '../delta/crc32.ts';
import { splitIntoParts } from '../delta/parts.ts';
import { padOffset } from './keys.ts';
import type { ObjectStore } from './object-store.ts';

export const DEFAULT_DELTA_OBJECT_THRESHOLD_BYTES = 8 * 1024;

/** Where a delta's payload lives when it is not inline. */
export interface DeltaObjectRef {
  readonly key: string;
  /** Bytes of the object (the encoded delta). */
  readonly bytes: number;
  /** CRC-32 (IEEE) of those bytes. */
  readonly crc32: number;
}

/** A delta's payload: inline parts, or a reference to the object that holds it. */
export type DeltaPayload =
  | { readonly parts: readonly Uint8Array[]; readonly object?: undefined }
  | { readonly parts?: undefined; readonly object: DeltaObjectRef };

export interface DeltaIdentity {
  readonly topic: string;
  readonly partition: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly attempt: string;
}

/** One key per attempt at a batch: never reused, so a late writer cannot replace a committed object. */
export function deltaObjectKey(d: DeltaIdentity): string {
  return `deltas/${encodeURIComponent(d.topic)}/${d.partition}/${padOffset(d.firstOffset)}-${padOffset(d.lastOffset)}-${d.attempt}`;
}

export interface ClaimCheckOptions {
  /** No store: every delta stays inline (local mode, deployments without the data bucket). */
  readonly objects?: ObjectStore;
  readonly thresholdBytes?: number;
  readonly maxPartBytes?: number;
}

/**
 * The payload the delta item should carry. A delta above the threshold is PUT first (before the
 * item, so an item never names an object that was not written); a failed PUT throws and the
 * batch is retried under a new attempt id.
 */
export async function placeDeltaPayload(
  encoded: Uint8Array,
  id: DeltaIdentity,
  opts: ClaimCheckOptions,
): Promise<DeltaPayload> {
  const threshold = opts.thresholdBytes ?? DEFAULT_DELTA_OBJECT_THRESHOLD_BYTES;
  if (opts.objects === undefined || encoded.length <= threshold)
    return { parts: splitIntoParts(encoded, opts.maxPartBytes) };
  const object: DeltaObjectRef = { key: deltaObjectKey(id), bytes: encoded.length, crc32: crc32(encoded) };
  await opts.objects.put(object.key, encoded);
  return { object };
}

/** Why a committed delta's object could not be used: a gap on its partition, like a missing item. */
export type ObjectGapReason = 'missing_object' | 'object_checksum';

/**
 * The object a committed delta names, checked against the size and CRC-32 its item recorded.
 * Gone (expired after a very long fold lag) or not matching: the reason, and the delta is a gap.
 * A GET that fails throws: the run is retried, nothing is skipped.
 */
export async function fetchDeltaObject(
  objects: ObjectStore,
  ref: DeltaObjectRef,
): Promise<{ bytes: Uint8Array } | { reason: ObjectGapReason }> {
  const bytes = await objects.get(ref.key);
  if (bytes === undefined) return { reason: 'missing_object' };
  if (bytes.length !== ref.bytes || crc32(bytes) !== ref.crc32) return { reason: 'object_checksum' };
  return { bytes };
}
