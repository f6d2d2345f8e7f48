// Remote-write credentials from AWS Secrets Manager. A secret-bearing setting (a `*_file`, an
// http_headers file, a `headers` value, a tls_config file) whose value starts with
// `secretsmanager:` is read from a JSON object of credentials stored in Secrets Manager instead of
// from a file:
//   secretsmanager:<key>          <key> of the secret named by REMOTE_WRITE_SECRET_ARN
//   secretsmanager:<name>:<key>   <key> of the secret <name> (a name or an ARN; the key is what
//                                 follows the last colon)
// Each secret is fetched at most once per REFRESH_MS, so a rotated secret is picked up without a
// deploy; every other path is read from the file system.

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readFile } from 'node:fs/promises';

export const SECRET_PREFIX = 'secretsmanager:';
const REFRESH_MS = 5 * 60_000;

export type SecretFetcher = (secretId: string) => Promise<string>;

const defaultFetcher: SecretFetcher = async (id) => {
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: id }));
  if (out.SecretString === undefined)
    throw new Error(`secret ${id} has no string value (binary secrets are not supported)`);
  return out.SecretString;
};

/** The secret and key a `secretsmanager:` reference names; secret undefined = the default secret. */
export function parseSecretReference(reference: string): { secret?: string; key: string } {
  const rest = reference.slice(SECRET_PREFIX.length);
  const colon = rest.lastIndexOf(':');
  if (colon < 0) return { key: rest };
  return { secret: rest.slice(0, colon), key: rest.slice(colon + 1) };
}

export function secretAwareReadFile(
  defaultSecretArn: string | undefined,
  fetch: SecretFetcher = defaultFetcher,
  now: () => number = Date.now,
): (path: string) => Promise<string> {
  const cache = new Map<string, { at: number; values: Record<string, unknown> }>();
  const values = async (secretId: string): Promise<Record<string, unknown>> => {
    const cached = cache.get(secretId);
    if (cached !== undefined && now() - cached.at < REFRESH_MS) return cached.values;
    const text = await fetch(secretId);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`secret ${secretId} is not a JSON object of credentials`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`secret ${secretId} is not a JSON object of credentials`);
    cache.set(secretId, { at: now(), values: parsed as Record<string, unknown> });
    return parsed as Record<string, unknown>;
  };
  return async (path) => {
    if (!path.startsWith(SECRET_PREFIX)) return readFile(path, 'utf8');
    const { secret, key } = parseSecretReference(path);
    if (key === '')
      throw new Error(`"${path}" names no key: use ${SECRET_PREFIX}<key> or ${SECRET_PREFIX}<secret>:<key>`);
    let secretId = secret;
    if (secretId === undefined || secretId === '') {
      if (defaultSecretArn === undefined || defaultSecretArn === '') {
        throw new Error(
          `a "${SECRET_PREFIX}<key>" credential needs REMOTE_WRITE_SECRET_ARN (the stack's remoteWriteSecretArn), or name the secret: ${SECRET_PREFIX}<secret>:<key>`,
        );
      }
      secretId = defaultSecretArn;
    }
    const value = (await values(secretId))[key];
    if (typeof value !== 'string') throw new Error(`secret ${secretId} has no string key "${key}"`);
    return value;
  };
}
