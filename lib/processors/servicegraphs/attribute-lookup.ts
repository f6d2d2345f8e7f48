// Attribute lookups for service graphs: Tempo's FindAttributeValue (the first attribute with a
// key, resource attributes before span attributes, as its label string) for a fixed set of keys.
// A client span asks for up to a dozen keys (peer, database and dimension attributes), mostly
// absent; scanning the attributes once per key would dominate the processor. Instead each list is
// indexed in one pass: an attribute's key is read once and compared only with wanted keys of the
// same length.

import type { AttributeList, ResourceView, SpanView } from '../../decode/span-view.ts';
import type { StringSource } from '../../decode/utf8.ts';

/** First index of each wanted key in one attribute list. */
export class AttributeKeyIndex {
  private readonly keys: Uint8Array[];
  /** Key indexes by key byte length, for keys shorter than 128 bytes (one-byte length prefix). */
  private readonly byLength: number[][] = [];
  /** Keys of 128 bytes or more, compared the slow way. */
  private readonly longKeys: number[] = [];
  /** Per wanted key: index of its first attribute, or -1. */
  readonly first: Int32Array;

  constructor(keys: readonly Uint8Array[]) {
    this.keys = [...keys];
    this.first = new Int32Array(keys.length);
    for (let k = 0; k < keys.length; k++) {
      const len = keys[k].length;
      if (len >= 128) this.longKeys.push(k);
      else (this.byLength[len] ??= []).push(k);
    }
  }

  index(attrs: AttributeList): void {
    const first = this.first;
    first.fill(-1);
    const buf = attrs.buf;
    for (let i = 0; i < attrs.count; i++) {
      const s = attrs.starts[i];
      const e = attrs.ends[i];
      const len = canonicalKeyLength(buf, s, e);
      if (len < 0) {
        // not the usual `key, value` layout: let AttributeList decide for every key
        for (let k = 0; k < this.keys.length; k++) if (first[k] < 0 && attrs.keyIs(i, this.keys[k])) first[k] = i;
        continue;
      }
      const candidates = this.byLength[len];
      if (candidates === undefined) continue;
      for (let c = 0; c < candidates.length; c++) {
        const k = candidates[c];
        if (first[k] >= 0) continue;
        const key = this.keys[k];
        let j = 0;
        while (j < len && buf[s + 2 + j] === key[j]) j++;
        if (j === len) first[k] = i;
      }
    }
    for (const k of this.longKeys) first[k] = attrs.indexOf(this.keys[k]);
  }
}

/**
 * The key length of a KeyValue laid out as every encoder writes it: field 1 (key, length < 128)
 * first, then at most the value field ending exactly at the end. -1 for anything else.
 */
function canonicalKeyLength(buf: Uint8Array, s: number, e: number): number {
  if (e - s < 2 || buf[s] !== 0x0a) return -1;
  const len = buf[s + 1];
  if (len >= 0x80) return -1;
  let p = s + 2 + len;
  if (p === e) return len;
  if (p > e || buf[p] !== 0x12) return -1;
  let valueLen = 0;
  let shift = 0;
  for (p++; p < e; ) {
    const b = buf[p++];
    valueLen += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return p + valueLen === e ? len : -1;
    shift += 7;
    if (shift > 28) return -1;
  }
  return -1;
}

/**
 * Resource-then-span values of a fixed key list. setResource() indexes the resource attributes
 * once; setSpan() marks the span, whose attributes are indexed on the first lookup.
 */
export class ResourceThenSpan {
  private readonly resource: AttributeKeyIndex;
  private readonly span: AttributeKeyIndex;
  private resourceAttrs: AttributeList | undefined;
  private spanAttrs: AttributeList | undefined;
  private spanIndexed = false;

  constructor(
    keys: readonly string[],
    private readonly strings: StringSource,
  ) {
    const enc = new TextEncoder();
    const bytes = keys.map((k) => enc.encode(k));
    this.resource = new AttributeKeyIndex(bytes);
    this.span = new AttributeKeyIndex(bytes);
  }

  setResource(res: ResourceView): void {
    this.resourceAttrs = res.attributes;
    this.resource.index(res.attributes);
  }

  setSpan(span: SpanView): void {
    this.spanAttrs = span.attributes;
    this.spanIndexed = false;
  }

  /** Value of key k: resource first, then span; undefined when neither has it. */
  get(k: number): string | undefined {
    const r = this.resource.first[k];
    if (r >= 0) return this.resourceAttrs!.stringValue(r, this.strings);
    return this.spanValue(k);
  }

  /** Value of key k among the span attributes only. */
  spanValue(k: number): string | undefined {
    if (!this.spanIndexed) {
      this.span.index(this.spanAttrs!);
      this.spanIndexed = true;
    }
    const i = this.span.first[k];
    return i >= 0 ? this.spanAttrs!.stringValue(i, this.strings) : undefined;
  }
}
