// Remote write 1.0 to one endpoint. A send (send-session.ts) validates a tenant's collected series, splits them into
// requests of max_samples_per_send, and delivers the requests one after another (so pieces of one
// long series arrive oldest first), each retried on 5xx, 429 and network errors until the caller's
// deadline. Failures come back in the SendResult; only misuse throws.

import type { RemoteWriteEndpoint } from './endpoint.ts';
import { consoleLogger, type Logger } from '../log/logger.ts';
import type { CollectedSeries } from '../series/collected.ts';
import { EndpointAuth, type AuthDeps, type RequestAuthenticator } from './auth.ts';
import { httpPost, type PostFn, type PostResponse } from './http-post.ts';
import { mergeInto, tenantHeaders } from './headers.ts';
import { resolveHttpHeaders } from './http-headers.ts';
import { EndpointTransport, TransportSetupError } from './transport.ts';
import type { Counts, DroppedSeries, FailureClass, RequestResult, SendResult } from './result.ts';
import { NOT_TRIED, SendSession, type SendOptions } from './send-session.ts';
import { DEFAULT_BACKOFF, isRetryableStatus, parseRetryAfter, retryDelay, type Backoff } from './retry.ts';
import { redactUrl, redactUrlsIn } from './redact.ts';

/** How much of an error response body is kept for the result and the log. */
export const ERROR_BODY_LIMIT = 1024;
/** Dropped-series reasons quoted in the warning (all of them are in the result). */
const LOGGED_DROP_REASONS = 5;

export interface RemoteWriteClientOptions extends AuthDeps {
  /** storage.remote_write_add_org_id_header */
  readonly addOrgIdHeader: boolean;
  /** Sends one request (default: node:http(s) with keep-alive, see http-post.ts). */
  readonly post?: PostFn;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Epoch ms (default Date.now); deadlines are on this clock. */
  readonly now?: () => number;
  /** In [0, 1) for the backoff jitter (default Math.random). */
  readonly random?: () => number;
  readonly backoff?: Backoff;
  readonly logger?: Logger;
}

interface Attempt {
  readonly status?: number;
  readonly failure?: FailureClass;
  readonly error?: string;
  /** Wait the receiver asked for (Retry-After). */
  readonly retryAfterMs?: number;
  readonly retryable: boolean;
}

export class RemoteWriteClient {
  readonly name: string;
  private readonly url: URL;
  private readonly auth: EndpointAuth;
  private readonly post: PostFn;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly backoff: Backoff;
  private readonly logger: Logger;
  /** Tenants whose configured X-Scope-OrgID was kept, already logged once. */
  private readonly orgIdLogged = new Set<string>();

  /** Throws when the endpoint cannot be used at all (bad URL, SigV4 without a region). */
  constructor(
    readonly endpoint: RemoteWriteEndpoint,
    private readonly options: RemoteWriteClientOptions,
  ) {
    this.url = new URL(endpoint.url);
    this.name = endpoint.name ?? redactUrl(this.url);
    // lib/config refuses these too; node:http would turn them into an Authorization header
    if (this.url.username !== '' || this.url.password !== '') {
      throw new Error(`remote_write ${this.name}: the URL must not carry credentials (user:password@); use basic_auth`);
    }
    this.auth = new EndpointAuth(endpoint, options);
    this.post =
      options.post ??
      httpPost(ERROR_BODY_LIMIT, EndpointTransport.routeFor(endpoint.tls, endpoint.proxy, this.auth.secretReader));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.logger = options.logger ?? consoleLogger;
  }

  async send(tenant: string, series: readonly CollectedSeries[], opts: SendOptions): Promise<SendResult> {
    const session = this.open(tenant, opts);
    await session.add(series);
    return session.finish();
  }

  /**
   * One send fed in pieces: each piece is validated and cut into requests as it comes, full
   * requests go out (in order, one at a time) and the last, partly filled one waits for the next
   * piece, so the requests are the ones a single send of all pieces would make while only about
   * one piece is held. finish() sends the rest and returns the same result as send().
   */
  open(tenant: string, opts: SendOptions): SendSession {
    if (!Number.isFinite(opts.deadlineMs))
      throw new RangeError(`deadlineMs must be an epoch millisecond, got ${opts.deadlineMs}`);
    return new SendSession(this, tenant, opts);
  }

  /** Headers and the request signer for one send, or why there are none. */
  async prepare(
    tenant: string,
    opts: SendOptions,
  ): Promise<{ headers: Record<string, string>; authenticate?: RequestAuthenticator; authError?: string }> {
    try {
      // the endpoint's headers, then its http_headers, then the tenant's (tenantHeaders merges)
      const endpointHeaders = { ...this.endpoint.headers };
      mergeInto(endpointHeaders, await resolveHttpHeaders(this.endpoint.httpHeaders, this.auth.secretReader));
      const { headers: configured, orgIdConfigured } = tenantHeaders(
        tenant,
        endpointHeaders,
        opts.tenantHeaders ?? {},
        this.options.addOrgIdHeader,
      );
      if (orgIdConfigured && !this.orgIdLogged.has(tenant)) {
        this.orgIdLogged.add(tenant);
        this.logger.info('remote write: keeping the configured X-Scope-OrgID header instead of the tenant id', {
          endpoint: this.name,
          tenant,
        });
      }
      return { headers: await this.auth.resolveHeaderSecrets(configured), authenticate: await this.auth.prepare() };
    } catch (err) {
      const authError = errorText(err);
      this.logger.warn('remote write: credentials unavailable', { endpoint: this.name, tenant, error: authError });
      return { headers: {}, authError };
    }
  }

