// JSON.parse that keeps long integer literals exact. Protobuf's JSON mapping allows 64-bit
// integers as bare numbers, and nanosecond timestamps (~1.7e18) exceed 2^53, where JSON.parse
// would silently round them. Node 20 has no access to a number's source text, so integer
// literals of 16 or more digits are turned into strings before parsing; every reader of a
// numeric protobuf field accepts the string form anyway (the JSON mapping allows it).

// A string literal (consumed whole so nothing inside it is touched), or an integer literal that
// follows ':' / ',' / '[' and ends where its token ends (no fraction or exponent).
const STRING_OR_LONG_INT = /"[^"\\]*(?:\\.[^"\\]*)*"|(?<=[:,[]\s*)(-?\d{16,})(?=\s*[,\]}])/g;

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
  const quoted = text.replace(STRING_OR_LONG_INT, quoteLongInt);
  try {
    return JSON.parse(quoted);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    // Positions refer to the quoted text; it has the same line breaks as the input.
    throw new JsonSyntaxError(withoutPosition(e.message), errorLine(quoted, e.message));
  }
}

function quoteLongInt(match: string, digits: string | undefined): string {
  return digits === undefined ? match : `"${digits}"`;
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
