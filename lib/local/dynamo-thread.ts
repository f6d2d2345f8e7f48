// Local mode's embedded DynamoDB on a worker thread (dynamo-worker.ts). dynalite parses, validates
// and stores every request in JavaScript; on the main thread that work competed with the Kafka
// client's fetching and decompression for one core. Callers get the same LocalDynamo as from
// startLocalDynamo: an endpoint, a client for it, close().

import { Worker } from 'node:worker_threads';
import { createDynamoClient } from '../store/ddb.ts';
import type { LocalDynamo } from '../store/local-dynamo.ts';

export interface DynamoWorkerInit {
  readonly entry: string;
  readonly path?: string;
}

export type FromDynamoWorker =
  | { readonly kind: 'ready'; readonly endpoint: string }
  | { readonly kind: 'start-failed'; readonly error: string }
  | { readonly kind: 'closed' };

const BOOTSTRAP = new URL('./worker-bootstrap.mjs', import.meta.url);
const ENTRY = new URL('./dynamo-worker.ts', import.meta.url).href;

export async function startDynamoThread(
  opts: { path?: string; onExit?: (error: Error) => void } = {},
): Promise<LocalDynamo> {
  const worker = new Worker(BOOTSTRAP, { workerData: { entry: ENTRY, path: opts.path } satisfies DynamoWorkerInit });
  let closing = false;
  const endpoint = await new Promise<string>((resolve, reject) => {
    worker.once('message', (m: FromDynamoWorker) => {
      if (m.kind === 'ready') resolve(m.endpoint);
      else reject(new Error(`embedded DynamoDB did not start: ${m.kind === 'start-failed' ? m.error : m.kind}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`embedded DynamoDB thread exited (code ${code})`)));
  }).catch(async (e: unknown) => {
    await worker.terminate();
    throw e;
  });
  worker.on('error', (e) => opts.onExit?.(e));
  worker.on('exit', (code) => {
    if (!closing) opts.onExit?.(new Error(`embedded DynamoDB thread exited (code ${code})`));
  });
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: endpoint });
  return {
    endpoint,
    client,
    async close() {
      if (closing) return;
      closing = true;
      client.destroy();
      const closed = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage('close');
      await closed;
    },
  };
}
