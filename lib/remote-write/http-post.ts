// One POST over node:http(s) with keep-alive connections. The flusher sends one request per tenant
// and endpoint every interval, so the per-request cost bounds how many tenants one flusher serves:
// on Node 20 this path takes about a third of the CPU of the global fetch (undici plus web
// streams) for the same small requests (`npm run bench`, tenant fan-out). Agents (TLS settings,
// proxy) come from transport.ts.

import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { directRoute, type RouteFn } from './transport.ts';

export interface PostResponse {
  readonly status: number;
  /** The Retry-After header, if any. */
  readonly retryAfter: string | null;
  /** For answers other than 2xx (or always, when asked): up to the body limit of the body, as text; '' otherwise. */
  readonly body: string;
}

/** Sends `body`; rejects on network failures and when `signal` aborts. */
export type PostFn = (
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: Uint8Array,
  signal: AbortSignal,
) => Promise<PostResponse>;

/**
 * A PostFn that reads at most `bodyLimit` bytes of an error answer and discards the rest.
 * `route` picks the agent (TLS settings, proxy) per request; default: direct, shared agents.
 * With `readSuccessBody`, the body of a 2xx answer is read too (token endpoints).
 */
export function httpPost(bodyLimit: number, route: RouteFn = directRoute, readSuccessBody = false): PostFn {
  return async (url, headers, body, signal) => {
    const r = await route(url);
    const target = r.viaProxy?.url ?? url;
    const options: RequestOptions = {
      method: 'POST',
      agent: r.agent,
      headers: {
        ...framed(headers, body.length),
        ...(r.viaProxy !== undefined && { Host: url.host, ...r.viaProxy.headers }),
      },
      signal,
    };
    if (r.viaProxy !== undefined) {
      // a plain-http request through a proxy names the absolute URL (RFC 9112, absolute-form)
      options.host = target.hostname;
      options.port = target.port || (target.protocol === 'https:' ? 443 : 80);
      options.path = url.href;
    }
    return new Promise<PostResponse>((resolve, reject) => {
      const https = target.protocol === 'https:';
      const onResponse = (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        const retryAfter = headerValue(res, 'retry-after');
        if (status >= 200 && status < 300 && !readSuccessBody) {
          // delivered; reading the rest only frees the connection for the next request
          res.on('error', () => undefined).resume();
          resolve({ status, retryAfter, body: '' });
          return;
        }
        readSnippet(res, bodyLimit).then((text) => resolve({ status, retryAfter, body: text }));
      };
      const req =
        r.viaProxy !== undefined
          ? (https ? httpsRequest : httpRequest)(options, onResponse)
          : (https ? httpsRequest : httpRequest)(url, options, onResponse);
      req.on('error', reject);
      req.end(body);
    });
  };
}

/** The headers with the body's length; configured framing headers would corrupt the request. */
function framed(headers: Readonly<Record<string, string>>, length: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower !== 'content-length' && lower !== 'transfer-encoding') out[name] = value;
  }
  out['Content-Length'] = String(length);
  return out;
}

function headerValue(res: IncomingMessage, name: string): string | null {
  const v = res.headers[name];
  if (v === undefined) return null;
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Up to `limit` bytes of the body as text; the connection is dropped rather than the rest read. */
function readSnippet(res: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      res.removeAllListeners('data');
      resolve(new TextDecoder().decode(Buffer.concat(chunks).subarray(0, limit)));
    };
    res.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= limit) {
        done();
        res.destroy(); // the rest is not needed; a cut-short body still explains something
      }
    });
    res.on('end', done);
    // a body cut short (reset, abort) still explains something: keep what arrived
    res.on('error', done);
    res.on('aborted', done);
  });
}
