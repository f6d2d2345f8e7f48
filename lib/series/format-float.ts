// Float spelling as Go's strconv.FormatFloat(v, fmt, -1, 64) produces it: the shortest digits
// that round-trip (JS Number->string yields the same digits), laid out per Go's rules.
//   'f' (formatFloatF): never an exponent -- used for `le` labels (1e21 -> "1000000000000000000000").
//   'g' (formatFloatG): what client_golang's text exposition writes. Go decides the layout with
//       precision 6 for shortest 'g' (not JavaScript's 21): exponent form when the decimal
//       exponent is < -4 or >= 6 (1e6 -> "1e+06", 123456 -> "123456", 0.000068 -> "6.8e-05"),
//       with a sign and at least two exponent digits.

interface Decimal {
  readonly negative: boolean;
  /** Significant digits without leading/trailing zeros, e.g. "68" for 0.000068. */
  readonly digits: string;
  /** Position of the decimal point relative to digits[0]: value = 0.digits * 10^point. */
  readonly point: number;
}

function decompose(v: number): Decimal {
  const negative = v < 0 || Object.is(v, -0);
  const s = String(Math.abs(v));
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  const exponent = e < 0 ? 0 : Number(s.slice(e + 1));
  const dot = mantissa.indexOf('.');
  let digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1);
  let point = (dot < 0 ? mantissa.length : dot) + exponent;
  let lead = 0;
  while (lead < digits.length - 1 && digits[lead] === '0') lead++;
  digits = digits.slice(lead);
  point -= lead;
  digits = digits.replace(/0+$/, '');
  if (digits === '') return { negative, digits: '0', point: 1 };
  return { negative, digits, point };
}

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return undefined;
}

function fixed(d: Decimal): string {
  let out: string;
  if (d.point <= 0) out = '0.' + '0'.repeat(-d.point) + d.digits;
  else if (d.point >= d.digits.length) out = d.digits + '0'.repeat(d.point - d.digits.length);
  else out = d.digits.slice(0, d.point) + '.' + d.digits.slice(d.point);
  return d.negative ? '-' + out : out;
}

/** Go strconv.FormatFloat(v, 'f', -1, 64). */
export function formatFloatF(v: number): string {
  return special(v) ?? fixed(decompose(v));
}

/** Go strconv.FormatFloat(v, 'g', -1, 64). */
export function formatFloatG(v: number): string {
  const sp = special(v);
  if (sp !== undefined) return sp;
  const d = decompose(v);
  const exp = d.point - 1;
  if (d.digits === '0' || (exp >= -4 && exp < 6)) return fixed(d);
  const mantissa = d.digits.length > 1 ? d.digits[0] + '.' + d.digits.slice(1) : d.digits;
  const absExp = Math.abs(exp);
  const expText = (exp < 0 ? '-' : '+') + (absExp < 10 ? '0' : '') + absExp;
  return (d.negative ? '-' : '') + mantissa + 'e' + expText;
}
