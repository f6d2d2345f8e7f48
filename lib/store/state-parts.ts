// Where an epoch's state bytes live: in the series table as items of at most 350 KB (no object
// store: local mode), or as objects `state/<epoch>/<attempt>/<part>` (large state when an object
// store is configured: S3 bills a request whatever its size, DynamoDB every started KB). A state
// small enough to be cheaper as one item than as an object stays an item either way.
// Each part carries its size and crc32 (in the header's manifest for objects, on the item for
// items), so a part that is missing or not the one written is named, never decoded.

import { crc32 } from 'node:zlib';
import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Ddb } from './ddb.ts';
import type { ObjectStore } from './object-store.ts';

/** Largest item part (DynamoDB's item limit is 400 KB, keys and attributes included). */
export const MAX_ITEM_PART_BYTES = 350 * 1024;
/** Object parts: few requests, and one part is the most a save or a load holds at once. */
export const DEFAULT_OBJECT_PART_BYTES = 8 * 1024 * 1024;
/**
 * A state up to this size stays one item even with an object store: its write and its later
 * expiry cost 2 write units per started KB, one PUT costs as much as 8 units (prices.ts).
 */
export const INLINE_MAX_BYTES = 2 * 1024;
/** Parts written at once. */
const PUTS_IN_FLIGHT = 4;

export type PartsMedium = 'item' | 'object';

/** One epoch attempt's parts. `manifest` (objects): per part, its size and crc32. */
export interface PartsRef {
  readonly epoch: number;
  readonly attempt: string;
  readonly parts: number;
  readonly medium: PartsMedium;
  readonly manifest?: readonly PartCheck[];
}

export interface PartCheck {
  readonly size: number;
  readonly crc: number;
}

/** The epoch the header points at is incomplete or damaged: cumulative state would be lost by going on. */
export class SnapshotMissingError extends Error {
  constructor(epoch: number, attempt: string, missing: readonly number[], partCount: number, what = 'missing') {
    const list = missing.length > 20 ? `${missing.slice(0, 20).join(', ')}, ...` : missing.join(', ');
    super(`state epoch ${epoch} (attempt ${attempt || 'none'}): snapshot part ${list} of ${partCount} ${what}`);
    this.name = 'SnapshotMissingError';
  }
}

export function objectKey(epoch: number, attempt: string, part: number): string {
  return `state/${epoch}/${attempt}/${part}`;
}

export function itemPk(epoch: number, attempt: string): string {
  return `snap#${epoch}#${attempt}`;
}

function itemSk(i: number): string {
  return String(i).padStart(4, '0');
}

export function encodeManifest(parts: readonly PartCheck[]): Uint8Array {
  const b = Buffer.alloc(parts.length * 8);
  parts.forEach((p, i) => {
    b.writeUInt32LE(p.size, i * 8);
    b.writeUInt32LE(p.crc, i * 8 + 4);
  });
  return b;
}

export function decodeManifest(bytes: Uint8Array | undefined): PartCheck[] | undefined {
  if (bytes === undefined) return undefined;
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: PartCheck[] = [];
  for (let i = 0; i + 8 <= b.length; i += 8) out.push({ size: b.readUInt32LE(i), crc: b.readUInt32LE(i + 4) });
  return out;
}

export class StateParts {
  constructor(
    private readonly ddb: Ddb,
    private readonly table: string,
    private readonly objects: ObjectStore | undefined,
    private readonly objectPartBytes = DEFAULT_OBJECT_PART_BYTES,
    private readonly inlineMaxBytes = INLINE_MAX_BYTES,
  ) {}

  /** Writes the blocks of one epoch attempt as parts; returns where they went and the bytes written. */
  async write(epoch: number, attempt: string, blocks: Iterable<Uint8Array>): Promise<{ ref: PartsRef; bytes: number }> {
    const it = blocks[Symbol.iterator]();
    const pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let total = 0;
    let ended = false;
    const take = (): boolean => {
      const next = it.next();
      if (next.done === true) return false;
      pending.push(next.value);
      pendingBytes += next.value.length;
      total += next.value.length;
      return true;
    };
    // the medium: objects only if the state outgrows one small item
    while (pendingBytes <= this.inlineMaxBytes && !ended) ended = !take();
    const medium: PartsMedium = this.objects !== undefined && pendingBytes > this.inlineMaxBytes ? 'object' : 'item';
    const partBytes = medium === 'object' ? this.objectPartBytes : MAX_ITEM_PART_BYTES;
    const checks: PartCheck[] = [];
    const inFlight: Promise<void>[] = [];
    const emit = async (body: Buffer): Promise<void> => {
      const i = checks.length;
      checks.push({ size: body.length, crc: crc32(body) });
      const p =
        medium === 'object'
          ? this.objects!.put(objectKey(epoch, attempt, i), body)
          : this.putItem(epoch, attempt, i, body, checks[i].crc);
      p.catch(() => undefined); // awaited below, in order
      inFlight.push(p);
      if (inFlight.length >= PUTS_IN_FLIGHT) await inFlight.shift();
    };
    for (;;) {
      while (pendingBytes < partBytes && !ended) ended = !take();
      if (pendingBytes === 0 && checks.length > 0) break;
      const all = Buffer.concat(pending, pendingBytes);
      const cut = Math.min(partBytes, all.length);
      pending.length = 0;
      pendingBytes = all.length - cut;
      if (pendingBytes > 0) pending.push(all.subarray(cut));
      await emit(all.subarray(0, cut));
      if (ended && pendingBytes === 0) break;
    }
    for (const p of inFlight) await p;
    return {
      ref: { epoch, attempt, parts: checks.length, medium, ...(medium === 'object' && { manifest: checks }) },
      bytes: total,
    };
  }

