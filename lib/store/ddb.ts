// The DynamoDB calls the store makes, behind a small interface: the real SDK client in Lambda and
// local mode, wrappers in tests (fault injection, throttling), and one place that adds
// ReturnConsumedCapacity and retries transient faults with backoff.

import {
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
  type ConsumedCapacity,
  type GetItemCommandInput,
  type GetItemCommandOutput,
  type PutItemCommandInput,
  type PutItemCommandOutput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type UpdateItemCommandInput,
  type UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { readEnv } from '../env/contract.ts';

export interface Ddb {
  getItem(input: GetItemCommandInput): Promise<GetItemCommandOutput>;
  putItem(input: PutItemCommandInput): Promise<PutItemCommandOutput>;
  updateItem(input: UpdateItemCommandInput): Promise<UpdateItemCommandOutput>;
  query(input: QueryCommandInput): Promise<QueryCommandOutput>;
}

export function sdkDdb(client: DynamoDBClient): Ddb {
  return {
    getItem: (input) => client.send(new GetItemCommand(input)),
    putItem: (input) => client.send(new PutItemCommand(input)),
    updateItem: (input) => client.send(new UpdateItemCommand(input)),
    query: (input) => client.send(new QueryCommand(input)),
  };
}

/**
 * A client for AWS, or for the endpoint in DYNAMODB_ENDPOINT (dynalite in tests and local mode,
 * with dummy credentials). SDK retries are off: retryingDdb retries, so it can count them.
 */
export function createDynamoClient(env: NodeJS.ProcessEnv = process.env): DynamoDBClient {
  const endpoint = readEnv(env, 'DYNAMODB_ENDPOINT');
  if (endpoint !== undefined) {
    return new DynamoDBClient({
      endpoint,
      region: env.AWS_REGION ?? 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
  }
  return new DynamoDBClient({ maxAttempts: 1 });
}

export interface DdbObserver {
  /** Called with every response's consumed capacity. */
  consumed?(capacity: ConsumedCapacity, operation: keyof Ddb): void;
  /** Called before each retry of a transient fault. */
  retry?(operation: keyof Ddb, attempt: number, error: unknown): void;
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 50, maxDelayMs: 2000 };

const TRANSIENT_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'TransactionConflictException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
]);

/** Throttling, 5xx and network errors: worth retrying, and safe to (every write is idempotent or conditional). */
export function isTransient(e: unknown): boolean {
  if (typeof e !== 'object' || e === null) return false;
  const err = e as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (err.name !== undefined && TRANSIENT_NAMES.has(err.name)) return true;
  if (err.code !== undefined && TRANSIENT_CODES.has(err.code)) return true;
  const status = err.$metadata?.httpStatusCode;
  if (status !== undefined && status >= 500) return true;
  return err.$retryable !== undefined && err.$retryable !== null;
}

/**
 * Adds ReturnConsumedCapacity to every call, reports it, and retries transient faults with
 * exponential backoff and full jitter; the last fault is rethrown so the Lambda batch is retried.
 */
export function meteredDdb(inner: Ddb, observer: DdbObserver = {}, policy: RetryPolicy = DEFAULT_RETRY): Ddb {
  const sleep = policy.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const call = async <I extends object, O extends { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }>(
    op: keyof Ddb,
    fn: (input: I) => Promise<O>,
    input: I,
  ): Promise<O> => {
    const withCapacity = { ...input, ReturnConsumedCapacity: 'TOTAL' } as I;
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await fn(withCapacity);
        const cc = out.ConsumedCapacity;
        if (cc !== undefined && observer.consumed !== undefined) {
          for (const c of Array.isArray(cc) ? cc : [cc]) observer.consumed(c, op);
        }
        return out;
      } catch (e) {
        if (attempt >= policy.attempts || !isTransient(e)) throw e;
        observer.retry?.(op, attempt, e);
        const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
        await sleep(Math.random() * cap);
      }
    }
  };
  return {
    getItem: (input) => call('getItem', (i) => inner.getItem(i), input),
    putItem: (input) => call('putItem', (i) => inner.putItem(i), input),
    updateItem: (input) => call('updateItem', (i) => inner.updateItem(i), input),
    query: (input) => call('query', (i) => inner.query(i), input),
  };
}

/** The store's own clock, as seen in the Date header of its responses. */
export interface ServerClock {
  /** An estimate of the server's current time (ms), undefined before the first response. */
  nowMs(): number | undefined;
}

/**
 * Watches the Date header of every response of `client`. It has one-second resolution, which is
 * plenty for what it is for: noticing that this host's clock is far ahead (the flusher bounds the
 * sample timestamps it sends by it). Elapsed time since the response is measured on the monotonic
 * clock, which a wrong wall clock does not affect.
 */
export function trackServerClock(client: DynamoDBClient): ServerClock {
  let seen: { serverMs: number; at: number } | undefined;
  client.middlewareStack.add(
    (next) => async (args) => {
      const out = await next(args);
      const headers = (out.response as { headers?: Record<string, string | undefined> } | undefined)?.headers;
      const date = headers?.date ?? headers?.Date;
      const serverMs = date === undefined ? Number.NaN : Date.parse(date);
      // mid-second: the header truncates
      if (Number.isFinite(serverMs)) seen = { serverMs: serverMs + 500, at: performance.now() };
      return out;
    },
    { step: 'deserialize', name: 'serverClock' },
  );
  return { nowMs: () => (seen === undefined ? undefined : seen.serverMs + (performance.now() - seen.at)) };
}
