// The flusher's durable state, saved as a whole per epoch: the state (every tenant's registry
// and the folded delta positions) is encoded as a stream (state-codec.ts), written in parts
// under a key of its own (epoch and a random attempt id: state-parts.ts), and the header is then
// moved to that epoch and attempt with one conditional write. A crash before the header moves
// leaves the previous epoch intact, and a second writer racing for the same epoch writes under
// another attempt id, so committed parts are never overwritten: there is never a half-written
// epoch to repair, and the flusher simply refolds the deltas after the last one.
//
// Why whole snapshots rather than one item per series: DynamoDB bills a write per started KB of
// the item, so updating N changed series costs at least N units, while a compressed snapshot
// costs its bytes (a few bytes per series), or a few requests when it goes to the object store.
//
// The header keeps the current epoch and the one before it; older ones are let go after each
// save (objects deleted, items given a TTL), so however long the flusher stays down (failing, its
// remote broken, the account suspended), the state the header points at is still there.

import { randomBytes } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Ddb } from './ddb.ts';
import type { ObjectStore } from './object-store.ts';
import { STATE_FORMAT_VERSION, StateDecoder, encodeStateStream, type StateEncodeOptions } from './state-codec.ts';
import { StateFormatError } from './state-bytes.ts';
import { decodeLegacyState } from './state-legacy.ts';
import {
  StateParts,
  decodeManifest,
  encodeManifest,
  isConditionFailure,
  type PartsMedium,
  type PartsRef,
} from './state-parts.ts';
import { EMPTY_STATE, type FlusherState, type FlusherStateToSave } from './state-types.ts';

export {
  EMPTY_STATE,
  type FlusherState,
  type FlusherStateToSave,
  type FoldedPosition,
  type RegistrySnapshotStream,
} from './state-types.ts';
export { SnapshotMissingError } from './state-parts.ts';

const HEAD = { pk: { S: 'state' }, sk: { S: 'head' } };
/** Superseded item parts are kept this long for inspection, then expire. */
const SNAPSHOT_TTL_SECONDS = 2 * 86400;

type EpochRef = Omit<PartsRef, 'manifest'>;

/** What the header says: the current epoch and where its parts are, and the epochs it keeps track of. */
export interface StateHead extends PartsRef {
  /** State format version of the current epoch (1: deflated JSON, 2: the binary stream). */
  readonly version: number;
  /** Clock of the invocation that saved the current epoch (ms). */
  readonly savedAtMs: number;
  /** The epoch the current one superseded: kept. */
  readonly previous?: EpochRef;
  /** The epoch before that, being deleted (objects only: a delete is free, so it is retried). */
  readonly dropping?: EpochRef;
}

export class EpochConflictError extends Error {
  constructor(epoch: number) {
    super(`another flusher moved the state past epoch ${epoch}; this invocation's work is discarded`);
    this.name = 'EpochConflictError';
  }
}

export interface SnapshotStoreOptions {
  /** Large state goes here (S3 in AWS); without one, every part is a DynamoDB item. */
  readonly objects?: ObjectStore;
  readonly objectPartBytes?: number;
  /** States up to this size stay one item even with an object store (default: state-parts.ts). */
  readonly inlineMaxBytes?: number;
  readonly encode?: StateEncodeOptions;
}

export interface SaveOutcome {
  /** Encoded state bytes. */
  readonly bytes: number;
  readonly parts: number;
  readonly medium: PartsMedium;
  /** Superseded parts that could not be let go this time (retried at the next save for objects). */
  readonly retireFailures: number;
}

export class SnapshotStore {
  /** The header as this store last read or wrote it. */
  private known: StateHead | undefined;
  private readonly parts: StateParts;

