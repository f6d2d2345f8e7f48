// ConfigFetcher over S3: the main config object and the per-tenant overrides object it names
// (`per_tenant_override_config` is a key relative to the main object's "directory"). Each check
// is one conditional GET per object (If-None-Match with the last good ETag), so an unchanged
// config costs two 304 answers and no parsing. ETags advance only when the new config parsed, so
// a refused config is fetched and refused again at every check (the failure metric keeps firing).

import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { posix } from 'node:path';
import type { ConfigFetcher } from './config-source.ts';
import { ConfigError } from './errors.ts';
import { parseConfig, perTenantOverrideConfigOf, type ParseOptions } from './load.ts';
import { MAX_CONFIG_BYTES } from './yaml.ts';

export interface S3ConfigLocation {
  readonly bucket: string;
  /** Key of the main config object, e.g. config.yaml. */
  readonly key: string;
}

interface Fetched {
  readonly etag: string;
  readonly text: string;
}

export function s3ConfigFetcher(
  client: Pick<S3Client, 'send'>,
  at: S3ConfigLocation,
  opts: Pick<ParseOptions, 'warn' | 'info'> = {},
): ConfigFetcher {
  let main: Fetched | undefined;
  const overrides = new Map<string, Fetched>(); // by key: the main config may name another one
  return async () => {
    const newMain = (await getIfChanged(client, at.bucket, at.key, main?.etag)) ?? main;
    if (newMain === undefined) throw new ConfigError('', 'the config object has no content', url(at.bucket, at.key));
    const named = perTenantOverrideConfigOf(newMain.text);
    // Resolved as a path under "/", so `../x` cannot leave the bucket's key space.
    const overridesKey = named === undefined ? undefined : posix.resolve('/', posix.dirname(at.key), named).slice(1);
    let newOverrides: Fetched | undefined;
    if (overridesKey !== undefined) {
      const known = overrides.get(overridesKey);
      newOverrides = (await getIfChanged(client, at.bucket, overridesKey, known?.etag)) ?? known;
    }
    const unchanged = newMain === main && (overridesKey === undefined || newOverrides === overrides.get(overridesKey));
    if (unchanged) return undefined;
    const config = parseWithUrls(newMain.text, overridesKey, at, {
      ...opts,
      baseDir: posix.join('/', posix.dirname(at.key)),
      source: url(at.bucket, at.key),
      readFile: (p) => {
        if (newOverrides === undefined || p.slice(1) !== overridesKey)
          throw new Error(`${url(at.bucket, p.slice(1))} could not be read`);
        return newOverrides.text;
      },
    });
    main = newMain;
    overrides.clear();
    if (overridesKey !== undefined && newOverrides !== undefined) overrides.set(overridesKey, newOverrides);
    return config;
  };
}

/** parseConfig, with errors in the overrides object naming its s3:// URL rather than the internal path. */
function parseWithUrls(text: string, overridesKey: string | undefined, at: S3ConfigLocation, opts: ParseOptions) {
  try {
    return parseConfig(text, opts);
  } catch (e) {
    if (e instanceof ConfigError && overridesKey !== undefined && e.source === `/${overridesKey}`)
      throw new ConfigError(e.path, e.problem, url(at.bucket, overridesKey));
    throw e;
  }
}

/** The object, or undefined when its ETag is still `etag` (304). A missing object (404) throws naming it. */
async function getIfChanged(
  client: Pick<S3Client, 'send'>,
  bucket: string,
  key: string,
  etag: string | undefined,
): Promise<Fetched | undefined> {
  try {
    const out = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, ...(etag !== undefined && { IfNoneMatch: etag }) }),
    );
    if (out.Body === undefined) return { etag: out.ETag ?? '', text: '' };
    if ((out.ContentLength ?? 0) > MAX_CONFIG_BYTES)
      throw new Error(`${url(bucket, key)} is larger than ${MAX_CONFIG_BYTES} bytes`);
    const text = await out.Body.transformToString('utf8');
    if (Buffer.byteLength(text) > MAX_CONFIG_BYTES)
      throw new Error(`${url(bucket, key)} is larger than ${MAX_CONFIG_BYTES} bytes`);
    return { etag: out.ETag ?? '', text };
  } catch (e) {
    const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 304) return undefined;
    if (status === 404) throw new Error(`${url(bucket, key)} does not exist`);
    throw e;
  }
}

function url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
