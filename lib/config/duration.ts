// Duration strings as Tempo's config accepts them, converted to milliseconds.

const NS_PER_UNIT: Readonly<Record<string, number>> = {
  ns: 1,
  us: 1e3,
  µs: 1e3, // U+00B5 micro sign
  μs: 1e3, // U+03BC Greek mu
  ms: 1e6,
  s: 1e9,
  m: 60e9,
  h: 3600e9,
};

/** 2^63: one past the largest Go time.Duration (int64 nanoseconds); exact only as a bigint. */
const INT64_LIMIT = 1n << 63n;
/** Fraction digits past this would overflow Go's uint64 accumulator; Go drops them. */
const FRACTION_DIGITS_LIMIT = (INT64_LIMIT - 1n) / 10n;

/**
 * Go's time.ParseDuration (`300ms`, `1.5h`, `2h45m`, `-1m`, `0`), in milliseconds.
 * undefined when the text is not a duration or is outside int64 nanoseconds. The total is kept
 * in exact integer nanoseconds and fractions are truncated to whole nanoseconds, as Go does
 * (Go: src/time/format.go, ParseDuration).
 */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let totalNs = 0n;
  const component = /^(\d*)(?:\.(\d*))?([^\d.]+)/;
  while (s !== '') {
    const m = component.exec(s);
    if (m === null) return undefined;
    const [whole, intPart, fracPart, unit] = m;
    if (intPart === '' && (fracPart === undefined || fracPart === '')) return undefined;
    const perUnit = NS_PER_UNIT[unit];
    if (perUnit === undefined) return undefined;
    const unitNs = BigInt(perUnit);
    let ns = BigInt(intPart || '0');
    if (ns > INT64_LIMIT / unitNs) return undefined;
    ns *= unitNs;
    if (fracPart) ns += fractionNs(fracPart, perUnit);
    if (ns > INT64_LIMIT) return undefined;
    totalNs += ns;
    if (totalNs > INT64_LIMIT) return undefined;
    s = s.slice(whole.length);
  }
  if (negative) return -Number(totalNs) / 1e6;
  if (totalNs > INT64_LIMIT - 1n) return undefined;
  return Number(totalNs) / 1e6;
}

/** A fraction's nanoseconds as Go computes them: digits to an integer, then one float product, truncated. */
function fractionNs(digits: string, unitNs: number): bigint {
  let f = 0n;
  let scale = 1;
  for (const d of digits) {
    if (f > FRACTION_DIGITS_LIMIT) break;
    const next = f * 10n + BigInt(d.charCodeAt(0) - 48);
    if (next > INT64_LIMIT) break;
    f = next;
    scale *= 10;
  }
  if (f === 0n) return 0n;
  return BigInt(Math.trunc(Number(f) * (unitNs / scale)));
}

const PROMETHEUS_DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const PROMETHEUS_UNIT_MS = [365 * 86400e3, 7 * 86400e3, 86400e3, 3600e3, 60e3, 1e3, 1];

/**
 * Prometheus' model.Duration (`30s`, `1d`, `1w2d`, `0`), used by the remote_write block;
 * undefined when the text is not one.
 */
export function parsePrometheusDuration(text: string): number | undefined {
  if (text === '0') return 0;
  const m = PROMETHEUS_DURATION.exec(text);
  if (m === null || text === '') return undefined;
  let ms = 0;
  for (let i = 0; i < PROMETHEUS_UNIT_MS.length; i++) {
    const n = m[i + 1];
    if (n !== undefined) ms += Number(n) * PROMETHEUS_UNIT_MS[i];
  }
  return ms;
}

/** Milliseconds back to a short duration string for messages (`90000` -> `1m30s`). */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 0) return `-${formatDurationMs(-ms)}`;
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3600e3);
  const m = Math.floor((ms % 3600e3) / 60e3);
  const s = (ms % 60e3) / 1000;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}
