// Remote-write credentials from AWS Secrets Manager. A `*_file` setting (basic_auth.password_file,
// bearer_token_file, authorization.credentials_file) whose value is `secretsmanager:<key>` reads
// <key> from the JSON object stored in the secret named by REMOTE_WRITE_SECRET_ARN, instead of a
// file. The secret is fetched at most once per REFRESH_MS, so a rotated secret is picked up
// without a deploy; every other path is read from the file system as before.

import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readFile } from 'node:fs/promises';

export const SECRET_PREFIX = 'secretsmanager:';
const REFRESH_MS = 5 * 60_000;

export type SecretFetcher = (secretArn: string) => Promise<string>;

const defaultFetcher: SecretFetcher = async (arn) => {
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  if (out.SecretString === undefined) throw new Error(`secret ${arn} has no string value (binary secrets are not supported)`);
  return out.SecretString;
};

export function secretAwareReadFile(
  secretArn: string | undefined,
  fetch: SecretFetcher = defaultFetcher,
  now: () => number = Date.now,
): (path: string) => Promise<string> {
  let cached: { at: number; values: Record<string, unknown> } | undefined;
  const values = async (): Promise<Record<string, unknown>> => {
    if (cached !== undefined && now() - cached.at < REFRESH_MS) return cached.values;
    if (secretArn === undefined || secretArn === '') {
      throw new Error(`a "${SECRET_PREFIX}<key>" credential needs REMOTE_WRITE_SECRET_ARN (the stack's remoteWriteSecretArn)`);
    }
    const text = await fetch(secretArn);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`secret ${secretArn} is not a JSON object of credentials`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`secret ${secretArn} is not a JSON object of credentials`);
    cached = { at: now(), values: parsed as Record<string, unknown> };
    return cached.values;
  };
  return async (path) => {
    if (!path.startsWith(SECRET_PREFIX)) return readFile(path, 'utf8');
    const key = path.slice(SECRET_PREFIX.length);
    const value = (await values())[key];
    if (typeof value !== 'string') throw new Error(`secret ${secretArn} has no string key "${key}"`);
    return value;
  };
}
