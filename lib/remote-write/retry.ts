// When to try a request again: Prometheus retries 5xx, 429 and connection failures and gives up on
// any other status. Waits grow exponentially with full jitter (a random wait between zero and the
// cap) so that many flushers hitting one struggling receiver spread out instead of retrying in step.

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

/** Full-jitter wait before retry number `retry` (0 = the first retry). */
export function backoffDelay(retry: number, backoff: Backoff, random: () => number): number {
  const cap = Math.min(backoff.maxMs, backoff.minMs * 2 ** Math.min(retry, 30));
  return Math.floor(random() * cap);
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
