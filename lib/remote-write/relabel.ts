// Prometheus relabeling of a series' labels before it is written (an endpoint's
// write_relabel_configs), with Prometheus' semantics (Prometheus: model/relabel/relabel.go):
// rules apply in order to one label set; a value set to "" removes the label; keep/drop and
// keepequal/dropequal end the series; `$1`, `${1}`, `$name` in target_label and replacement
// expand as Go's regexp.Expand does.

import { createHash } from 'node:crypto';
import type { RE2JS } from 're2js';
import type { CollectedSeries } from '../series/collected.ts';
import type { Label, Labels } from '../series/types.ts';
import { compareUtf8 } from '../series/utf8.ts';
import { compileRelabelRegex, isLabelName, type RelabelConfig } from './relabel-config.ts';
import { captureMatcher, expandTemplate, wholeMatcher, type Groups } from './relabel-match.ts';

export {
  relabelConfigOf,
  type RelabelConfig,
  type RelabelConfigInput,
  type RelabelConfigProblem,
} from './relabel-config.ts';

interface Rule extends RelabelConfig {
  readonly re: RE2JS;
  /** Whole-value match without the regex engine where the pattern allows it. */
  readonly matches: (value: string) => boolean;
  /** The match's groups (null: no match), without the regex engine where the pattern allows it. */
  readonly capture: (value: string) => Groups | null;
  readonly groupNames: Readonly<Record<string, number>>;
  readonly modulusBig: bigint;
}

// Relabeling a label set always gives the same result, and the same series come back every
// collection: results are kept up to this many label sets, then the cache starts over.
const DEFAULT_CACHE_LIMIT = 100_000;

export class Relabeler {
  private readonly rules: readonly Rule[];
  private readonly cache = new Map<string, Relabeled | null>();

  constructor(
    configs: readonly RelabelConfig[],
    private readonly cacheLimit = DEFAULT_CACHE_LIMIT,
  ) {
    this.rules = configs.map((c) => {
      const re = compileRelabelRegex(c.regex);
      return {
        ...c,
        re,
        matches: wholeMatcher(c.regex, re),
        capture: captureMatcher(c.regex, re),
        groupNames: re.namedGroups(),
        modulusBig: BigInt(c.modulus),
      };
    });
  }

  /** The relabeled label set (sorted, no empty values), or undefined when a rule dropped it. */
  apply(labels: Labels): Labels | undefined {
    return this.applyKeyed(labels)?.labels;
  }

  /** As apply, with a key of the result that differs for every other label set. */
  applyKeyed(labels: Labels): Relabeled | undefined {
    if (this.cacheLimit === 0) return this.relabeledWithKey(labels);
    const key = labelSetKey(labels);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const result = this.relabeledWithKey(labels, key);
    if (this.cache.size >= this.cacheLimit) this.cache.clear();
    this.cache.set(key, result ?? null);
    return result;
  }

  private relabeledWithKey(labels: Labels, inputKey?: string): Relabeled | undefined {
    const out = this.relabel(labels);
    if (out === undefined) return undefined;
    return { labels: out, key: out === labels && inputKey !== undefined ? inputKey : labelSetKey(out) };
  }

