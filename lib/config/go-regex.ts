// Regular expressions from config, compiled the way Tempo compiles them: Go's regexp (RE2
// syntax, such as `(?i)`, `\pL`, `\z`) with RE2's linear-time matching, so no pattern or input
// can make matching backtrack. Tempo: pkg/spanfilter/policymatch (regexp.Compile, MatchString).

import { RE2JS } from 're2js';

/** Tests whether a string contains a match anywhere (Go's MatchString: unanchored). */
export type GoRegexTest = (s: string) => boolean;

/** The pattern's problem as RE2 reports it, or undefined when it compiles. */
export function goRegexProblem(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (e) {
    return `invalid regular expression (Go RE2 syntax): ${(e as Error).message.replace(/^error parsing regexp: /, '')}`;
  }
}

/** Distinct values remembered per pattern; the memory is dropped and refilled when full. */
const MAX_REMEMBERED = 4096;
/** Longer values are matched every time rather than remembered. */
const MAX_REMEMBERED_LENGTH = 256;

/**
 * Compiles a pattern already checked with goRegexProblem; throws on one that is not. re2js takes
 * about 1-3 µs per match where a JavaScript RegExp takes 0.1 µs, but the values a filter sees
 * (span names, status codes, attribute values that become labels) repeat, so results are
 * remembered per distinct short value.
 */
export function compileGoRegex(pattern: string): GoRegexTest {
  const re = RE2JS.compile(pattern);
  const remembered = new Map<string, boolean>();
  return (s) => {
    if (s.length > MAX_REMEMBERED_LENGTH) return re.test(s);
    let hit = remembered.get(s);
    if (hit === undefined) {
      hit = re.test(s);
      if (remembered.size >= MAX_REMEMBERED) remembered.clear();
      remembered.set(s, hit);
    }
    return hit;
  };
}
