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

export { relabelConfigOf, type RelabelConfig, type RelabelConfigInput, type RelabelConfigProblem } from './relabel-config.ts';

interface Rule extends RelabelConfig {
  readonly re: RE2JS;
  readonly groupNames: Readonly<Record<string, number>>;
  readonly modulusBig: bigint;
}

/** What a capture-group reference can read: group n's text, or null when it did not take part. */
interface Groups {
  group(n: number): string | null;
  groupCount(): number;
}

// Relabeling a label set always gives the same result, and the same series come back every
// collection: results are kept up to this many label sets, then the cache starts over.
const DEFAULT_CACHE_LIMIT = 100_000;

export class Relabeler {
  private readonly rules: readonly Rule[];
  private readonly cache = new Map<string, Labels | null>();

  constructor(
    configs: readonly RelabelConfig[],
    private readonly cacheLimit = DEFAULT_CACHE_LIMIT,
  ) {
    this.rules = configs.map((c) => {
      const re = compileRelabelRegex(c.regex);
      return { ...c, re, groupNames: re.namedGroups(), modulusBig: BigInt(c.modulus) };
    });
  }

  /** The relabeled label set (sorted, no empty values), or undefined when a rule dropped it. */
  apply(labels: Labels): Labels | undefined {
    if (this.cacheLimit === 0) return this.relabel(labels);
    const key = labelSetKey(labels);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const result = this.relabel(labels);
    if (this.cache.size >= this.cacheLimit) this.cache.clear();
    this.cache.set(key, result ?? null);
    return result;
  }

  private relabel(labels: Labels): Labels | undefined {
    const lb = new Map<string, string>();
    for (const l of labels) if (l.value !== '') lb.set(l.name, l.value);
    let changed = false;
    const set = (name: string, value: string) => {
      if (value === '') {
        changed = lb.delete(name) || changed;
      } else if (lb.get(name) !== value) {
        lb.set(name, value);
        changed = true;
      }
    };
    for (const r of this.rules) {
      const val = r.sourceLabels.map((n) => lb.get(n) ?? '').join(r.separator);
      switch (r.action) {
        case 'drop':
          if (r.re.matches(val)) return undefined;
          break;
        case 'keep':
          if (!r.re.matches(val)) return undefined;
          break;
        case 'dropequal':
          if ((lb.get(r.targetLabel) ?? '') === val) return undefined;
          break;
        case 'keepequal':
          if ((lb.get(r.targetLabel) ?? '') !== val) return undefined;
          break;
        case 'replace': {
          const m = r.re.matcher(val);
          if (!m.matches()) break;
          const target = expandTemplate(r.targetLabel, m, r.groupNames);
          if (!isLabelName(target)) break;
          set(target, expandTemplate(r.replacement, m, r.groupNames));
          break;
        }
        case 'lowercase':
          set(r.targetLabel, caseMapped(val, 'lower'));
          break;
        case 'uppercase':
          set(r.targetLabel, caseMapped(val, 'upper'));
          break;
        case 'hashmod':
          set(r.targetLabel, String(hashOf(val) % r.modulusBig));
          break;
        case 'labelmap':
          for (const [name, value] of [...lb]) {
            const m = r.re.matcher(name);
            if (m.matches()) set(expandTemplate(r.replacement, m, r.groupNames), value);
          }
          break;
        case 'labeldrop':
          for (const name of [...lb.keys()]) if (r.re.matches(name)) set(name, '');
          break;
        case 'labelkeep':
          for (const name of [...lb.keys()]) if (!r.re.matches(name)) set(name, '');
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

/** Relabels every series of one send; samples, histograms and exemplars are kept as they are. */
export function relabelSeries(relabeler: Relabeler, series: readonly CollectedSeries[]): RelabeledSeries {
  const kept: CollectedSeries[] = [];
  const seen = new Set<string>();
  let dropped = 0;
  let collided = 0;
  for (const s of series) {
    const labels = relabeler.apply(s.labels);
    if (labels === undefined) {
      dropped++;
      continue;
    }
    const key = labelSetKey(labels);
    if (seen.has(key)) {
      collided++;
      continue;
    }
    seen.add(key);
    kept.push(labels === s.labels ? s : { ...s, labels });
  }
  return { kept, dropped, collided };
}

/** One string per label set, never the same for two sets (lengths prefix every part). */
function labelSetKey(labels: Labels): string {
  let key = '';
  for (const l of labels) key += `${l.name.length}:${l.name}${l.value.length}:${l.value}`;
  return key;
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
  if (/^[\x00-\x7f]*$/.test(value)) return whole;
  let out = '';
  for (const ch of value) {
    const mapped = to === 'lower' ? ch.toLowerCase() : ch.toUpperCase();
    out += [...mapped].length === 1 ? mapped : ch;
  }
  return out;
}

const NAME_CHAR = /[\p{L}\p{Nd}_]/u;

/**
 * Go's regexp.Expand: `$name` or `${name}` is replaced by that group's text (a name is the longest
 * run of letters, digits and `_`, so `$1x` means the group named "1x"); a number names a group by
 * index; a group that does not exist or did not match gives ""; `$$` is a `$`; a `$` not followed
 * by a name is kept as is.
 */
export function expandTemplate(template: string, groups: Groups, names: Readonly<Record<string, number>>): string {
  if (!template.includes('$')) return template;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar === -1) break;
    out += template.slice(i, dollar);
    i = dollar + 1;
    if (template[i] === '$') {
      out += '$';
      i++;
      continue;
    }
    const ref = referenceAt(template, i);
    if (ref === undefined) {
      out += '$';
      continue;
    }
    i = ref.end;
    const index = ref.number ?? names[ref.name];
    if (index !== undefined && index <= groups.groupCount()) out += groups.group(index) ?? '';
  }
  return out + template.slice(i);
}

function referenceAt(s: string, start: number): { name: string; number?: number; end: number } | undefined {
  const brace = s[start] === '{';
  let i = brace ? start + 1 : start;
  const nameStart = i;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (!NAME_CHAR.test(ch)) break;
    i += ch.length;
  }
  if (i === nameStart) return undefined;
  const name = s.slice(nameStart, i);
  if (brace) {
    if (s[i] !== '}') return undefined;
    i++;
  }
  // A name of ASCII digits without a leading zero (and below 1e8, as Go reads it) is a group index.
  const number = /^(?:0|[1-9][0-9]{0,8})$/.test(name) ? Number(name) : undefined;
  return { name, ...(number !== undefined && { number }), end: i };
}
