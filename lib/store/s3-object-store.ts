// The object store on S3: one bucket, keys as the callers give them (`deltas/...` for large
// deltas, `state/...` for saved state; the bucket's lifecycle rule expires `deltas/` only).
//
// Only a missing key is an answer (undefined); every other failure throws, so the caller's batch
// or run is retried: a GET that failed says nothing about whether the object exists. The SDK's
// own retries (standard mode, 3 attempts) absorb brief throttling and 5xx before that.

import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readEnv } from '../env/contract.ts';
import type { ObjectStore } from './object-store.ts';

export class S3ObjectStore implements ObjectStore {
  constructor(
    private readonly client: Pick<S3Client, 'send'>,
    readonly bucket: string,
  ) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: 'application/octet-stream',
      }),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (out.Body === undefined) return new Uint8Array(0);
      return await out.Body.transformToByteArray();
    } catch (e) {
      if (isNoSuchKey(e)) return undefined;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 answers 204 for a key that does not exist, as the interface wants.
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

/**
 * NoSuchKey, by name or by a bare 404 (some S3-compatible servers send no error code). A missing
 * bucket is a 404 too, and must throw: it is a broken deployment, not an expired object.
 */
function isNoSuchKey(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  if (err.name === 'NoSuchKey' || err.Code === 'NoSuchKey') return true;
  return err.$metadata?.httpStatusCode === 404 && err.name !== 'NoSuchBucket' && err.Code !== 'NoSuchBucket';
}

/**
 * The object store the environment names: DATA_BUCKET (the stack's data bucket), or none, in
 * which case every delta stays inline in DynamoDB (local mode, deployments from before the
 * bucket). S3_ENDPOINT points the client at an S3-compatible server (local testing only).
 */
export function objectStoreFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  client?: Pick<S3Client, 'send'>,
): S3ObjectStore | undefined {
  const bucket = readEnv(env, 'DATA_BUCKET');
  if (bucket === undefined) return undefined;
  if (client !== undefined) return new S3ObjectStore(client, bucket);
  const endpoint = readEnv(env, 'S3_ENDPOINT');
  if (endpoint !== undefined) {
    // the local server's credentials from this environment, else the usual chain
    const id = env.AWS_ACCESS_KEY_ID;
    const secret = env.AWS_SECRET_ACCESS_KEY;
    const credentials =
      id !== undefined && secret !== undefined ? { accessKeyId: id, secretAccessKey: secret } : undefined;
    return new S3ObjectStore(
      new S3Client({
        endpoint,
        forcePathStyle: true,
        region: env.AWS_REGION ?? 'us-east-1',
        ...(credentials !== undefined && { credentials }),
      }),
      bucket,
    );
  }
  return new S3ObjectStore(new S3Client({}), bucket);
}
