// Span-name tokenizer for the Drain clustering, token for token as Tempo splits names
// (Tempo: pkg/drain/line_tokenizer.go, pkg/drain/data_heuristic.go). Tokens keep every character
// of the input (spaces, slashes and dots are tokens of their own), so joining them gives the name
// back; a final "<END>" token keeps Drain from wildcarding the last word of `GET /users/1/data`.
//
// Character classes follow Go's unicode package: IsSpace = White_Space, Hex_Digit, IsLetter = L,
// IsNumber = N, IsPunct = P. Token lengths in the data heuristic are UTF-8 byte lengths, as in Go.

export const END_TOKEN = '<END>';

const SPACE = /\p{White_Space}/u;
const HEX = /\p{Hex_Digit}/u;
const LETTER = /\p{L}/u;
const NUMBER = /\p{N}/u;
const PUNCT = /\p{P}/u;

const EOF = -1;

function test(re: RegExp, cp: number): boolean {
  return cp !== EOF && re.test(String.fromCodePoint(cp));
}
// ASCII answered directly (span names are mostly ASCII); the rest through Unicode properties.
const isSpace = (cp: number): boolean => (cp < 0x80 ? cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) : test(SPACE, cp));
const isDigit = (cp: number): boolean => cp >= 0x30 && cp <= 0x39;
const isHex = (cp: number): boolean =>
  cp < 0x80 ? isDigit(cp) || (cp >= 0x41 && cp <= 0x46) || (cp >= 0x61 && cp <= 0x66) : test(HEX, cp);
const isLetter = (cp: number): boolean => (cp < 0x80 ? (cp | 0x20) >= 0x61 && (cp | 0x20) <= 0x7a : test(LETTER, cp));
const isNumber = (cp: number): boolean => (cp < 0x80 ? isDigit(cp) : test(NUMBER, cp));
const isAlnum = (cp: number): boolean => isLetter(cp) || isNumber(cp);

/**
 * The lexer's cursor. Its quirks are Tempo's: once the end is reached, stepping back does
 * nothing, so a token cut short by the end keeps what was read (`%4` at the end stays one token).
 */
class Lexer {
  pos = 0;
  start = 0;
  eof = false;
  constructor(readonly input: string) {}

  next(): number {
    if (this.pos >= this.input.length) {
      this.eof = true;
      return EOF;
    }
    const cp = this.input.codePointAt(this.pos) as number;
    this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  backup(): void {
    if (this.eof || this.pos === 0) return;
    const low = this.input.charCodeAt(this.pos - 1);
    const pair =
      this.pos >= 2 && low >= 0xdc00 && low <= 0xdfff && isHighSurrogate(this.input.charCodeAt(this.pos - 2));
    this.pos -= pair ? 2 : 1;
  }

  emit(): string {
    const token = this.input.slice(this.start, this.pos);
    this.start = this.pos;
    return token;
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** One token starting at the cursor ('' at the end of input). */
function lexToken(l: Lexer): string {
  const r = l.next();
  if (l.eof) return '';
  if (r === 0x25 /* % */) return lexUrlEncoded(l);
  if (isSpace(r)) {
    while (isSpace(l.next()));
    l.backup();
    return l.emit();
  }
  if (isHex(r)) return lexMaybeHex(l);
  if (isAlnum(r)) return lexAlphaNumeric(l);
  return l.emit(); // any other character is a token by itself
}

function lexUrlEncoded(l: Lexer): string {
  const r1 = l.next();
  const r2 = l.next();
  if (!isHex(r1) || !isHex(r2)) {
    // Only the `%`: step back to just after it (unless the end was reached).
    l.backup();
    l.backup();
  }
  return l.emit();
}

function lexMaybeHex(l: Lexer): string {
  for (;;) {
    const r = l.next();
    if (isHex(r)) continue;
    if (r === 0x2d /* - */) return lexUuid(l);
    if (isAlnum(r)) return lexAlphaNumeric(l);
    break;
  }
  l.backup();
  return l.emit();
}

function lexUuid(l: Lexer): string {
  for (;;) {
    const r = l.next();
    if (isHex(r) || r === 0x2d) continue;
    break;
  }
  l.backup();
  return l.emit();
}

function lexAlphaNumeric(l: Lexer): string {
  while (isAlnum(l.next()));
  l.backup();
  return l.emit();
}

/** The tokens of a span name, ending with END_TOKEN. Linear in the length of the name. */
export function tokenize(name: string): string[] {
  const tokens: string[] = [];
  const l = new Lexer(name);
  while (!l.eof) {
    const token = lexToken(l);
    if (token !== '') tokens.push(token);
  }
  tokens.push(END_TOKEN);
  return tokens;
}

/** The name a token list stands for (END_TOKEN left out). */
export function joinTokens(tokens: readonly string[]): string {
  return tokens.slice(0, tokens.length - 1).join('');
}

/** Tempo's "likely data" test: hex/GUID-like with a digit, or more than a quarter digits. */
export function tokenIsLikelyData(token: string): boolean {
  return hexWithAtLeastOneDigit(token) || significantNumbers(token);
}

function hexWithAtLeastOneDigit(token: string): boolean {
  let digit = false;
  for (const ch of token) {
    const cp = ch.codePointAt(0) as number;
    if (isNumber(cp)) {
      digit = true;
      continue;
    }
    if (isHex(cp) || test(PUNCT, cp)) continue;
    return false;
  }
  return digit;
}

function significantNumbers(token: string): boolean {
  let numbers = 0;
  for (const ch of token) if (isNumber(ch.codePointAt(0) as number)) numbers++;
  return numbers > Math.max(Math.floor(utf8Length(token) / 4), 1);
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}