  private async putItem(epoch: number, attempt: string, i: number, body: Buffer, crc: number): Promise<void> {
    await this.ddb.putItem({
      TableName: this.table,
      Item: { pk: { S: itemPk(epoch, attempt) }, sk: { S: itemSk(i) }, d: { B: body }, crc: { N: String(crc) } },
    });
  }

  /** The parts of `ref` in order, each checked; throws SnapshotMissingError naming the first bad ones. */
  async *read(ref: PartsRef): AsyncGenerator<Uint8Array> {
    if (ref.parts === 0) throw new SnapshotMissingError(ref.epoch, ref.attempt, [0], 0);
    if (ref.medium === 'item') {
      yield* await this.readItems(ref);
      return;
    }
    if (this.objects === undefined)
      throw new Error(`state epoch ${ref.epoch} is in the object store, and none is configured`);
    const objects = this.objects;
    const manifest = ref.manifest ?? [];
    const fetches: Promise<Uint8Array | undefined>[] = [];
    const fetch = (i: number) => {
      if (i >= ref.parts) return;
      const p = objects.get(objectKey(ref.epoch, ref.attempt, i));
      p.catch(() => undefined);
      fetches[i] = p;
    };
    for (let i = 0; i < PUTS_IN_FLIGHT; i++) fetch(i);
    for (let i = 0; i < ref.parts; i++) {
      const body = await fetches[i];
      fetches[i] = Promise.resolve(undefined);
      fetch(i + PUTS_IN_FLIGHT);
      if (body === undefined) throw new SnapshotMissingError(ref.epoch, ref.attempt, [i], ref.parts);
      const check = manifest[i];
      if (check === undefined || body.length !== check.size || crc32(body) !== check.crc)
        throw new SnapshotMissingError(
          ref.epoch,
          ref.attempt,
          [i],
          ref.parts,
          `corrupt (object ${objectKey(ref.epoch, ref.attempt, i)}: size or crc32 differs from the header's)`,
        );
      yield body;
    }
  }

  private async readItems(ref: PartsRef): Promise<Uint8Array[]> {
    const parts: (Uint8Array | undefined)[] = Array.from({ length: ref.parts }, () => undefined);
    const crcs: (string | undefined)[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.ddb.query({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: itemPk(ref.epoch, ref.attempt) } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      });
      for (const item of page.Items ?? []) {
        const i = Number(item.sk.S);
        if (Number.isInteger(i) && i >= 0 && i < ref.parts) {
          parts[i] = item.d.B;
          crcs[i] = item.crc?.N;
        }
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    // A plain loop: array methods skip holes, and a hole is exactly what must be caught here.
    const missing: number[] = [];
    const corrupt: number[] = [];
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (p === undefined) missing.push(i);
      else if (crcs[i] !== undefined && String(crc32(p)) !== crcs[i]) corrupt.push(i);
    }
    if (missing.length > 0) throw new SnapshotMissingError(ref.epoch, ref.attempt, missing, ref.parts);
    if (corrupt.length > 0)
      throw new SnapshotMissingError(ref.epoch, ref.attempt, corrupt, ref.parts, 'corrupt (crc32 differs)');
    return parts as Uint8Array[];
  }

  /**
   * Lets a superseded attempt go. Objects are deleted (a DELETE is free, and idempotent); items
   * get a TTL instead (a DeleteItem bills the item's size just as the TTL update does, and
   * expiry by TTL is free), and items already gone stay gone (never recreated).
   */
  async retire(ref: Omit<PartsRef, 'manifest'>, ttlSeconds: number): Promise<void> {
    const all = Array.from({ length: ref.parts }, (_, i) => i);
    if (ref.medium === 'object') {
      if (this.objects === undefined) return;
      const objects = this.objects;
      await Promise.all(all.map((i) => objects.delete(objectKey(ref.epoch, ref.attempt, i))));
      return;
    }
    await Promise.all(
      all.map(async (i) => {
        try {
          await this.ddb.updateItem({
            TableName: this.table,
            Key: { pk: { S: itemPk(ref.epoch, ref.attempt) }, sk: { S: itemSk(i) } },
            UpdateExpression: 'SET #ttl = :ttl',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':ttl': { N: String(ttlSeconds) } },
          });
        } catch (e) {
          if (!isConditionFailure(e)) throw e;
        }
      }),
    );
  }
}

export function isConditionFailure(e: unknown): boolean {
  return (
    e instanceof ConditionalCheckFailedException || (e as { name?: string }).name === 'ConditionalCheckFailedException'
  );
}
