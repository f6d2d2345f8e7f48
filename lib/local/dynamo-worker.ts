// The embedded DynamoDB (dynalite) on its own thread (started by dynamo-thread.ts): it serves the
// ingest thread's writes and the flusher's reads without taking turns with the Kafka client on
// the main thread. Answers `close` by closing the store (a data directory is flushed) and exiting.

import { parentPort, workerData } from 'node:worker_threads';
import { startLocalDynamo } from '../store/local-dynamo.ts';
import type { DynamoWorkerInit, FromDynamoWorker } from './dynamo-thread.ts';

const port = parentPort!;
const init = workerData as DynamoWorkerInit;

try {
  const dynamo = await startLocalDynamo({ path: init.path });
  // the thread's own client is not needed: every user talks to the endpoint
  port.once('message', async () => {
    await dynamo.close();
    port.postMessage({ kind: 'closed' } satisfies FromDynamoWorker);
    process.exit(0); // ends this thread only
  });
  port.postMessage({ kind: 'ready', endpoint: dynamo.endpoint } satisfies FromDynamoWorker);
} catch (e) {
  port.postMessage({
    kind: 'start-failed',
    error: e instanceof Error ? e.message : String(e),
  } satisfies FromDynamoWorker);
}
