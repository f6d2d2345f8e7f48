// One POST over node:http(s) with keep-alive connections. The flusher sends one request per tenant
// and endpoint every interval, so the per-request cost bounds how many tenants one flusher serves:
// on Node 20 this path takes about a third of the CPU of the global fetch (undici plus web
// streams) for the same small requests (`npm run bench`, tenant fan-out).

import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface PostResponse {
  readonly status: number;
  /** The Retry-After header, if any. */
  readonly retryAfter: string | null;
  /** For answers other than 2xx: up to the body limit of the body, as text; '' otherwise. */
  readonly body: string;
}

/** Sends `body`; rejects on network failures and when `signal` aborts. */
export type PostFn = (url: URL, headers: Readonly<Record<string, string>>, body: Uint8Array, signal: AbortSignal) => Promise<PostResponse>;

/**
 * Idle connections are closed after this (as undici, behind fetch, does by default): a receiver or
 * a load balancer may drop an idle one first, and reusing it would cost a failed try and a retry.
 * The receiver's own `Keep-Alive: timeout=N` shortens it further.
 */
const IDLE_SOCKET_MS = 4_000;
const httpAgent = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
const httpsAgent = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });

/** A PostFn that reads at most `bodyLimit` bytes of an error answer and discards the rest. */
export function httpPost(bodyLimit: number): PostFn {
  return (url, headers, body, signal) =>
    new Promise<PostResponse>((resolve, reject) => {
      const https = url.protocol === 'https:';
      const req = (https ? httpsRequest : httpRequest)(
        url,
        {
          method: 'POST',
          agent: https ? httpsAgent : httpAgent,
          headers: framed(headers, body.length),
          signal,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          const retryAfter = headerValue(res, 'retry-after');
          if (status >= 200 && status < 300) {
            // delivered; reading the rest only frees the connection for the next request
            res.on('error', () => undefined).resume();
            resolve({ status, retryAfter, body: '' });
            return;
          }
          readSnippet(res, bodyLimit).then((text) => resolve({ status, retryAfter, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
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
