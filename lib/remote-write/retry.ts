// When to try a request again: Prometheus retries 5xx, 429 and connection failures and gives up on
// any other status. Waits grow exponentially with "equal jitter" (a random wait between half the
// cap and the cap): the random half spreads many flushers hitting one struggling receiver so they
// do not retry in step, and the fixed half guarantees a wait that grows with every retry, whatever
// the random source or the receiver's Retry-After says (Retry-After: 0 from a failing receiver
// would otherwise mean a tight loop of requests).

export interface Backoff {
  /** Cap of the first wait. */
  readonly minMs: number;
  /** Largest cap. */
  readonly maxMs: number;
}

/** Prometheus' queue_config defaults are 30 ms and 5 s. */
export const DEFAULT_BACKOFF: Backoff = { minMs: 30, maxMs: 5_000 };

export function isRetryableStatus(status: number): boolean {
  return status === 429 || (status >= 500 && status <= 599);
}

/** Wait before retry number `retry` (0 = the first retry): between half the cap and the cap. */
export function backoffDelay(retry: number, backoff: Backoff, random: () => number): number {
  const cap = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(retry, 30));
  const half = Math.floor(cap / 2);
  return Math.max(1, half + Math.floor(random() * (cap - half)));
}

/**
 * The wait before a retry: the receiver's Retry-After when it asks for longer, never less than
 * the backoff (Prometheus likewise ignores a Retry-After of zero and keeps backing off).
 */
export function retryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  backoff: Backoff,
  random: () => number,
): number {
  return Math.max(retryAfterMs ?? 0, backoffDelay(retry, backoff, random));
}

/**
 * Retry-After as a wait in ms: delta-seconds or an HTTP date (RFC 9110). A date in the past means
 * no wait; anything unparsable is undefined (the caller falls back to its backoff).
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  if (!/[a-z]/i.test(v)) return undefined; // a bare or signed number is not a date either
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
