// Where bytes too large to be cheap as DynamoDB items live (large deltas, the saved state): an
// object store addressed by key. DynamoDB bills every started KB of an item, S3 bills a request
// whatever its size, so above a few KB an object costs less than an item. The DynamoDB items keep
// the commit rule: an object is only ever read through an item that names its key, size and
// checksum, and keys are never reused (they carry the attempt id), so an object written by an
// attempt that lost its commit is never read and never overwrites a committed one.

export interface ObjectStore {
  /** Writes the object (a key is written once; writing it again with other bytes is a bug). */
  put(key: string, body: Uint8Array): Promise<void>;
  /** The object's bytes, or undefined when no object has that key (expired, never written). */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Removes the object; removing one that does not exist is not an error. */
  delete(key: string): Promise<void>;
}

/** An object store in memory: local mode without S3, and tests of the code above it. */
export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, Uint8Array>();
  /** Requests served, by kind (the unit S3 bills). */
  readonly requests = { put: 0, get: 0, delete: 0 };

  get size(): number {
    return this.objects.size;
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    this.requests.put++;
    this.objects.set(key, body.slice());
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    this.requests.get++;
    const body = this.objects.get(key);
    return body === undefined ? undefined : body.slice();
  }

  async delete(key: string): Promise<void> {
    this.requests.delete++;
    this.objects.delete(key);
  }

  keys(): string[] {
    return [...this.objects.keys()];
  }
}
