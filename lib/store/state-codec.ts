// The binary state format (version 2), written and read incrementally. The stream is a
// preamble (magic and version byte) and then frames, each a 4-byte length and a raw-deflated
// chunk of whole records: the state header, one record per folded position, per tenant its
// registry header then one record per tombstone and per series, per tenant its pending
// service-graph halves one record each, and an end record with the record count (a stream cut
// short is detected). Neither side holds more than one chunk of raw bytes or one record as a
// value, so the state has no single-string or single-buffer limit. Version 1 was deflated JSON
// (state-legacy.ts); the store tells them apart by the version its header records.

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { PendingEdgesSnapshot } from '../servicegraph-model/saved.ts';
import type { RegistrySnapshot } from '../series/registry-state.ts';
import { ByteReader, ByteWriter, StateFormatError } from './state-bytes.ts';
import { isSeriesRecord, readSeries, writeSeries } from './state-series-record.ts';
import type { FlusherState, FlusherStateToSave, FoldedPosition, RegistrySnapshotStream } from './state-types.ts';
import { readValue, writeValue } from './state-value.ts';

export const STATE_FORMAT_VERSION = 2;
const MAGIC = Buffer.from('MSKS', 'latin1');
const PREAMBLE_BYTES = MAGIC.length + 1;
const FRAME_HEADER_BYTES = 4;

const REC_STATE = 0x01;
const REC_POSITION = 0x02;
const REC_TENANT = 0x03;
const REC_TOMBSTONE = 0x04;
const REC_EDGES = 0x05;
const REC_HALF = 0x06;
const REC_DROPPED_SIDE = 0x07;
const REC_END = 0x7f;

export interface StateEncodeOptions {
  /** Raw bytes gathered before a chunk is compressed (default 256 KiB). */
  readonly chunkBytes?: number;
  /** zlib level (default 4: measured near level 6's size at about half its time, see BENCHMARKS.md). */
  readonly level?: number;
}

/** The encoded state as a sequence of byte blocks (preamble, then one block per compressed chunk). */
export function* encodeStateStream(state: FlusherStateToSave, opts: StateEncodeOptions = {}): Generator<Buffer> {
  const chunkBytes = opts.chunkBytes ?? 256 * 1024;
  const level = opts.level ?? 4;
  const preamble = Buffer.alloc(PREAMBLE_BYTES);
  MAGIC.copy(preamble);
  preamble[MAGIC.length] = STATE_FORMAT_VERSION;
  yield preamble;
  const w = new ByteWriter(chunkBytes + 64 * 1024);
  let records = 0;
  const frame = (): Buffer => {
    const body = deflateRawSync(w.view(), { level });
    w.reset();
    const out = Buffer.allocUnsafe(FRAME_HEADER_BYTES + body.length);
    out.writeUInt32LE(body.length, 0);
    body.copy(out, FRAME_HEADER_BYTES);
    return out;
  };
  // one record written: a full chunk is compressed and handed on
  function* recorded(): Generator<Buffer> {
    records++;
    if (w.length >= chunkBytes) yield frame();
  }

  w.byte(REC_STATE);
  w.num(state.epoch);
  w.num(state.clockMs);
  w.bool(state.dataClockMs !== undefined);
  w.num(state.dataClockMs ?? 0);
  yield* recorded();
  for (const f of state.folded) {
    w.byte(REC_POSITION);
    w.str(f.topic);
    w.num(f.partition);
    w.num(f.cursor.offset);
    w.str(f.cursor.attempt);
    w.num(f.cursor.committedAtMs);
    yield* recorded();
  }
  for (const [tenant, snap] of tenantsOf(state)) {
    w.byte(REC_TENANT);
    w.str(tenant);
    w.num(snap.version);
    w.num(snap.lastSentMs);
    w.num(snap.seriesLimitedTotal);
    w.bool(snap.cardinality !== undefined);
    if (snap.cardinality !== undefined) writeValue(w, snap.cardinality);
    yield* recorded();
    for (const [key, at] of snap.tombstones) {
      w.byte(REC_TOMBSTONE);
      w.str(key);
      w.num(at);
      yield* recorded();
    }
    for (const s of snap.series) {
      writeSeries(w, s);
      yield* recorded();
    }
  }
  for (const [tenant, pending] of Object.entries(state.edges ?? {})) {
    w.byte(REC_EDGES);
    w.str(tenant);
    w.bool(pending.counters !== undefined);
    if (pending.counters !== undefined) writeValue(w, pending.counters);
    yield* recorded();
    for (const h of pending.halves) {
      w.byte(REC_HALF);
      writeValue(w, h);
      yield* recorded();
    }
    for (const d of pending.droppedSides) {
      w.byte(REC_DROPPED_SIDE);
      writeValue(w, d);
      yield* recorded();
    }
  }
  w.byte(REC_END);
  w.num(records);
  yield frame();
}

function tenantsOf(state: FlusherStateToSave): Iterable<readonly [string, RegistrySnapshotStream]> {
  const t = state.tenants;
  return Symbol.iterator in t ? (t as Iterable<readonly [string, RegistrySnapshotStream]>) : Object.entries(t);
}

type MutablePending = { halves: unknown[]; droppedSides: unknown[]; counters?: unknown };

