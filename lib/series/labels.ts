// Label sets as Tempo's registry builds them (Tempo: modules/generator/registry/builder.go), and the
// identity of a series.
//
// Builder rules, in Tempo's order: each name is cut to maxLabelNameLength bytes and each value to
// maxLabelValueLength bytes (0 = no limit); an empty value deletes every earlier label of that
// name instead of being added; on build, labels are sorted by name (stable, byte order) and of
// several same-named labels the last one added wins. The result is valid only if every name is
// non-empty and everything is valid UTF-8 -- a cut through a multi-byte character makes Go's
// string invalid, so such a set is reported invalid (the caller drops the span, reason
// invalid_utf8) even though the JS string we return was cut at the character boundary.

import type { RegistryConfig } from '../config/types.ts';
import type { Label, Labels } from './types.ts';
import { Fnv1a64 } from './fnv.ts';
import { compareUtf8, isValidUtf8, truncateUtf8 } from './utf8.ts';

export type LabelLimits = Pick<RegistryConfig, 'maxLabelNameLength' | 'maxLabelValueLength'>;

export interface BuiltLabels {
  readonly labels: Labels;
  /** false => Tempo would reject this label set as invalid UTF-8 (or with an empty name). */
  readonly valid: boolean;
}

export class LabelBuilder {
  private pending: Label[] = [];
  private valid = true;

  constructor(private readonly limits: LabelLimits) {}

  add(name: string, value: string): this {
    const n = truncateUtf8(name, this.limits.maxLabelNameLength);
    const v = truncateUtf8(value, this.limits.maxLabelValueLength);
    if (n.splitCharacter || v.splitCharacter) this.valid = false;
    if (v.value === '') {
      // Go checks emptiness after the cut; a cut never empties a value (max > 0), and a value
      // whose first character was split is invalid anyway.
      if (!v.splitCharacter) this.pending = this.pending.filter((l) => l.name !== n.value);
      return this;
    }
    this.pending.push({ name: n.value, value: v.value });
    return this;
  }

  build(): BuiltLabels {
    const sorted = this.pending.length > 1 ? stableSortByName(this.pending) : this.pending;
    const labels: Label[] = [];
    for (let i = 0; i < sorted.length; i++) {
      const l = sorted[i];
      if (i + 1 < sorted.length && sorted[i + 1].name === l.name) continue; // a later write wins
      labels.push(l);
    }
    let valid = this.valid;
    for (const l of labels) {
      if (l.name === '' || !isValidUtf8(l.name) || !isValidUtf8(l.value)) valid = false;
    }
    this.pending = [];
    this.valid = true;
    return { labels, valid };
  }
}

/** Builds one label set from (name, value) pairs in insertion order. */
export function buildLabels(pairs: Iterable<readonly [string, string]>, limits: LabelLimits): BuiltLabels {
  const b = new LabelBuilder(limits);
  for (const [name, value] of pairs) b.add(name, value);
  return b.build();
}

function stableSortByName(labels: Label[]): Label[] {
  // Array.prototype.sort is stable; ties keep insertion order so the last write ends up last.
  return labels.slice().sort((a, b) => compareUtf8(a.name, b.name));
}

/** Prometheus text-format escaping of a label value: backslash, double quote, newline. */
export function escapeLabelValue(v: string): string {
  if (!/[\\"\n]/.test(v)) return v;
  return v.replace(/[\\"\n]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

/**
 * Canonical in-memory identity of a series: `name{a="x",b="y"}` over its sorted labels, values
 * escaped. Label and metric names are Prometheus names (the processors sanitize them), so the
 * text form is unambiguous.
 */
export function seriesKey(name: string, labels: Labels): string {
  let key = name + '{';
  for (let i = 0; i < labels.length; i++) {
    if (i > 0) key += ',';
    key += labels[i].name + '="' + escapeLabelValue(labels[i].value) + '"';
  }
  return key + '}';
}

/**
 * Stable 64-bit series hash (16 lowercase hex chars), used as a durable key: FNV-1a 64 over
 * name 0xff (labelName 0xfe labelValue 0xff)* in UTF-8. 0xfe/0xff never occur in UTF-8, so the
 * byte stream is unambiguous. Never change this encoding: stored state is keyed by it.
 */
export function seriesHash(name: string, labels: Labels): string {
  const h = new Fnv1a64().string(name).byte(0xff);
  for (const l of labels) h.string(l.name).byte(0xfe).string(l.value).byte(0xff);
  return h.hex();
}

/** Returns sorted labels with name=value set (replacing a same-named label), order preserved. */
export function withLabel(labels: Labels, name: string, value: string): Label[] {
  return withLabelObject(labels, { name, value });
}

/** withLabel with the Label object itself placed (so one object can serve many label sets). */
export function withLabelObject(labels: Labels, label: Label): Label[] {
  const { name } = label;
  const out: Label[] = [];
  let placed = false;
  for (const l of labels) {
    if (!placed) {
      const c = compareUtf8(l.name, name);
      if (c === 0) {
        out.push(label);
        placed = true;
        continue;
      }
      if (c > 0) {
        out.push(label);
        placed = true;
      }
    }
    out.push(l);
  }
  if (!placed) out.push(label);
  return out;
}

/**
 * Overlays sorted `overrides` onto sorted `labels` (both by name): an override replaces the
 * same-named label, and an override with an empty value removes it (Prometheus labels.Builder
 * semantics, which Tempo uses for external labels).
 */
export function overlayLabels(labels: Labels, overrides: Labels): Labels {
  if (overrides.length === 0) return labels;
  const out: Label[] = [];
  let i = 0;
  let j = 0;
  while (i < labels.length || j < overrides.length) {
    const c = i >= labels.length ? 1 : j >= overrides.length ? -1 : compareUtf8(labels[i].name, overrides[j].name);
    if (c < 0) {
      out.push(labels[i++]);
      continue;
    }
    const o = overrides[j++];
    if (c === 0) i++;
    if (o.value !== '') out.push(o);
  }
  return out;
}

/** Sorts a name -> value record into a label list (empty values kept, for overlayLabels). */
export function labelsFromRecord(record: Readonly<Record<string, string>>): Label[] {
  return Object.keys(record)
    .sort(compareUtf8)
    .map((name) => ({ name, value: record[name] }));
}
