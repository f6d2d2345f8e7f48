// JSON.parse that keeps long integer literals exact. Protobuf's JSON mapping allows 64-bit
// integers as bare numbers, and nanosecond timestamps (~1.7e18) exceed 2^53, where JSON.parse
// would silently round them. Node 20 has no access to a number's source text, so integer
// literals of 16 or more digits are turned into strings before parsing; every reader of a
// numeric protobuf field accepts the string form anyway (the JSON mapping allows it).

/** Invalid JSON; `line` (1-based, within the parsed text) when the parser said where. */
export class JsonSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number | undefined,
  ) {
    super(line === undefined ? `invalid JSON: ${reason}` : `line ${line}: invalid JSON: ${reason}`);
    this.name = 'JsonSyntaxError';
  }
}

export function parseJsonExact(text: string): unknown {
  const quoted = quoteLongIntegers(text);
  try {
    return JSON.parse(quoted);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    // Positions refer to the quoted text; it has the same line breaks as the input.
    throw new JsonSyntaxError(withoutPosition(e.message), errorLine(quoted, e.message));
  }
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const MIN_LONG_DIGITS = 16;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isWhitespace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
// A value follows one of these; a long integer counts only there (not inside a malformed token).
const opensValue = (c: number) => c === 0x3a /* : */ || c === 0x2c /* , */ || c === 0x5b; /* [ */
// ...and must end at one of these (so no fraction or exponent follows).
const closesValue = (c: number) => c === 0x2c /* , */ || c === 0x5d /* ] */ || c === 0x7d; /* } */

/**
 * One pass over the text, skipping string literals whole, that wraps in quotes every integer
 * literal of 16+ digits standing alone as a value. Every character is looked at a bounded number
 * of times, so hostile input (long whitespace runs, many digits) stays linear.
 */
function quoteLongIntegers(text: string): string {
  const pieces: string[] = [];
  let copiedUpTo = 0;
  let lastSignificant = -1; // char code of the last non-whitespace character outside strings
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const end = stringEnd(text, i);
      if (end === -1) break; // unterminated: JSON.parse reports it
      i = end;
      lastSignificant = QUOTE;
      continue;
    }
    if (isWhitespace(c)) {
      i++;
      continue;
    }
    if ((c === MINUS || isDigit(c)) && opensValue(lastSignificant)) {
      let j = c === MINUS ? i + 1 : i;
      const digitsStart = j;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (j - digitsStart >= MIN_LONG_DIGITS) {
        let k = j;
        while (k < n && isWhitespace(text.charCodeAt(k))) k++;
        if (k < n && closesValue(text.charCodeAt(k))) {
          pieces.push(text.slice(copiedUpTo, i), '"', text.slice(i, j), '"');
          copiedUpTo = j;
        }
      }
      lastSignificant = text.charCodeAt(j - 1);
      i = j === i ? i + 1 : j;
      continue;
    }
    lastSignificant = c;
    i++;
  }
  if (copiedUpTo === 0) return text;
  pieces.push(text.slice(copiedUpTo));
  return pieces.join('');
}

/** Index just past the closing quote of the string literal opening at `start`, or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c === BACKSLASH) i++;
  }
  return -1;
}

function errorLine(text: string, message: string): number | undefined {
  const m = /at position (\d+)/.exec(message);
  if (m === null) return /Unexpected end of JSON input/.test(message) ? lineOf(text, text.trimEnd().length) : undefined;
  return lineOf(text, Number(m[1]));
}

function lineOf(text: string, pos: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function withoutPosition(message: string): string {
  return message.replace(/\s*(?:in JSON )?at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '');
}
