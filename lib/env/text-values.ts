// Settings that arrive as text (environment variables, `-c key=value` on the cdk command line),
// converted with the setting named in every error and in the words config-file errors use
// (`KEY: must be ..., got "..."`), so an operator reads one style whichever way a value came in.

export class SettingError extends Error {
  /** The setting as the operator wrote it: a variable name, `context key batchSize`, ... */
  readonly key: string;
  readonly problem: string;

  constructor(key: string, problem: string) {
    super(`${key}: ${problem}`);
    this.name = 'SettingError';
    this.key = key;
    this.problem = problem;
  }
}

export interface IntegerBounds {
  readonly min?: number;
  readonly max?: number;
  /** What the value is, for the message (default `an integer`). */
  readonly what?: string;
}

/** A whole number in decimal digits (a leading `-` allowed), within the bounds. */
export function integerFromText(key: string, text: string, bounds: IntegerBounds = {}): number {
  const t = text.trim();
  const n = /^-?\d+$/.test(t) ? Number(t) + 0 : Number.NaN; // + 0: `-0` is 0
  const { min, max } = bounds;
  if (Number.isSafeInteger(n) && (min === undefined || n >= min) && (max === undefined || n <= max)) return n;
  const range =
    min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
        ? ` of at least ${min}`
        : max !== undefined
          ? ` of at most ${max}`
          : '';
  throw new SettingError(key, `must be ${bounds.what ?? 'an integer'}${range}, got ${JSON.stringify(text)}`);
}

/** A finite number greater than zero (decimals allowed). */
export function positiveNumberFromText(key: string, text: string, what = 'a positive number'): number {
  const t = text.trim();
  const n = /^\d+(\.\d+)?$|^\.\d+$/.test(t) ? Number(t) : Number.NaN;
  if (n > 0 && Number.isFinite(n)) return n;
  throw new SettingError(key, `must be ${what}, got ${JSON.stringify(text)}`);
}

/** `true` or `false`, in any letter case. */
export function booleanFromText(key: string, text: string): boolean {
  const t = text.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  throw new SettingError(key, `must be true or false, got ${JSON.stringify(text)}`);
}
