// One tenant's send to one endpoint, fed in pieces (RemoteWriteClient.open). Each piece is
// validated and cut into requests of max_samples_per_send as it arrives; full requests go out in
// order, one at a time, and the last, partly filled request waits for the next piece. Cutting is
// greedy, so the requests are exactly those of one send of all pieces together, while only about
// one piece is held. Failure handling is the client's: each request is retried on its own (5xx,
// 429, network) until the deadline; a request that failed is not sent again, the ones after it
// still are, unless it ran out of time retrying, after which the rest are reported as not tried.

import type { CollectedSeries } from '../series/collected.ts';
import type { RequestAuthenticator } from './auth.ts';
import type { RemoteWriteEndpoint } from './endpoint.ts';
import { compress } from './compress.ts';
import { encodeWriteRequest } from './encode.ts';
import {
  addCounts,
  NO_COUNTS,
  type Counts,
  type DroppedSeries,
  type FailureClass,
  type RequestResult,
  type SendResult,
} from './result.ts';
import { splitRequests } from './split.ts';
import { validateSeries } from './validate.ts';

/** Failures that end a request only because the deadline left no time for another try. */
const RETRIED_UNTIL_DEADLINE: ReadonlySet<FailureClass> = new Set(['5xx', 'throttled', 'network', 'deadline']);
export const NOT_TRIED = 'not tried: the deadline passed before this request';

export interface SendOptions {
  /** Epoch ms after which nothing more is tried. */
  readonly deadlineMs: number;
  /** The tenant's metrics_generator.remote_write_headers. */
  readonly tenantHeaders?: Readonly<Record<string, string>>;
}

/** What a session needs of its endpoint's client (RemoteWriteClient), so the two modules do not import each other. */
export interface SessionClient {
  readonly name: string;
  readonly endpoint: Pick<RemoteWriteEndpoint, 'maxSamplesPerSend'>;
  prepare(
    tenant: string,
    opts: SendOptions,
  ): Promise<{ headers: Record<string, string>; authenticate?: RequestAuthenticator; authError?: string }>;
  logDropped(tenant: string, dropped: readonly DroppedSeries[]): void;
  deliver(
    tenant: string,
    body: Uint8Array,
    headers: Record<string, string>,
    authenticate: RequestAuthenticator,
    deadlineMs: number,
  ): Promise<Omit<RequestResult, keyof Counts | 'bytes'>>;
}

export class SendSession {
  /** Validated series of the request still being filled. */
  private carry: CollectedSeries[] = [];
  private readonly requests: RequestResult[] = [];
  private readonly dropped: DroppedSeries[] = [];
  private prepared = false;
  private headers: Record<string, string> = {};
  private authenticate: RequestAuthenticator | undefined;
  private authError: string | undefined;
  /**
   * Once a request ran out of time retrying, the receiver is failing and the deadline is near:
   * the remaining requests are reported as not tried rather than each tried once more.
   */
  private outOfTime = false;

  constructor(
    private readonly client: SessionClient,
    private readonly tenant: string,
    private readonly opts: SendOptions,
  ) {}

  /** Validates and queues a piece; sends every request it completed. */
  async add(series: readonly CollectedSeries[]): Promise<void> {
    const pending = this.carry;
    for (const s of series) {
      const reason = validateSeries(s);
      if (reason === undefined) pending.push(s);
      else this.dropped.push({ labels: s.labels, reason });
    }
    const batches = splitRequests(pending, this.client.endpoint.maxSamplesPerSend);
    this.carry = batches.pop() ?? [];
    for (const batch of batches) await this.sendBatch(batch);
  }

  /** Sends the last request and returns the outcome of the whole send. */
  async finish(): Promise<SendResult> {
    const last = this.carry;
    this.carry = [];
    if (last.length > 0) await this.sendBatch(last);
    this.client.logDropped(this.tenant, this.dropped);
    return summarise(this.client.name, this.tenant, this.requests, this.dropped);
  }

  private async sendBatch(batch: readonly CollectedSeries[]): Promise<void> {
    if (!this.prepared) {
      this.prepared = true;
      const p = await this.client.prepare(this.tenant, this.opts);
      this.headers = p.headers;
      this.authenticate = p.authenticate;
      this.authError = p.authError;
    }
    const body = compress(encodeWriteRequest(batch));
    const counts = countsOf(batch);
    // a request never tried: no usable credentials, or the deadline already passed
    const notTried = (failure: 'auth' | 'deadline', error: string | undefined) =>
      this.requests.push({ ...counts, bytes: body.length, ok: false, attempts: 0, retries: 0, failure, error });
    if (this.authenticate === undefined) notTried('auth', this.authError);
    else if (this.outOfTime) notTried('deadline', NOT_TRIED);
    else {
      const outcome = await this.client.deliver(
        this.tenant,
        body,
        this.headers,
        this.authenticate,
        this.opts.deadlineMs,
      );
      this.requests.push({ ...counts, bytes: body.length, ...outcome });
      this.outOfTime = outcome.failure !== undefined && RETRIED_UNTIL_DEADLINE.has(outcome.failure);
      // credentials that failed to sign one request (SigV4 chain) would fail the others too
      if (outcome.failure === 'auth') {
        this.authenticate = undefined;
        this.authError = outcome.error;
      }
    }
  }
}

function summarise(endpoint: string, tenant: string, requests: RequestResult[], dropped: DroppedSeries[]): SendResult {
  let delivered = NO_COUNTS;
  let failedCounts = NO_COUNTS;
  for (const r of requests) {
    if (r.ok) delivered = addCounts(delivered, r);
    else failedCounts = addCounts(failedCounts, r);
  }
  return { endpoint, tenant, ok: requests.every((r) => r.ok), requests, dropped, delivered, failed: failedCounts };
}

function countsOf(batch: readonly CollectedSeries[]): Counts {
  let samples = 0;
  let histograms = 0;
  let exemplars = 0;
  for (const s of batch) {
    samples += s.samples.length;
    histograms += s.histograms?.length ?? 0;
    exemplars += s.exemplars.length;
  }
  return { series: batch.length, samples, histograms, exemplars };
}
