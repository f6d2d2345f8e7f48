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
import { ConditionalCheckFailedException, type AttributeValue } from '@aws-sdk/client-dynamodb';
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
/**
 * Superseded snapshots are kept a while for inspection and recovery, then expire. The current
 * epoch and the one before it carry no TTL: however long the flusher stays down (failing, its
 * remote broken, the account suspended), the state the header points at is still there.
 */
const SNAPSHOT_TTL_SECONDS = 2 * 86400;

/** What the header says: the current epoch, and the epoch it superseded (whose parts expire next). */
export interface StateHead {
  readonly epoch: number;
  readonly attempt: string;
  readonly parts: number;
  readonly previous?: { readonly epoch: number; readonly attempt: string; readonly parts: number };
}

export class EpochConflictError extends Error {
  constructor(epoch: number) {
    super(`another flusher moved the state past epoch ${epoch}; this invocation's work is discarded`);
    this.name = 'EpochConflictError';
  }
}

/** The epoch the header points at is incomplete: cumulative state would be lost by going on. */
export class SnapshotMissingError extends Error {
  constructor(epoch: number, attempt: string, missing: readonly number[], partCount: number) {
    const list = missing.length > 20 ? `${missing.slice(0, 20).join(', ')}, ...` : missing.join(', ');
    super(`state epoch ${epoch} (attempt ${attempt || 'none'}): snapshot part ${list} of ${partCount} missing`);
    this.name = 'SnapshotMissingError';
  }
}

export class SnapshotStore {
  /** The header as this store last read or wrote it. */
  private known: StateHead | undefined;

  constructor(
    private readonly ddb: Ddb,
    private readonly table: string,
  ) {}

  /** The saved header (one consistent read); undefined before the first save. */
  async readHead(): Promise<StateHead | undefined> {
    const head = await this.ddb.getItem({ TableName: this.table, Key: HEAD, ConsistentRead: true });
    return parseHead(head.Item);
  }

  /**
   * Marks the header with this run's token and returns what it held before (one strongly
   * consistent write): the saved epoch, and the token of the last run of any container, saved
   * or not. A container whose own token comes back knows nobody ran in between.
   */
  async claim(token: string): Promise<{ head: StateHead | undefined; lastRun: string }> {
    const out = await this.ddb.updateItem({
      TableName: this.table,
      Key: HEAD,
      UpdateExpression: 'SET runner = :r',
      ExpressionAttributeValues: { ':r': { S: token } },
      ReturnValues: 'ALL_OLD',
    });
    return { head: parseHead(out.Attributes), lastRun: out.Attributes?.runner?.S ?? '' };
  }

  /** True when `head` is the epoch this store last loaded or saved (memory is current). */
  holds(head: StateHead | undefined): boolean {
    if (head === undefined) return this.known === undefined;
    return this.known !== undefined && this.known.epoch === head.epoch && this.known.attempt === head.attempt;
  }

  /** The current epoch's state (EMPTY_STATE before the first save); `read.head` if the header was just read. */
  async load(read?: { readonly head: StateHead | undefined }): Promise<FlusherState> {
    const h = read === undefined ? await this.readHead() : read.head;
    this.known = h;
    if (h === undefined) return EMPTY_STATE;
    const parts: (Uint8Array | undefined)[] = Array.from({ length: h.parts }, () => undefined);
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.ddb.query({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: snapshotPk(h.epoch, h.attempt) } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      });
      for (const item of page.Items ?? []) {
        const i = Number(item.sk.S);
        if (Number.isInteger(i) && i >= 0 && i < h.parts) parts[i] = item.d.B;
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    // A plain loop: array methods skip holes, and a hole is exactly what must be caught here.
    const missing: number[] = [];
    for (let i = 0; i < parts.length; i++) if (parts[i] === undefined) missing.push(i);
    if (missing.length > 0 || h.parts === 0) {
      this.known = undefined;
      throw new SnapshotMissingError(h.epoch, h.attempt, h.parts === 0 ? [0] : missing, h.parts);
    }
    return decodeState(Buffer.concat(parts as Uint8Array[]));
  }

