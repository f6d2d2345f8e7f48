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

/** A table's record writer and reader, compiled from the table once. */
export interface RecordCodec<T> {
  readonly table: RecordTable<T>;
  encode(e: FieldEncoder, value: T): void;
  decode(d: FieldDecoder): T;
  /** A count of records of this table, no more than the bytes left can hold. */
  decodeCount(d: FieldDecoder): number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** Names the generated code uses itself. */
const RESERVED = new Set(['d', 'e', 'i', 'l', 'r', 'v', 'w']);

/**
 * Compiles a table into straight-line code, so a record is written and read as fast as by hand
 * (walking the table per record with computed property names was measured 1.5-2x slower on
 * edge halves). The generated source is made only from the table's own names (checked to be
 * identifiers) and numbers, never from data.
 */
export function compileRecord<T>(table: RecordTable<T>): RecordCodec<T> {
  const what = (f: string): string => JSON.stringify(`${table.record} ${f}`);
  const enc: string[] = ['const w = e.w;'];
  const dec: string[] = ['const r = d.r;'];
  const out: string[] = [];
  let flagsSeen = 0;
  for (const f of table.fields) {
    for (const name of f.wire === 'flags'
      ? f.bits.map((b) => b.name)
      : [f.name, ...(f.wire === 'prefix length' ? [f.of] : [])])
      if (!IDENTIFIER.test(name) || RESERVED.has(name) || name.startsWith('flags'))
        throw new Error(`${table.record}: field name ${JSON.stringify(name)}`);
    switch (f.wire) {
      case 'number':
      case 'varint':
        enc.push(`w.${f.wire}(v.${f.name});`);
        dec.push(`const ${f.name} = r.${f.wire}();`);
        out.push(f.name);
        break;
      case 'prefix length':
        enc.push(`w.varint(v.${f.name});`);
        dec.push(`const ${f.name} = r.varint();`);
        dec.push(
          `if (${f.name} > ${f.of}.length) r.fail(${what(f.name)} + " " + ${f.name} + " beyond a " + ${f.of}.length + ${JSON.stringify(`-byte ${f.of}`)});`,
        );
        out.push(f.name);
        break;
      case 'string':
        enc.push(`e.str(v.${f.name});`);
        dec.push(`const ${f.name} = d.str();`);
        out.push(f.name);
        break;
      case 'bytes':
        enc.push(`w.lengthPrefixed(v.${f.name});`);
        dec.push(`const ${f.name} = r.lengthPrefixed();`);
        out.push(f.name);
        break;
      case 'strings':
        enc.push(`{ const l = v.${f.name}; w.varint(l.length); for (let i = 0; i < l.length; i++) e.str(l[i]); }`);
        dec.push(`const ${f.name} = new Array(r.count(1, ${what(f.name)}));`);
        dec.push(`for (let i = 0; i < ${f.name}.length; i++) ${f.name}[i] = d.str();`);
        out.push(f.name);
        break;
      case 'counts':
        enc.push(`e.record(v.${f.name});`);
        dec.push(`const ${f.name} = d.record(${what(f.name)});`);
        out.push(f.name);
        break;
      case 'flags': {
        const flags = `flags${flagsSeen++}`;
        let known = 0;
        const bits: string[] = [];
        for (const b of f.bits) {
          known |= b.bit;
          bits.push(`(v.${b.name} ? ${b.bit} : 0)`);
          const set = `(${flags} & ${b.bit}) !== 0`;
          out.push(`${b.name}: ${b.as === 'boolean' ? set : `${set} ? 1 : 0`}`);
        }
        enc.push(`w.byte(${bits.join(' | ')});`);
        dec.push(`const ${flags} = r.byte();`);
        dec.push(`if ((${flags} & ${~known}) !== 0) r.fail(${JSON.stringify(`${table.record} flags `)} + ${flags});`);
        break;
      }
    }
  }
  dec.push(`return { ${out.join(', ')} };`);
  const encode = new Function('e', 'v', enc.join('\n')) as (e: FieldEncoder, value: T) => void;
  const decode = new Function('d', dec.join('\n')) as (d: FieldDecoder) => T;
  return { table, encode, decode, decodeCount: (d) => d.r.count(table.minBytes, table.record) };
}
