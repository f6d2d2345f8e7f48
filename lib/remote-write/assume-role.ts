// sigv4.role_arn: SigV4 signs with the credentials of a role assumed through STS AssumeRole (as
// Prometheus' sigv4 option does, e.g. for a cross-account Amazon Managed Service for Prometheus
// workspace). The caller's own credentials (access_key/secret_key, a profile, or the default
// chain: in Lambda the function role) assume the role; the session is kept until REFRESH_BEFORE_MS
// before it expires, then assumed again, so a send never signs with credentials about to expire.

import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { SigV4Credentials } from './sigv4.ts';

type AwsCredentialIdentityProvider = Extract<SigV4Credentials, (...args: never[]) => unknown>;
type AwsCredentialIdentity = Exclude<SigV4Credentials, AwsCredentialIdentityProvider>;

/** A session is renewed this long before its Expiration (STS sessions last 1 h by default). */
export const REFRESH_BEFORE_MS = 5 * 60_000;
export const ROLE_SESSION_NAME = 'msk-metrics-generator';

export interface AssumeRoleOptions {
  readonly roleArn: string;
  readonly region: string;
  /** Credentials that assume the role. */
  readonly base: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** STS endpoint override (tests, VPC endpoints); default the regional STS endpoint (or AWS_ENDPOINT_URL_STS). */
  readonly endpoint?: string;
  readonly now?: () => number;
}

/** A credential provider for the assumed role, for the SigV4 signer. */
export function assumedRoleCredentials(opts: AssumeRoleOptions): AwsCredentialIdentityProvider {
  const client = new STSClient({
    region: opts.region,
    credentials: opts.base,
    ...(opts.endpoint !== undefined && { endpoint: opts.endpoint }),
  });
  const now = opts.now ?? Date.now;
  let cached: AwsCredentialIdentity | undefined;
  let inFlight: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity | undefined): c is AwsCredentialIdentity =>
    c !== undefined && (c.expiration === undefined || c.expiration.getTime() - REFRESH_BEFORE_MS > now());
  const assume = async (): Promise<AwsCredentialIdentity> => {
    let out;
    try {
      out = await client.send(new AssumeRoleCommand({ RoleArn: opts.roleArn, RoleSessionName: ROLE_SESSION_NAME }));
    } catch (err) {
      throw new Error(
        `sigv4.role_arn: AssumeRole of ${opts.roleArn} failed: ${(err as Error).name}: ${(err as Error).message}`,
      );
    }
    const c = out.Credentials;
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined)
      throw new Error(`sigv4.role_arn: AssumeRole of ${opts.roleArn} returned no credentials`);
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken !== undefined && { sessionToken: c.SessionToken }),
      ...(c.Expiration !== undefined && { expiration: c.Expiration }),
    };
  };
  return async () => {
    if (fresh(cached)) return cached;
    inFlight ??= assume().finally(() => {
      inFlight = undefined;
    });
    cached = await inFlight;
    return cached;
  };
}
