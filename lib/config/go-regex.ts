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

/** Compiles a pattern already checked with goRegexProblem; throws on one that is not. */
export function compileGoRegex(pattern: string): GoRegexTest {
  const re = RE2JS.compile(pattern);
  return (s) => re.test(s);
}
