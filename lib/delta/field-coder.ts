// What every record of the payload writes through: the delta's string dictionary (a string is
// introduced inline where it is first used, then referenced by number) and string-keyed count
// records, encode and decode side by side. The payload coders extend these; a record encoded on
// its own (a saved service-graph half) uses them directly, with a dictionary of its own.

import { DeltaFormatError } from './errors.ts';
import type { ByteReader } from './reader.ts';
import { MAX_DICTIONARY_SIZE } from './sequence-table.ts';
import type { ByteWriter } from './writer.ts';

export class FieldEncoder {
  protected readonly strings = new Map<string, number>();

  constructor(readonly w: ByteWriter) {}

  /** Writes a string reference (introducing the string if new); returns its dictionary index. */
  str(s: string): number {
    const i = this.strings.get(s);
    if (i !== undefined) {
      this.w.varint(i + 1);
      return i;
    }
    const index = this.strings.size;
    if (index >= MAX_DICTIONARY_SIZE) throw new RangeError('delta encode: more than 2^26 distinct strings');
    this.strings.set(s, index);
    this.w.varint(0);
    this.w.string(s);
    return index;
  }

  /** Writes a reference to a string already in the dictionary. */
  knownStr(index: number): number {
    this.w.varint(index + 1);
    return index;
  }

  /** Count, then (key, number) pairs, keys sorted so the bytes do not depend on object key order. */
  record(r: Readonly<Record<string, number>>): void {
    const keys = Object.keys(r).sort();
    this.w.varint(keys.length);
    for (const k of keys) {
      this.str(k);
      this.w.number(r[k]);
    }
  }
}

export class FieldDecoder {
  protected readonly strings: string[] = [];
  private readonly stringSet = new Set<string>();

  constructor(readonly r: ByteReader) {}

  /** A string reference; returns the dictionary index. */
  strRef(): number {
    const r = this.r.varint();
    const strings = this.strings;
    if (r === 0) {
      const s = this.r.string();
      if (this.stringSet.has(s)) this.r.fail(`string ${JSON.stringify(s)} introduced twice`);
      if (strings.length >= MAX_DICTIONARY_SIZE) this.r.fail('too many strings');
      this.stringSet.add(s);
      strings.push(s);
      return strings.length - 1;
    }
    if (r > strings.length) this.r.fail(`string reference ${r} beyond ${strings.length} strings`);
    return r - 1;
  }

  str(): string {
    return this.strings[this.strRef()];
  }

  /** A count record: keys strictly increasing (the one canonical order). */
  record(what: string): Record<string, number> {
    const n = this.r.count(2, what);
    const out: Record<string, number> = {};
    let previous = '';
    for (let i = 0; i < n; i++) {
      const key = this.str();
      if (i > 0 && !(key > previous)) this.r.fail(`${what} keys not strictly increasing at ${JSON.stringify(key)}`);
      previous = key;
      const value = this.r.number();
      // defineProperty: a "__proto__" key must stay a plain own property
      if (key === '__proto__')
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return out;
  }

  /** Fails unless every byte was read. */
  finish(): void {
    if (this.r.pos !== this.r.end) this.r.fail(`${this.r.end - this.r.pos} trailing bytes`);
  }
}

export { DeltaFormatError };