  constructor(
    private readonly ddb: Ddb,
    private readonly table: string,
    private readonly opts: SnapshotStoreOptions = {},
  ) {
    this.parts = new StateParts(ddb, table, opts.objects, opts.objectPartBytes, opts.inlineMaxBytes);
  }

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
  async claim(token: string): Promise<{ head: StateHead | undefined; lastRun: string; reach: string | undefined }> {
    const out = await this.ddb.updateItem({
      TableName: this.table,
      Key: HEAD,
      UpdateExpression: 'SET runner = :r',
      ExpressionAttributeValues: { ':r': { S: token } },
      ReturnValues: 'ALL_OLD',
    });
    return {
      head: parseHead(out.Attributes),
      lastRun: out.Attributes?.runner?.S ?? '',
      reach: out.Attributes?.reach?.S,
    };
  }

  /** Records how far this run has folded (lib/flush/fold-reach.ts), before it sends from there. */
  async recordReach(reach: string): Promise<void> {
    await this.ddb.updateItem({
      TableName: this.table,
      Key: HEAD,
      UpdateExpression: 'SET reach = :r',
      ExpressionAttributeValues: { ':r': { S: reach } },
    });
  }

  /** True when `head` is the epoch this store last loaded or saved (memory is current). */
  holds(head: StateHead | undefined): boolean {
    if (head === undefined) return this.known === undefined;
    return this.known !== undefined && this.known.epoch === head.epoch && this.known.attempt === head.attempt;
  }

  /** The header this store last loaded or saved. */
  get head(): StateHead | undefined {
    return this.known;
  }

  /** The current epoch's state (EMPTY_STATE before the first save); `read.head` if the header was just read. */
  async load(read?: { readonly head: StateHead | undefined }): Promise<FlusherState> {
    const h = read === undefined ? await this.readHead() : read.head;
    this.known = undefined;
    if (h === undefined) return EMPTY_STATE;
    let state: FlusherState;
    try {
      state = await this.decode(h);
    } catch (e) {
      if (e instanceof StateFormatError)
        throw new StateFormatError(`state epoch ${h.epoch} (attempt ${h.attempt}) is malformed: ${e.message}`);
      throw e;
    }
    this.known = h;
    return state;
  }

  private async decode(h: StateHead): Promise<FlusherState> {
    let state: FlusherState;
    if (h.version === 1) {
      const blocks: Uint8Array[] = [];
      for await (const b of this.parts.read(h)) blocks.push(b);
      state = decodeLegacyState(Buffer.concat(blocks));
    } else {
      const decoder = new StateDecoder();
      for await (const b of this.parts.read(h)) decoder.push(b);
      state = decoder.finish();
    }
    return state;
  }

  /**
   * Saves `state` as epoch state.epoch, which must be exactly one past `previousEpoch`. Throws
   * EpochConflictError if the header moved meanwhile.
   *
   * The new parts never expire. The header then keeps the epoch it superseded; the one before
   * that is let go: item parts get their TTL before the new parts are written (idempotent, so a
   * save redone after a crash just marks them again), objects are deleted once the new header is
   * committed (and again at the next save, in case this run died in between). An attempt that
   * loses the race for the header lets its own parts go.
   */
  async save(state: FlusherStateToSave, previousEpoch: number, nowMs: number): Promise<SaveOutcome> {
    if (state.epoch !== previousEpoch + 1) throw new Error(`epoch ${state.epoch} does not follow ${previousEpoch}`);
    const ttl = Math.floor(nowMs / 1000) + SNAPSHOT_TTL_SECONDS;
    const current = this.known !== undefined && this.known.epoch === previousEpoch ? this.known : undefined;
    const before = current?.previous;
    if (before?.medium === 'item') await this.parts.retire(before, ttl);
    const attempt = randomBytes(8).toString('hex');
    const { ref, bytes } = await this.parts.write(state.epoch, attempt, encodeStateStream(state, this.opts.encode));
    const previous: EpochRef | undefined = current === undefined ? undefined : refOf(current);
    const dropping = before?.medium === 'object' ? before : undefined;
    try {
      await this.commitHead(ref, state.clockMs, previousEpoch, previous, dropping);
    } catch (e) {
      if (isConditionFailure(e)) {
        // Parts no header will ever point to (best effort, the conflict is what matters). Only
        // on a definite refusal: after any other error the header may have moved to them.
        await this.parts.retire(ref, ttl).catch(() => undefined);
        throw new EpochConflictError(previousEpoch);
      }
      throw e;
    }
    this.known = { ...ref, version: STATE_FORMAT_VERSION, savedAtMs: state.clockMs, previous, dropping };
    let retireFailures = 0;
    for (const old of [dropping, current?.dropping]) {
      if (old === undefined) continue;
      await this.parts.retire(old, ttl).catch(() => retireFailures++);
    }
    return { bytes, parts: ref.parts, medium: ref.medium, retireFailures };
  }

