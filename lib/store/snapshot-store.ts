// The flusher's durable state, saved as a whole per epoch: the snapshot (every tenant's registry
// and the folded delta positions) is compressed, split in parts under a key of its own (epoch and
// a random attempt id), and the header is then moved to that epoch and attempt with one
// conditional write. A crash before the header moves leaves the previous epoch intact, and a
// second writer racing for the same epoch writes under another attempt id, so committed parts are
// never overwritten: there is never a half-written epoch to repair, and the flusher simply
// refolds the deltas after the last one.
//
// Why whole snapshots rather than one item per series: DynamoDB bills a write per started KB of
// the item, so updating N changed series costs at least N units, while a compressed snapshot
// costs its bytes (tens of bytes per series). Counters of active series change every interval,
// so per-series items would cost orders of magnitude more.

import { randomBytes } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Ddb } from './ddb.ts';
import type { Cursor } from './cursor.ts';
import type { PendingEdgesSnapshot } from '../processors/servicegraphs/half-pairing.ts';
import type { RegistrySnapshot } from '../series/registry-state.ts';

export interface FoldedPosition {
  readonly topic: string;
  readonly partition: number;
  readonly cursor: Cursor;
}

export interface FlusherState {
  readonly epoch: number;
  /** The clock of the invocation that saved it (ms). */
  readonly clockMs: number;
  readonly folded: readonly FoldedPosition[];
  readonly tenants: Readonly<Record<string, RegistrySnapshot>>;
  /** Service-graph halves still waiting for their counterpart, per tenant. */
  readonly edges?: Readonly<Record<string, PendingEdgesSnapshot>>;
  /** The latest Kafka record time folded (ms): the clock pending halves expire by. */
  readonly dataClockMs?: number;
}

export const EMPTY_STATE: FlusherState = { epoch: 0, clockMs: 0, folded: [], tenants: {} };

const HEAD = { pk: { S: 'state' }, sk: { S: 'head' } };
const MAX_PART_BYTES = 350 * 1024;
/** Old snapshots are kept a while for inspection and recovery, then expire. */
const SNAPSHOT_TTL_SECONDS = 2 * 86400;

export class EpochConflictError extends Error {
  constructor(epoch: number) {
    super(`another flusher moved the state past epoch ${epoch}; this invocation's work is discarded`);
    this.name = 'EpochConflictError';
  }
}

export class SnapshotStore {
  constructor(
    private readonly ddb: Ddb,
    private readonly table: string,
  ) {}

  /** The current epoch's state (EMPTY_STATE before the first save). */
  async load(): Promise<FlusherState> {
    const head = await this.ddb.getItem({ TableName: this.table, Key: HEAD, ConsistentRead: true });
    if (head.Item === undefined) return EMPTY_STATE;
    const epoch = Number(head.Item.e.N);
    const attempt = head.Item.att?.S ?? '';
    const partCount = Number(head.Item.parts.N);
    const parts: Uint8Array[] = new Array(partCount);
    let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
    do {
      const page = await this.ddb.query({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: snapshotPk(epoch, attempt) } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      });
      for (const item of page.Items ?? []) parts[Number(item.sk.S)] = item.d.B!;
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    if (parts.some((p) => p === undefined) || parts.length !== partCount) {
      throw new Error(`state epoch ${epoch}: snapshot parts are missing`);
    }
    return decodeState(Buffer.concat(parts));
  }

  /**
   * Saves `state` as epoch state.epoch, which must be exactly one past `previousEpoch`. Returns
   * the bytes written. Throws EpochConflictError if the header moved meanwhile.
   */
  async save(state: FlusherState, previousEpoch: number, nowMs: number): Promise<number> {
    if (state.epoch !== previousEpoch + 1) throw new Error(`epoch ${state.epoch} does not follow ${previousEpoch}`);
    const bytes = encodeState(state);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length || i === 0; i += MAX_PART_BYTES) parts.push(bytes.subarray(i, i + MAX_PART_BYTES));
    const ttl = String(Math.floor(nowMs / 1000) + SNAPSHOT_TTL_SECONDS);
    const attempt = randomBytes(8).toString('hex');
    await Promise.all(
      parts.map((d, i) =>
        this.ddb.putItem({
          TableName: this.table,
          Item: { pk: { S: snapshotPk(state.epoch, attempt) }, sk: { S: String(i).padStart(4, '0') }, d: { B: d }, ttl: { N: ttl } },
        }),
      ),
    );
    try {
      await this.ddb.updateItem({
        TableName: this.table,
        Key: HEAD,
        UpdateExpression: 'SET e = :e, att = :att, parts = :parts, clock = :clock',
        ConditionExpression: previousEpoch === 0 ? 'attribute_not_exists(e)' : 'e = :prev',
        ExpressionAttributeValues: {
          ':e': { N: String(state.epoch) },
          ':att': { S: attempt },
          ':parts': { N: String(parts.length) },
          ':clock': { N: String(state.clockMs) },
          ...(previousEpoch === 0 ? {} : { ':prev': { N: String(previousEpoch) } }),
        },
      });
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException || (e as { name?: string }).name === 'ConditionalCheckFailedException') {
        throw new EpochConflictError(previousEpoch);
      }
      throw e;
    }
    return bytes.length;
  }
}

function snapshotPk(epoch: number, attempt: string): string {
  return `snap#${epoch}#${attempt}`;
}

// JSON cannot carry NaN or ±Infinity (a histogram sum can be either): tag them.
const NON_FINITE = '\u0000f:';

export function encodeState(state: FlusherState): Uint8Array {
  const json = JSON.stringify(state, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? NON_FINITE + String(v) : v));
  return deflateRawSync(Buffer.from(json, 'utf8'), { level: 6 });
}

export function decodeState(bytes: Uint8Array): FlusherState {
  const json = inflateRawSync(bytes).toString('utf8');
  return JSON.parse(json, (_k, v) => (typeof v === 'string' && v.startsWith(NON_FINITE) ? Number(v.slice(NON_FINITE.length)) : v)) as FlusherState;
}