  private relabel(labels: Labels): Labels | undefined {
    const lb = new Map<string, string>();
    for (const l of labels) if (l.value !== '') lb.set(l.name, l.value);
    let changed = false;
    for (const r of this.rules) {
      const val = joinedValues(lb, r);
      switch (r.action) {
        case 'drop':
          if (r.matches(val)) return undefined;
          break;
        case 'keep':
          if (!r.matches(val)) return undefined;
          break;
        case 'dropequal':
          if ((lb.get(r.targetLabel) ?? '') === val) return undefined;
          break;
        case 'keepequal':
          if ((lb.get(r.targetLabel) ?? '') !== val) return undefined;
          break;
        case 'replace': {
          const m = r.capture(val);
          if (m === null) break;
          const target = expandTemplate(r.targetLabel, m, r.groupNames);
          if (!isLabelName(target)) break;
          changed = setLabel(lb, target, expandTemplate(r.replacement, m, r.groupNames)) || changed;
          break;
        }
        case 'lowercase':
          changed = setLabel(lb, r.targetLabel, caseMapped(val, 'lower')) || changed;
          break;
        case 'uppercase':
          changed = setLabel(lb, r.targetLabel, caseMapped(val, 'upper')) || changed;
          break;
        case 'hashmod':
          changed = setLabel(lb, r.targetLabel, String(hashOf(val) % r.modulusBig)) || changed;
          break;
        case 'labelmap':
          for (const [name, value] of [...lb]) {
            const m = r.capture(name);
            if (m !== null) changed = setLabel(lb, expandTemplate(r.replacement, m, r.groupNames), value) || changed;
          }
          break;
        case 'labeldrop':
          for (const name of [...lb.keys()]) if (r.matches(name)) changed = setLabel(lb, name, '') || changed;
          break;
        case 'labelkeep':
          for (const name of [...lb.keys()]) if (!r.matches(name)) changed = setLabel(lb, name, '') || changed;
          break;
      }
    }
    if (!changed) return labels;
    const out: Label[] = [];
    for (const [name, value] of lb) out.push({ name, value });
    return out.sort((a, b) => compareUtf8(a.name, b.name));
  }
}

export interface RelabeledSeries {
  readonly kept: CollectedSeries[];
  /** Series a keep/drop/keepequal/dropequal rule ended. */
  readonly dropped: number;
  /**
   * Series whose relabeled labels equal an earlier series' in the same send: sending both would
   * make the receiver refuse the whole request (two values for one sample time), so only the
   * first is kept.
   */
  readonly collided: number;
}

/**
 * Relabels every series of one send; samples, histograms and exemplars are kept as they are.
 * A send fed in pieces passes the same `seen` for every piece, so a collision across pieces is
 * caught as one within a piece is.
 */
export function relabelSeries(
  relabeler: Relabeler,
  series: readonly CollectedSeries[],
  seen = new Set<string>(),
): RelabeledSeries {
  const kept: CollectedSeries[] = [];
  let dropped = 0;
  let collided = 0;
  for (const s of series) {
    const relabeled = relabeler.applyKeyed(s.labels);
    if (relabeled === undefined) {
      dropped++;
      continue;
    }
    const { labels, key } = relabeled;
    if (seen.has(key)) {
      collided++;
      continue;
    }
    seen.add(key);
    kept.push(labels === s.labels ? s : { ...s, labels });
  }
  return { kept, dropped, collided };
}

export interface Relabeled {
  readonly labels: Labels;
  readonly key: string;
}

/** One string per label set, never the same for two sets (JSON quotes every part). */
function labelSetKey(labels: Labels): string {
  const parts: string[] = [];
  for (const l of labels) if (l.value !== '') parts.push(l.name, l.value);
  return JSON.stringify(parts);
}

/** Sets a label ("" removes it), as Prometheus' labels.Builder does; true when that changed something. */
function setLabel(lb: Map<string, string>, name: string, value: string): boolean {
  if (value === '') return lb.delete(name);
  if (lb.get(name) === value) return false;
  lb.set(name, value);
  return true;
}

function joinedValues(lb: ReadonlyMap<string, string>, r: RelabelConfig): string {
  const names = r.sourceLabels;
  if (names.length === 1) return lb.get(names[0]) ?? '';
  let val = '';
  for (let i = 0; i < names.length; i++) val += (i === 0 ? '' : r.separator) + (lb.get(names[i]) ?? '');
  return val;
}

/** The last 8 bytes of the value's MD5 as a big-endian uint64, as Prometheus' hashmod takes them. */
function hashOf(value: string): bigint {
  return createHash('md5').update(value, 'utf8').digest().readBigUInt64BE(8);
}

/**
 * Go's strings.ToLower / ToUpper map each code point on its own (simple case mapping), so
 * characters whose full mapping has several code points (ß -> SS) stay as they are.
 */
function caseMapped(value: string, to: 'lower' | 'upper'): string {
  const whole = to === 'lower' ? value.toLowerCase() : value.toUpperCase();
  if (/^\p{ASCII}*$/u.test(value)) return whole;
  let out = '';
  for (const ch of value) {
    const mapped = to === 'lower' ? ch.toLowerCase() : ch.toUpperCase();
    out += [...mapped].length === 1 ? mapped : ch;
  }
  return out;
}