  /**
   * Saves `state` as epoch state.epoch, which must be exactly one past `previousEpoch`. Returns
   * the bytes written. Throws EpochConflictError if the header moved meanwhile.
   *
   * The new parts carry no TTL. Before writing them, the epoch the current header superseded
   * gets its TTL (idempotent, so a save redone after a crash just marks it again); an attempt
   * that loses the race for the header marks its own parts.
   */
  async save(state: FlusherState, previousEpoch: number, nowMs: number): Promise<number> {
    if (state.epoch !== previousEpoch + 1) throw new Error(`epoch ${state.epoch} does not follow ${previousEpoch}`);
    const bytes = encodeState(state);
    const parts: Uint8Array[] = [];
    for (let i = 0; i < bytes.length || i === 0; i += MAX_PART_BYTES) parts.push(bytes.subarray(i, i + MAX_PART_BYTES));
    const ttl = Math.floor(nowMs / 1000) + SNAPSHOT_TTL_SECONDS;
    const current = this.known !== undefined && this.known.epoch === previousEpoch ? this.known : undefined;
    if (current?.previous !== undefined) await this.expire(current.previous, ttl);
    const attempt = randomBytes(8).toString('hex');
    await Promise.all(
      parts.map((d, i) =>
        this.ddb.putItem({
          TableName: this.table,
          Item: { pk: { S: snapshotPk(state.epoch, attempt) }, sk: { S: partSk(i) }, d: { B: d } },
        }),
      ),
    );
    const previous = current === undefined ? undefined : { epoch: current.epoch, attempt: current.attempt, parts: current.parts };
    try {
      await this.ddb.updateItem({
        TableName: this.table,
        Key: HEAD,
        UpdateExpression:
          previous === undefined
            ? 'SET e = :e, att = :att, parts = :parts, clock = :clock REMOVE pe, patt, pparts'
            : 'SET e = :e, att = :att, parts = :parts, clock = :clock, pe = :pe, patt = :patt, pparts = :pparts',
        ConditionExpression: previousEpoch === 0 ? 'attribute_not_exists(e)' : 'e = :prev',
        ExpressionAttributeValues: {
          ':e': { N: String(state.epoch) },
          ':att': { S: attempt },
          ':parts': { N: String(parts.length) },
          ':clock': { N: String(state.clockMs) },
          ...(previousEpoch === 0 ? {} : { ':prev': { N: String(previousEpoch) } }),
          ...(previous === undefined
            ? {}
            : { ':pe': { N: String(previous.epoch) }, ':patt': { S: previous.attempt }, ':pparts': { N: String(previous.parts) } }),
        },
      });
    } catch (e) {
      if (isConditionFailure(e)) {
        // Parts no header will ever point to: let them expire (best effort, the conflict is what matters).
        // Only on a definite refusal: after any other error the header may have moved to them.
        await this.expire({ epoch: state.epoch, attempt, parts: parts.length }, ttl).catch(() => undefined);
        throw new EpochConflictError(previousEpoch);
      }
      throw e;
    }
    this.known = { epoch: state.epoch, attempt, parts: parts.length, previous };
    return bytes.length;
  }

  /** Gives an epoch's parts their TTL; parts already gone stay gone (never recreated). */
  private async expire(epoch: { epoch: number; attempt: string; parts: number }, ttl: number): Promise<void> {
    await Promise.all(
      Array.from({ length: epoch.parts }, async (_, i) => {
        try {
          await this.ddb.updateItem({
            TableName: this.table,
            Key: { pk: { S: snapshotPk(epoch.epoch, epoch.attempt) }, sk: { S: partSk(i) } },
            UpdateExpression: 'SET #ttl = :ttl',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':ttl': { N: String(ttl) } },
          });
        } catch (e) {
          if (!isConditionFailure(e)) throw e;
        }
      }),
    );
  }
}

function parseHead(item: Record<string, AttributeValue> | undefined): StateHead | undefined {
  // the header exists before the first save once a run claimed it
  if (item?.e?.N === undefined) return undefined;
  const previous = item.pe?.N === undefined ? undefined : { epoch: Number(item.pe.N), attempt: item.patt?.S ?? '', parts: Number(item.pparts?.N ?? 0) };
  return { epoch: Number(item.e.N), attempt: item.att?.S ?? '', parts: Number(item.parts.N), previous };
}

function isConditionFailure(e: unknown): boolean {
  return e instanceof ConditionalCheckFailedException || (e as { name?: string }).name === 'ConditionalCheckFailedException';
}

function partSk(i: number): string {
  return String(i).padStart(4, '0');
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
