// Each record type of the payload round-trips through its field table alone, and its table names
// every property of the record (a property missing from a table would silently not be stored).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DeltaFormatError } from '../../lib/delta/errors.ts';
import { FieldDecoder, FieldEncoder } from '../../lib/delta/field-coder.ts';
import type { RecordCodec } from '../../lib/delta/field-table.ts';
import { ByteReader } from '../../lib/delta/reader.ts';
import { DROPPED_SIDE, decodeDroppedSide, encodeDroppedSide } from '../../lib/delta/records/dropped-side.ts';
import {
  decodeHalf,
  decodeStandaloneHalf,
  EDGE_HALF,
  encodeHalf,
  encodeStandaloneHalf,
} from '../../lib/delta/records/edge-half.ts';
import { DELTA_HEADER, type DeltaHeader, decodeHeader, encodeHeader } from '../../lib/delta/records/header.ts';
import { decodeReceived, encodeReceived, TENANT_RECEIVED } from '../../lib/delta/records/received.ts';
import type { TenantReceived } from '../../lib/delta/types.ts';
import { ByteWriter } from '../../lib/delta/writer.ts';
import type { DroppedSideHalf, EdgeHalf } from '../../lib/servicegraph-model/half.ts';
import { serviceGraphHalvesDelta } from './fixtures.ts';

/** Encodes values one after another with one dictionary, then decodes them all back. */
function roundTrip<T>(values: T[], encode: (e: FieldEncoder, v: T) => void, decode: (d: FieldDecoder) => T): T[] {
  const w = new ByteWriter(16);
  const e = new FieldEncoder(w);
  for (const v of values) encode(e, v);
  const d = new FieldDecoder(new ByteReader(w.bytes()));
  const back = values.map(() => decode(d));
  d.finish();
  return back;
}

function tableNames<T>(codec: RecordCodec<T>): string[] {
  return codec.table.fields.flatMap((f) => (f.wire === 'flags' ? f.bits.map((b) => b.name) : [f.name])).sort();
}

const tenant = serviceGraphHalvesDelta(6, 9).tenants[0];
const halves: EdgeHalf[] = [
  ...(tenant.edgeHalves ?? []),
  { ...(tenant.edgeHalves ?? [])[0], clientService: 'ü \ud800', failed: true, side: 1, multiplier: 0.25 },
];
const droppedSides: DroppedSideHalf[] = [
  ...(tenant.droppedSides ?? []),
  { ...(tenant.droppedSides ?? [])[0], side: 1 },
];
const header: DeltaHeader = {
  topic: 'traces',
  partition: 2,
  firstOffset: 10,
  lastOffset: 2 ** 53 - 1,
  minTimestampMs: 0,
  maxTimestampMs: 1_760_000_000_123,
  records: 3,
  spans: 0.5,
  badRecords: { 'bad-tenant': 1 },
  spansDiscarded: { 'a|b': 2, 'c|d': 0 },
};
const received: TenantReceived = { spans: 40, bytes: 1234, spansDiscarded: { 'x|y': 3 } };

describe('each record type round-trips through its table and the table names all its fields', () => {
  test('edge half', () => {
    assert.deepStrictEqual(roundTrip(halves, encodeHalf, decodeHalf), halves);
    assert.deepEqual(tableNames(EDGE_HALF), Object.keys(halves[0]).sort());
  });

  test('dropped side', () => {
    assert.deepStrictEqual(roundTrip(droppedSides, encodeDroppedSide, decodeDroppedSide), droppedSides);
    assert.deepEqual(tableNames(DROPPED_SIDE), Object.keys(droppedSides[0]).sort());
  });

  test('delta header', () => {
    assert.deepStrictEqual(roundTrip([header], encodeHeader, decodeHeader), [header]);
    assert.deepEqual(tableNames(DELTA_HEADER), Object.keys(header).sort());
  });

  test('tenant received counts, absent when all zero', () => {
    const none = { spans: 0, bytes: 0, spansDiscarded: {} };
    assert.deepStrictEqual(
      roundTrip<TenantReceived | undefined>([received, undefined, none], encodeReceived, decodeReceived),
      [received, undefined, undefined],
    );
    assert.deepEqual(tableNames(TENANT_RECEIVED), Object.keys(received).sort());
  });
});

describe('a half on its own (as saved with the flusher state)', () => {
  test('round-trips exactly, and any damage or extra byte is a DeltaFormatError', () => {
    for (const h of halves) assert.deepStrictEqual(decodeStandaloneHalf(encodeStandaloneHalf(h)), h);
    const bytes = encodeStandaloneHalf(halves[0]).slice();
    assert.throws(() => decodeStandaloneHalf(Uint8Array.of(...bytes, 0)), DeltaFormatError);
    assert.throws(() => decodeStandaloneHalf(bytes.subarray(0, bytes.length - 1)), DeltaFormatError);
    assert.throws(() => decodeStandaloneHalf(Uint8Array.of(9, ...bytes.subarray(1))), DeltaFormatError);
  });
});