  /** Logs the series a send dropped as invalid (once per send). */
  logDropped(tenant: string, dropped: readonly DroppedSeries[]): void {
    if (dropped.length === 0) return;
    this.logger.warn('remote write: invalid series dropped', {
      endpoint: this.name,
      tenant,
      dropped: dropped.length,
      examples: dropped.slice(0, LOGGED_DROP_REASONS).map((d) => `${labelsText(d)}: ${d.reason}`),
    });
  }

  /** One request, retried while retryable and the deadline allows. */
  async deliver(
    tenant: string,
    body: Uint8Array,
    headers: Record<string, string>,
    authenticate: RequestAuthenticator,
    deadlineMs: number,
  ): Promise<Omit<RequestResult, keyof Counts | 'bytes'>> {
    let attempts = 0;
    let last: Attempt | undefined;
    for (;;) {
      const remaining = deadlineMs - this.now();
      if (remaining <= 0) {
        return failed(attempts, last ?? { failure: 'deadline', error: NOT_TRIED, retryable: false });
      }
      let signed: Record<string, string>;
      try {
        signed = await authenticate(this.url, headers, body);
      } catch (err) {
        return failed(attempts, { failure: 'auth', error: errorText(err), retryable: false });
      }
      attempts++;
      const attempt = await this.attempt(signed, body, remaining);
      if (attempt.failure === undefined) return { ok: true, status: attempt.status, attempts, retries: attempts - 1 };
      last = attempt;
      if (!attempt.retryable) {
        this.logger.warn(
          attempt.failure === '4xx' ? 'remote write: request rejected' : 'remote write: request failed',
          { endpoint: this.name, tenant, status: attempt.status, failure: attempt.failure, error: attempt.error },
        );
        return failed(attempts, attempt);
      }
      const delay = retryDelay(attempts - 1, attempt.retryAfterMs, this.backoff, this.random);
      if (this.now() + delay >= deadlineMs) {
        this.logger.warn('remote write: giving up at the deadline', {
          endpoint: this.name,
          tenant,
          status: attempt.status,
          failure: attempt.failure,
          error: attempt.error,
          attempts,
        });
        return failed(attempts, attempt);
      }
      await this.sleep(delay);
    }
  }

  private async attempt(headers: Record<string, string>, body: Uint8Array, remainingMs: number): Promise<Attempt> {
    const timeoutMs = Math.min(this.endpoint.remoteTimeoutMs, remainingMs);
    const signal = AbortSignal.timeout(timeoutMs);
    let response: PostResponse;
    try {
      response = await this.post(this.url, withoutHost(headers), body, signal);
    } catch (err) {
      if (err instanceof TransportSetupError) return { failure: 'auth', error: errorText(err), retryable: false };
      if (signal.aborted && timeoutMs < this.endpoint.remoteTimeoutMs) {
        return { failure: 'deadline', error: `no response before the deadline (${timeoutMs} ms)`, retryable: false };
      }
      const error = signal.aborted ? `no response within remote_timeout (${timeoutMs} ms)` : errorText(err);
      return { failure: 'network', error, retryable: true };
    }
    const status = response.status;
    if (status >= 200 && status < 300) return { status, retryable: false };
    // a receiver may quote the request URL back: redact it like any logged URL
    const error = redactUrlsIn(response.body);
    if (!isRetryableStatus(status)) return { status, failure: '4xx', error, retryable: false };
    const retryAfterMs = parseRetryAfter(response.retryAfter, this.now());
    return {
      status,
      failure: status === 429 ? 'throttled' : '5xx',
      error,
      retryable: true,
      ...(retryAfterMs !== undefined && { retryAfterMs }),
    };
  }
}

function failed(attempts: number, a: Attempt): Omit<RequestResult, keyof Counts | 'bytes'> {
  return {
    ok: false,
    attempts,
    retries: Math.max(0, attempts - 1),
    ...(a.status !== undefined && { status: a.status }),
    ...(a.failure !== undefined && { failure: a.failure }),
    ...(a.error !== undefined && { error: a.error }),
  };
}

/** node:http sets Host from the URL (the value SigV4 signed); passing it again is refused by some. */
function withoutHost(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (name.toLowerCase() !== 'host') out[name] = value;
  return out;
}

/** An error as text for results and logs, with any URL in it redacted (some errors quote URLs). */
function errorText(err: unknown): string {
  if (!(err instanceof Error)) return redactUrlsIn(String(err));
  // some clients report the reason (ECONNREFUSED ...) in `cause`
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error)
    return redactUrlsIn(`${err.message}: ${(cause as { code?: string }).code ?? cause.message}`);
  return redactUrlsIn(err.message);
}

function labelsText(d: DroppedSeries): string {
  return `{${d.labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}
