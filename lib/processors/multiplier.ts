// Span multiplier (Tempo: modules/generator/processor/util/util.go, GetSpanMultiplier): how many
// spans one sampled span stands for. From the OpenTelemetry
// probability-sampling fields of the W3C tracestate (`ot=th:...;rv:...`) when enabled, else from a
// ratio attribute (1 / its double value), else 1.

import type { ResourceView, SpanView } from '../decode/span-view.ts';
import type { StringSource } from '../decode/utf8.ts';

const MAX_ADJUSTED = 1n << 56n;
const OT_FIELD = /^[a-z0-9]+:[a-zA-Z0-9._-]+$/;
const HEX = /^[0-9a-fA-F]+$/;

export class SpanMultiplier {
  private readonly ratioKey: Uint8Array | undefined;

  constructor(
    ratioKey: string,
    private readonly useTraceState: boolean,
  ) {
    this.ratioKey = ratioKey === '' ? undefined : new TextEncoder().encode(ratioKey);
  }

  /** true when every span counts once: lets the hot path skip the lookups entirely. */
  get constant(): boolean {
    return this.ratioKey === undefined && !this.useTraceState;
  }

  of(span: SpanView, res: ResourceView, strings: StringSource): number {
    if (this.useTraceState && span.traceStateEnd > span.traceStateStart) {
      const m = multiplierFromTraceState(span.traceState(strings));
      if (m > 0) return m;
    }
    if (this.ratioKey !== undefined) {
      const v = span.attributes.positiveDouble(this.ratioKey) || res.attributes.positiveDouble(this.ratioKey);
      if (v > 0) return 1 / v;
    }
    return 1;
  }
}

/**
 * 1 / sampling probability from the `ot` tracestate entry, or 0 when it carries no usable
 * threshold. With a randomness value (`rv`) a fractional count is rounded up or down using the
 * top 53 bits of rv, so each span adds an integer while the expected total stays exact.
 */
export function multiplierFromTraceState(traceState: string): number {
  const ot = otEntry(traceState);
  if (ot === undefined) return 0;
  let th: string | undefined;
  let rv: string | undefined;
  for (const field of ot.split(';')) {
    if (!OT_FIELD.test(field)) return 0;
    const colon = field.indexOf(':');
    const key = field.slice(0, colon);
    const value = field.slice(colon + 1);
    if (key === 'th') th = value;
    else if (key === 'rv') rv = value;
  }
  if (th === undefined || th.length > 14 || !HEX.test(th)) return 0;
  if (rv !== undefined && (rv.length !== 14 || !HEX.test(rv))) return 0;
  const threshold = BigInt('0x' + th.padEnd(14, '0'));
  const adjusted = Number(MAX_ADJUSTED) / Number(MAX_ADJUSTED - threshold);
  if (rv === undefined) return adjusted;
  const whole = Math.floor(adjusted);
  const frac = adjusted - whole;
  if (frac === 0) return whole;
  const r = Number(BigInt('0x' + rv) >> 3n) / 2 ** 53;
  return r < frac ? whole + 1 : whole;
}

/**
 * The value of the `ot=` list member. Like Tempo, leading blanks of a member are ignored but blanks
 * before the next comma stay part of the value (and so make it invalid).
 */
function otEntry(traceState: string): string | undefined {
  const members = traceState.trim().split(',');
  for (const member of members) {
    const m = member.trimStart();
    if (m.startsWith('ot=')) return m.slice(3);
  }
  return undefined;
}