  private async commitHead(
    ref: PartsRef,
    clockMs: number,
    previousEpoch: number,
    previous: EpochRef | undefined,
    dropping: EpochRef | undefined,
  ): Promise<void> {
    const set: string[] = ['e = :e', 'att = :att', 'parts = :parts', 'clock = :clock', 'v = :v', 'loc = :loc'];
    const remove: string[] = [];
    const values: Record<string, AttributeValue> = {
      ':e': { N: String(ref.epoch) },
      ':att': { S: ref.attempt },
      ':parts': { N: String(ref.parts) },
      ':clock': { N: String(clockMs) },
      ':v': { N: String(STATE_FORMAT_VERSION) },
      ':loc': { S: ref.medium },
    };
    if (ref.manifest !== undefined) {
      set.push('pm = :pm');
      values[':pm'] = { B: encodeManifest(ref.manifest) };
    } else remove.push('pm');
    for (const [prefix, r] of [
      ['p', previous],
      ['d', dropping],
    ] as const) {
      const names = [`${prefix}e`, `${prefix}att`, `${prefix}parts`, `${prefix}loc`];
      if (r === undefined) {
        remove.push(...names);
        continue;
      }
      const vals: AttributeValue[] = [
        { N: String(r.epoch) },
        { S: r.attempt },
        { N: String(r.parts) },
        { S: r.medium },
      ];
      names.forEach((n, i) => {
        set.push(`${n} = :${n}`);
        values[`:${n}`] = vals[i];
      });
    }
    if (previousEpoch !== 0) values[':prev'] = { N: String(previousEpoch) };
    await this.ddb.updateItem({
      TableName: this.table,
      Key: HEAD,
      UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: previousEpoch === 0 ? 'attribute_not_exists(e)' : 'e = :prev',
      ExpressionAttributeValues: values,
    });
  }
}

function refOf(h: EpochRef): EpochRef {
  return { epoch: h.epoch, attempt: h.attempt, parts: h.parts, medium: h.medium };
}

function mediumOf(v: AttributeValue | undefined): PartsMedium {
  return v?.S === 'object' ? 'object' : 'item';
}

function parseRef(item: Record<string, AttributeValue>, prefix: 'p' | 'd'): EpochRef | undefined {
  const e = item[`${prefix}e`]?.N;
  if (e === undefined) return undefined;
  return {
    epoch: Number(e),
    attempt: item[`${prefix}att`]?.S ?? '',
    parts: Number(item[`${prefix}parts`]?.N ?? 0),
    medium: mediumOf(item[`${prefix}loc`]),
  };
}

function parseHead(item: Record<string, AttributeValue> | undefined): StateHead | undefined {
  // the header exists before the first save once a run claimed it
  if (item?.e?.N === undefined) return undefined;
  const manifest = decodeManifest(item.pm?.B);
  // version 1 headers named their previous epoch pe/patt/pparts, always items
  return {
    epoch: Number(item.e.N),
    attempt: item.att?.S ?? '',
    parts: Number(item.parts?.N ?? 0),
    medium: mediumOf(item.loc),
    ...(manifest !== undefined && { manifest }),
    version: Number(item.v?.N ?? 1),
    savedAtMs: Number(item.clock?.N ?? 0),
    previous: parseRef(item, 'p'),
    dropping: parseRef(item, 'd'),
  };
}
