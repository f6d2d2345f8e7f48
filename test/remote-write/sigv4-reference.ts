// SigV4 computed straight from the AWS specification with node:crypto, independently of
// @smithy/signature-v4, so tests check the library's output rather than trust it.

import { createHash, createHmac } from 'node:crypto';

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

export interface ReferenceRequest {
  readonly method: string;
  readonly path: string;
  /** Exactly the headers to sign. */
  readonly headers: Readonly<Record<string, string>>;
  readonly payloadHash: string;
  readonly region: string;
  readonly service: string;
  readonly secretKey: string;
  /** yyyymmddThhmmssZ */
  readonly amzDate: string;
}

export function referenceSignature(r: ReferenceRequest): { signature: string; signedHeaders: string } {
  const values = new Map(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')]));
  const names = [...values.keys()].sort();
  const signedHeaders = names.join(';');
  const canonical = [
    r.method,
    r.path,
    '',
    ...names.map((n) => `${n}:${values.get(n)}`),
    '',
    signedHeaders,
    r.payloadHash,
  ].join('\n');
  const day = r.amzDate.slice(0, 8);
  const scope = `${day}/${r.region}/${r.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', r.amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${r.secretKey}`, day), r.region), r.service), 'aws4_request');
  return { signature: createHmac('sha256', key).update(stringToSign).digest('hex'), signedHeaders };
}
