// What a send reports back, per request and in total, so the flusher can count delivered and
// failed samples by cause. HTTP and network failures are results, never exceptions.

import type { Labels } from '../series/types.ts';

/**
 * Why a request was not delivered:
 * - '4xx': the receiver refused it with a status that is not retried (any 4xx but 429, or an
 *   unexpected 1xx/3xx); resending the same data would fail again;
 * - '5xx': the receiver answered 5xx until the deadline left no room for another try;
 * - 'throttled': the receiver answered 429 until then;
 * - 'network': no response (connection refused or reset, DNS, remote_timeout) until then;
 * - 'deadline': the deadline passed before the request could be tried, or cut the try short;
 * - 'auth': its credentials could not be loaded (unreadable secret file, AWS credential chain).
 */
export type FailureClass = '4xx' | '5xx' | 'throttled' | 'network' | 'deadline' | 'auth';

export interface Counts {
  readonly series: number;
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

export interface RequestResult extends Counts {
  /** Snappy-compressed body size. */
  readonly bytes: number;
  readonly ok: boolean;
  /** HTTP status of the last response (absent when none came back). */
  readonly status?: number;
  /** HTTP attempts made; 0 when the request was never sent. */
  readonly attempts: number;
  /** attempts - 1 when attempted: how many times it was retried. */
  readonly retries: number;
  readonly failure?: FailureClass;
  /** First KB of the last error response body, or the last network/credential error. */
  readonly error?: string;
}

export interface DroppedSeries {
  readonly labels: Labels;
  /** What validateSeries found wrong. */
  readonly reason: string;
}

export interface SendResult {
  /** The endpoint's name, or its URL without credentials. */
  readonly endpoint: string;
  readonly tenant: string;
  /** Every request was delivered (dropped series are reported separately). */
  readonly ok: boolean;
  readonly requests: readonly RequestResult[];
  /** Series left out because they would make the receiver fail the request. */
  readonly dropped: readonly DroppedSeries[];
  readonly delivered: Counts;
  readonly failed: Counts;
}

export const NO_COUNTS: Counts = { series: 0, samples: 0, histograms: 0, exemplars: 0 };

export function addCounts(a: Counts, b: Counts): Counts {
  return {
    series: a.series + b.series,
    samples: a.samples + b.samples,
    histograms: a.histograms + b.histograms,
    exemplars: a.exemplars + b.exemplars,
  };
}