/** Rebuilds a state from the bytes of encodeStateStream, fed in blocks of any size. */
export class StateDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private preambleSeen = false;
  private ended = false;
  private records = 0;
  private header: { epoch: number; clockMs: number; dataClockMs?: number } | undefined;
  private readonly folded: FoldedPosition[] = [];
  private readonly tenants: Record<string, RegistrySnapshot> = {};
  private readonly edges: Record<string, MutablePending> = {};
  private tenant: RegistrySnapshot | undefined;
  private edgesOf: MutablePending | undefined;

  push(block: Uint8Array): void {
    this.pending =
      this.pending.length === 0
        ? Buffer.from(block.buffer, block.byteOffset, block.byteLength)
        : Buffer.concat([this.pending, block]);
    let at = 0;
    if (!this.preambleSeen) {
      if (this.pending.length < PREAMBLE_BYTES) return;
      if (!this.pending.subarray(0, MAGIC.length).equals(MAGIC))
        throw new StateFormatError('not a binary state stream (bad magic)');
      const version = this.pending[MAGIC.length];
      if (version !== STATE_FORMAT_VERSION) throw new StateFormatError(`unsupported state format version ${version}`);
      this.preambleSeen = true;
      at = PREAMBLE_BYTES;
    }
    while (this.pending.length - at >= FRAME_HEADER_BYTES) {
      const size = this.pending.readUInt32LE(at);
      if (this.pending.length - at - FRAME_HEADER_BYTES < size) break;
      if (this.ended) throw new StateFormatError('bytes after the end record');
      const body = this.pending.subarray(at + FRAME_HEADER_BYTES, at + FRAME_HEADER_BYTES + size);
      at += FRAME_HEADER_BYTES + size;
      let raw: Buffer;
      try {
        raw = inflateRawSync(body);
      } catch (e) {
        throw new StateFormatError(`a chunk does not inflate (${(e as Error).message})`);
      }
      this.records_(new ByteReader(raw));
    }
    // keep only the unparsed rest (copied, so the caller's block can be released)
    this.pending = at === 0 ? this.pending : Buffer.from(this.pending.subarray(at));
  }

  finish(): FlusherState {
    if (!this.ended || this.header === undefined || this.pending.length > 0)
      throw new StateFormatError('the stream ends before its end record');
    const edges: Record<string, PendingEdgesSnapshot> = {};
    for (const [t, p] of Object.entries(this.edges)) edges[t] = p as unknown as PendingEdgesSnapshot;
    return {
      epoch: this.header.epoch,
      clockMs: this.header.clockMs,
      folded: this.folded,
      tenants: this.tenants,
      edges,
      ...(this.header.dataClockMs !== undefined && { dataClockMs: this.header.dataClockMs }),
    };
  }

  private records_(r: ByteReader): void {
    while (!r.done) {
      if (this.ended) throw new StateFormatError('records after the end record');
      const kind = r.byte();
      if (kind !== REC_STATE && kind !== REC_END && this.header === undefined)
        throw new StateFormatError('a record before the state header');
      switch (kind) {
        case REC_STATE: {
          if (this.header !== undefined) throw new StateFormatError('a second state header');
          const epoch = r.num();
          const clockMs = r.num();
          const hasDataClock = r.bool();
          const dataClockMs = r.num();
          this.header = { epoch, clockMs, ...(hasDataClock && { dataClockMs }) };
          break;
        }
        case REC_POSITION:
          this.folded.push({
            topic: r.str(),
            partition: r.num(),
            cursor: { offset: r.num(), attempt: r.str(), committedAtMs: r.num() },
          });
          break;
        case REC_TENANT: {
          const name = r.str();
          const version = r.num();
          if (version !== 1) throw new StateFormatError(`tenant ${name}: registry snapshot version ${version}`);
          const lastSentMs = r.num();
          const seriesLimitedTotal = r.num();
          const snap: RegistrySnapshot = { version: 1, lastSentMs, seriesLimitedTotal, tombstones: [], series: [] };
          if (r.bool()) snap.cardinality = readValue(r) as RegistrySnapshot['cardinality'];
          this.tenants[name] = snap;
          this.tenant = snap;
          break;
        }
        case REC_TOMBSTONE:
          this.currentTenant().tombstones.push([r.str(), r.num()]);
          break;
        case REC_EDGES: {
          const tenant = r.str();
          const p: MutablePending = { halves: [], droppedSides: [] };
          if (r.bool()) p.counters = readValue(r);
          this.edges[tenant] = p;
          this.edgesOf = p;
          break;
        }
        case REC_HALF:
        case REC_DROPPED_SIDE: {
          if (this.edgesOf === undefined) throw new StateFormatError('an edge half before its tenant');
          (kind === REC_HALF ? this.edgesOf.halves : this.edgesOf.droppedSides).push(readValue(r));
          break;
        }
        case REC_END: {
          const count = r.num();
          if (count !== this.records)
            throw new StateFormatError(`the end record counts ${count} records, ${this.records} were read`);
          this.ended = true;
          continue;
        }
        default:
          if (!isSeriesRecord(kind)) throw new StateFormatError(`unknown record kind ${kind}`);
          this.currentTenant().series.push(readSeries(r, kind));
      }
      this.records++;
    }
  }

  private currentTenant(): RegistrySnapshot {
    if (this.tenant === undefined) throw new StateFormatError('a series before its tenant');
    return this.tenant;
  }
}

/** Decodes a whole stream held in blocks (tests, tools). */
export function decodeStateStream(blocks: Iterable<Uint8Array>): FlusherState {
  const d = new StateDecoder();
  for (const b of blocks) d.push(b);
  return d.finish();
}
