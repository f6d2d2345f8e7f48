// The matching half of relabeling: whole-value regex tests and captures (with string fast paths
// for the patterns relabel rules use most), and Go's regexp.Expand for `$1` / `${name}`
// references (Go: regexp/regexp.go, Regexp.Expand).

import type { RE2JS } from 're2js';

/** What a capture-group reference can read: group n's text, or null when it did not take part. */
export interface Groups {
  group(n: number): string | null;
  groupCount(): number;
}

/**
 * `(.*)` (the default) and `literal(.*)`: group 1 is the value after the literal, which is what
 * RE2 captures there, so these skip the regex engine; everything else asks it.
 */
export function captureMatcher(regex: string, re: RE2JS): (value: string) => Groups | null {
  if (regex.endsWith('(.*)') && LITERAL.test(regex.slice(0, -4))) {
    const prefix = regex.slice(0, -4);
    return (v) => {
      if (!v.startsWith(prefix)) return null;
      const rest = v.slice(prefix.length);
      return { group: (n) => (n === 0 ? v : n === 1 ? rest : null), groupCount: () => 1 };
    };
  }
  return (v) => {
    const m = re.matcher(v);
    return m.matches() ? m : null;
  };
}

// No RE2 metacharacter: the pattern is its own text.
const LITERAL = /^[^\\.+*?()|[\]{}^$]*$/;

/**
 * The common relabel patterns — a literal, literals joined by `|`, a literal followed by `.*` —
 * tested without the regex engine (the same answer, a string compare instead of a match).
 */
export function wholeMatcher(regex: string, re: RE2JS): (value: string) => boolean {
  if (LITERAL.test(regex)) return (v) => v === regex;
  const alternatives = regex.split('|');
  if (alternatives.length > 1 && alternatives.every((a) => LITERAL.test(a))) {
    const set = new Set(alternatives);
    return (v) => set.has(v);
  }
  if (regex.endsWith('.*') && LITERAL.test(regex.slice(0, -2))) {
    const prefix = regex.slice(0, -2);
    return (v) => v.startsWith(prefix);
  }
  return (v) => re.matches(v);
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
