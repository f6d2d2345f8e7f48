// MSK IAM authentication for local mode's consumer: SASL/OAUTHBEARER with a token that is a
// SigV4-presigned `kafka-cluster:Connect` URL, base64url-encoded, as AWS's MSK IAM signer libraries
// make it (aws-msk-iam-sasl-signer-js: service "kafka-cluster", host kafka.<region>.amazonaws.com,
// 15 minutes or the credentials' remaining lifetime, whichever is shorter; a User-Agent query
// parameter added after signing). Built on the SigV4 signer and credential chain the project
// already uses for remote write, instead of the signer library and the second, older copy of the
// SDK it would pull in.

import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256, type SigV4Credentials } from '../remote-write/sigv4.ts';

const SERVICE = 'kafka-cluster';
const MAX_TTL_SECONDS = 900;
export const MSK_IAM_USER_AGENT = 'msk-metrics-generator';

export interface MskIamToken {
  readonly token: string;
  readonly expiresAtMs: number;
}

interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

export async function mskIamToken(region: string, credentials: Credentials, nowMs = Date.now()): Promise<MskIamToken> {
  const hostname = `kafka.${region}.amazonaws.com`;
  const ttl =
    credentials.expiration === undefined
      ? MAX_TTL_SECONDS
      : Math.min(Math.floor((credentials.expiration.getTime() - nowMs) / 1000), MAX_TTL_SECONDS);
  if (ttl <= 0) throw new Error('MSK IAM: the AWS credentials have expired');
  const signer = new SignatureV4({
    service: SERVICE,
    region,
    credentials: credentials as SigV4Credentials,
    sha256: Sha256,
    applyChecksum: false,
  });
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: 'https:',
      hostname,
      path: '/',
      headers: { host: hostname },
      query: { Action: 'kafka-cluster:Connect' },
    },
    { expiresIn: ttl, signingDate: new Date(nowMs) },
  );
  const query: Record<string, string> = {
    ...(signed.query as Record<string, string>),
    'User-Agent': MSK_IAM_USER_AGENT,
  };
  const search = Object.keys(query)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k])}`)
    .join('&');
  return {
    token: Buffer.from(`https://${hostname}/?${search}`, 'utf8').toString('base64url'),
    expiresAtMs: nowMs + ttl * 1000,
  };
}

/** kafkajs's `oauthBearerProvider` for MSK IAM, with credentials from the default AWS chain. */
export function mskIamOauthBearerProvider(
  region: string,
  credentials: () => Promise<Credentials> = defaultProvider(),
): () => Promise<{ value: string }> {
  return async () => ({ value: (await mskIamToken(region, await credentials())).token });
}
