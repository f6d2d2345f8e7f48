// oauth2 client credentials (RFC 6749 §4.4), as Prometheus' oauth2 option does through
// golang.org/x/oauth2/clientcredentials (prometheus/common config/http_config.go): a token is
// fetched from token_url, kept until 10 s before it expires (expires_in) and then fetched again;
// a token without expires_in is kept until the client secret changes. The client authenticates
// with HTTP Basic first and, when the endpoint refuses that (400/401), with client_id and
// client_secret in the form, and keeps to what worked (Go's auto-detected auth style).

import type { OAuth2Settings } from './endpoint.ts';
import { httpPost, type PostFn, type PostResponse } from './http-post.ts';
import { redactUrlsIn } from './redact.ts';
import { EndpointTransport } from './transport.ts';

/** Go's oauth2 refreshes a token this long before its expiry. */
const EXPIRY_DELTA_MS = 10_000;
const TOKEN_RESPONSE_LIMIT = 64 * 1024;
const TOKEN_TIMEOUT_MS = 30_000;

interface CachedToken {
  readonly header: string;
  readonly expiresAt: number;
  readonly secret: string;
}

export class OAuth2TokenSource {
  private cached: CachedToken | undefined;
  private inFlight: Promise<CachedToken> | undefined;
  private style: 'header' | 'params' | undefined;
  private readonly post: PostFn;

  constructor(
    private readonly settings: OAuth2Settings,
    private readonly readSecret: (path: string) => Promise<string>,
    private readonly now: () => number = Date.now,
    post?: PostFn,
  ) {
    this.post =
      post ??
      httpPost(TOKEN_RESPONSE_LIMIT, EndpointTransport.routeFor(settings.tls, settings.proxy, readSecret), true);
  }

  /** The Authorization header value; rejects when no token can be had (reason without secrets). */
  async authorization(): Promise<string> {
    const secret = await this.clientSecret();
    const c = this.cached;
    if (c !== undefined && c.secret === secret && this.now() < c.expiresAt) return c.header;
    // concurrent sends of one endpoint share one token request
    this.inFlight ??= this.fetchToken(secret).finally(() => {
      this.inFlight = undefined;
    });
    this.cached = await this.inFlight;
    return this.cached.header;
  }

  private async clientSecret(): Promise<string> {
    const s = this.settings;
    if (s.clientSecretFile === undefined) return s.clientSecret ?? '';
    try {
      return (await this.readSecret(s.clientSecretFile)).trim();
    } catch (err) {
      throw new Error(`oauth2.client_secret_file ${s.clientSecretFile}: ${(err as Error).message}`);
    }
  }

  private async fetchToken(secret: string): Promise<CachedToken> {
    if (this.style !== 'params') {
      const answer = await this.request(secret, 'header');
      if (answer.ok || this.style === 'header' || (answer.status !== 400 && answer.status !== 401))
        return this.accept(answer, secret, 'header');
    }
    return this.accept(await this.request(secret, 'params'), secret, 'params');
  }

  private async request(
    secret: string,
    style: 'header' | 'params',
  ): Promise<{ ok: boolean; status: number; body: string }> {
    const s = this.settings;
    const form = new URLSearchParams();
    form.set('grant_type', 'client_credentials');
    if (s.scopes.length > 0) form.set('scope', s.scopes.join(' '));
    for (const [k, v] of Object.entries(s.endpointParams)) form.set(k, v);
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    if (style === 'header') {
      headers.Authorization = `Basic ${Buffer.from(`${formEscape(s.clientId)}:${formEscape(secret)}`, 'utf8').toString('base64')}`;
    } else {
      form.set('client_id', s.clientId);
      if (secret !== '') form.set('client_secret', secret);
    }
    let res: PostResponse;
    try {
      res = await this.post(
        new URL(s.tokenUrl),
        headers,
        Buffer.from(form.toString(), 'utf8'),
        AbortSignal.timeout(TOKEN_TIMEOUT_MS),
      );
    } catch (err) {
      throw new Error(`oauth2 token request failed: ${redactUrlsIn((err as Error).message)}`);
    }
    return { ok: res.status >= 200 && res.status < 300, status: res.status, body: res.body };
  }

  private accept(
    answer: { ok: boolean; status: number; body: string },
    secret: string,
    style: 'header' | 'params',
  ): CachedToken {
    if (!answer.ok) {
      // the error code (RFC 6749 §5.2) explains; the rest of the body may echo what was sent
      const code = tokenFields(answer.body).error;
      throw new Error(
        `oauth2 token endpoint answered ${answer.status}${typeof code === 'string' ? ` (${code.slice(0, 100)})` : ''}`,
      );
    }
    this.style = style;
    const fields = tokenFields(answer.body);
    const token = fields.access_token;
    if (typeof token !== 'string' || token === '')
      throw new Error('oauth2 token endpoint answered without an access_token');
    const rawType = typeof fields.token_type === 'string' && fields.token_type !== '' ? fields.token_type : 'Bearer';
    const type = rawType.toLowerCase() === 'bearer' ? 'Bearer' : rawType;
    const expiresIn = Number(fields.expires_in);
    const expiresAt =
      Number.isFinite(expiresIn) && expiresIn > 0
        ? this.now() + expiresIn * 1000 - EXPIRY_DELTA_MS
        : Number.POSITIVE_INFINITY;
    return { header: `${type} ${token}`, expiresAt, secret };
  }
}

/** A token response as JSON or, as some endpoints send, form-encoded. */
function tokenFields(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return Object.fromEntries(new URLSearchParams(body));
}

/** Go's oauth2 form-escapes client id and secret before Basic encoding (RFC 6749 §2.3.1). */
function formEscape(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+');
}
