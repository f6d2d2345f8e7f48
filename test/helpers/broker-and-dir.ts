// The setup of the CLI tests on a real broker: a librdkafka mock cluster and a scratch directory,
// started before the suite's tests and removed after them.
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MockKafka, startMockKafka } from '../../testing/kafka-mock-broker.ts';

export interface BrokerAndDir {
  readonly kafka: MockKafka;
  readonly dir: string;
}

/** Registers the suite's before/after hooks; read the fields inside a test. */
export function brokerAndDir(brokers: number, dirPrefix: string): BrokerAndDir {
  let kafka: MockKafka | undefined;
  let dir: string | undefined;
  before(async () => {
    kafka = await startMockKafka(brokers);
    dir = mkdtempSync(join(tmpdir(), dirPrefix));
  });
  after(async () => {
    await kafka?.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return {
    get kafka() {
      return kafka!;
    },
    get dir() {
      return dir!;
    },
  };
}
