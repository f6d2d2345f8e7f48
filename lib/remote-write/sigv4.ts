// AWS Signature Version 4 for remote write to Amazon Managed Service for Prometheus (service
// `aps`), over @smithy/signature-v4 with SHA-256 from node:crypto. Like Prometheus' sigv4 round
// tripper, the body hash goes into x-amz-content-sha256 and is signed with the other headers.

import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

type SignatureV4Init = ConstructorParameters<typeof SignatureV4>[0];
/** A credential set, or a provider of one (e.g. the default chain). */
export type SigV4Credentials = SignatureV4Init['credentials'];

type SourceData = string | ArrayBuffer | ArrayBufferView;

/** SHA-256 (or HMAC-SHA-256 when given a secret) in the shape the signer's `sha256` option takes. */
export class Sha256 {
  private readonly secret: Uint8Array | undefined;
  private hash: Hash | Hmac;

  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : toBytes(secret);
    this.hash = this.fresh();
  }

  update(chunk: SourceData): void {
    this.hash.update(toBytes(chunk));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
}

function toBytes(data: SourceData): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export interface SigV4SignerOptions {
  readonly region: string;
  readonly service: string;
  readonly credentials: SigV4Credentials;
  /**
   * Add and sign x-amz-content-sha256 (default true, as remote write does). The public SigV4
   * test suite signs without it.
   */
  readonly contentSha256Header?: boolean;
}

export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  /** Headers to send and sign; names in any case, unique case-insensitively. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
}

export class SigV4Signer {
  private readonly signer: SignatureV4;

  constructor(private readonly options: SigV4SignerOptions) {
    this.signer = new SignatureV4({
      service: options.service,
      region: options.region,
      credentials: options.credentials,
      sha256: Sha256,
      applyChecksum: false,
    });
  }

  /**
   * The headers to send: the request's own plus host, x-amz-date, x-amz-security-token (with
   * session credentials), x-amz-content-sha256 and authorization. Throws when the credentials
   * cannot be resolved.
   */
  async sign(request: SignableRequest, signingDate: Date = new Date()): Promise<Record<string, string>> {
    const headers: Record<string, string> = { ...request.headers, host: request.url.host };
    if (this.options.contentSha256Header ?? true) {
      headers['x-amz-content-sha256'] = createHash('sha256')
        .update(request.body ?? new Uint8Array(0))
        .digest('hex');
    }
    const url = request.url;
    const signed = await this.signer.sign(
      {
        method: request.method,
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port !== '' && { port: Number(url.port) }),
        path: url.pathname,
        query: queryOf(url),
        headers,
        ...(request.body !== undefined && { body: request.body }),
      },
      { signingDate },
    );
    return { ...signed.headers };
  }
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const existing = query[k];
    if (existing === undefined) query[k] = v;
    else query[k] = Array.isArray(existing) ? [...existing, v] : [existing, v];
  }
  return query;
}
