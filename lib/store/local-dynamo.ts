// An in-process DynamoDB-compatible store (dynalite) on 127.0.0.1 with a random port, for tests
// and local mode. The code under test talks to it through the real AWS SDK client. In memory by
// default; with `path` its tables live in a LevelDB directory (dynalite's `level` backend,
// classic-level, whose prebuilt binaries ship inside the npm package) and survive restarts.

import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import { createDynamoClient } from './ddb.ts';
import { createTableInput, type TableDefinition } from './tables.ts';

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

export async function startLocalDynamo(opts: { path?: string } = {}): Promise<LocalDynamo> {
  // loaded on demand: only tests and local mode need it, never a Lambda bundle
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(opts.path === undefined ? {} : { path: opts.path }),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createDynamoClient({ DYNAMODB_ENDPOINT: endpoint });
  return {
    endpoint,
    client,
    close: () =>
      new Promise<void>((resolve) => {
        client.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Creates a table from its definition (unless a durable store has it already) and waits until it is ACTIVE. */
export async function createTable(client: DynamoDBClient, def: TableDefinition, name: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(createTableInput(def, name)));
  } catch (e) {
    if ((e as Error).name !== 'ResourceInUseException') throw e;
  }
  for (let i = 0; i < 100; i++) {
    const out = await client.send(new DescribeTableCommand({ TableName: name }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`table ${name} did not become ACTIVE`);
}
