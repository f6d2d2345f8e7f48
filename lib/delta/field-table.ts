// Records laid out by a field table: the table alone says which fields a record has, in which order,
// and how each is written, and one encoder and one decoder walk it, so a field added to a table is
// written and read in step. Layout of each table's record in payload-format.ts.

import type { FieldDecoder, FieldEncoder } from './field-coder.ts';

/** A bit of a flags byte: `boolean` fields decode to true/false, `bit` fields to 1/0. */
export interface FlagBit<K extends string = string> {
  readonly name: K;
  readonly bit: number;
  readonly as: 'boolean' | 'bit';
}

/** One field of a record, named as the property of the record's type (K: its property names). */
export type Field<K extends string = string> =
  /** number: any number, bit-exact; varint: a non-negative safe integer; string: a dictionary reference. */
  | { readonly name: K; readonly wire: 'number' | 'varint' | 'string' }
  /** Bytes after their length. */
  | { readonly name: K; readonly wire: 'bytes' }
  /** A varint no larger than the byte length of an earlier `bytes` field (a prefix of it). */
  | { readonly name: K; readonly wire: 'prefix length'; readonly of: K }
  /** Count, then one dictionary reference per string. */
  | { readonly name: K; readonly wire: 'strings' }
  /** Count, then (key, number) pairs with keys strictly increasing. */
  | { readonly name: K; readonly wire: 'counts' }
  /** One byte of flag bits; any other bit set is corruption. */
  | { readonly wire: 'flags'; readonly bits: readonly FlagBit<K>[] };

export interface RecordTable<T = Record<string, unknown>> {
  /** What the record is, for error messages. */
  readonly record: string;
  readonly fields: readonly Field<keyof T & string>[];
  /** Bytes one record takes at least: a count of records is checked against the bytes left with it. */
  readonly minBytes: number;
}

type Fields = Record<string, unknown>;

export function encodeRecord<T extends object>(e: FieldEncoder, table: RecordTable<T>, value: T): void {
  const w = e.w;
  const v = value as Fields;
  for (const f of table.fields) {
    switch (f.wire) {
      case 'number':
        w.number(v[f.name] as number);
        break;
      case 'varint':
      case 'prefix length':
        w.varint(v[f.name] as number);
        break;
      case 'string':
        e.str(v[f.name] as string);
        break;
      case 'bytes':
        w.lengthPrefixed(v[f.name] as Uint8Array);
        break;
      case 'strings': {
        const list = v[f.name] as readonly string[];
        w.varint(list.length);
        for (let i = 0; i < list.length; i++) e.str(list[i]);
        break;
      }
      case 'counts':
        e.record(v[f.name] as Readonly<Record<string, number>>);
        break;
      case 'flags': {
        let flags = 0;
        for (const b of f.bits) if (v[b.name]) flags |= b.bit;
        w.byte(flags);
        break;
      }
    }
  }
}

/** A count of records of this table, no more than the bytes left can hold. */
export function decodeCount<T>(d: FieldDecoder, table: RecordTable<T>): number {
  return d.r.count(table.minBytes, table.record);
}

export function decodeRecord<T>(d: FieldDecoder, table: RecordTable<T>): T {
  const r = d.r;
  const v: Fields = {};
  for (const f of table.fields) {
    switch (f.wire) {
      case 'number':
        v[f.name] = r.number();
        break;
      case 'varint':
        v[f.name] = r.varint();
        break;
      case 'prefix length': {
        const n = r.varint();
        const of = (v[f.of] as Uint8Array).length;
        if (n > of) r.fail(`${table.record} ${f.name} ${n} beyond a ${of}-byte ${f.of}`);
        v[f.name] = n;
        break;
      }
      case 'string':
        v[f.name] = d.str();
        break;
      case 'bytes':
        v[f.name] = r.lengthPrefixed();
        break;
      case 'strings': {
        const n = r.count(1, `${table.record} ${f.name}`);
        const list: string[] = new Array(n);
        for (let i = 0; i < n; i++) list[i] = d.str();
        v[f.name] = list;
        break;
      }
      case 'counts':
        v[f.name] = d.record(`${table.record} ${f.name}`);
        break;
      case 'flags': {
        const flags = r.byte();
        let known = 0;
        for (const b of f.bits) {
          known |= b.bit;
          const set = (flags & b.bit) !== 0;
          v[b.name] = b.as === 'boolean' ? set : set ? 1 : 0;
        }
        if ((flags & ~known) !== 0) r.fail(`${table.record} flags ${flags}`);
        break;
      }
    }
  }
  return v as T;
}
