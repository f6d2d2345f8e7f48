// A local S3 (s3rver) for tests: the real S3 protocol through @aws-sdk/client-s3, no AWS account.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';

export interface LocalS3 {
  readonly client: S3Client;
  readonly endpoint: string;
  put(bucket: string, key: string, text: string): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalS3(...buckets: string[]): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 'mmg-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  for (const b of buckets) await client.send(new CreateBucketCommand({ Bucket: b }));
  return {
    client,
    endpoint,
    async put(bucket, key, text) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: text }));
    },
    async close() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
