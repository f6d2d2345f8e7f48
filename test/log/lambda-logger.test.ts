// The Lambda logger keeps every field a call site passes, including ones named like the keys
// Powertools owns (which it would otherwise drop with a warning).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lambdaLogger } from '../../lib/log/lambda-logger.ts';

/** The JSON lines printed while `fn` runs (Powertools writes to process.stdout and process.stderr). */
function printed(fn: () => void): Record<string, unknown>[] {
  const out: string[] = [];
  const streams = [process.stdout, process.stderr];
  const writes = streams.map((s) => s.write);
  for (const s of streams)
    s.write = ((chunk: string | Uint8Array) => out.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    fn();
  } finally {
    for (const [i, s] of streams.entries()) s.write = writes[i];
  }
  return out
    .join('')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

test('fields named like Powertools keys are kept under <key>_field; the others as they are', () => {
  const log = lambdaLogger();
  const [line, ...rest] = printed(() =>
    log.warn('skipped bad record', {
      service: 'checkout',
      timestamp: 12,
      level: 'x',
      reason: 'truncated',
      partition: 3,
    }),
  );
  assert.deepEqual(rest, [], 'no warning about dropped keys');
  assert.equal(line.level, 'WARN');
  assert.equal(line.message, 'skipped bad record');
  assert.equal(line.service, 'msk-metrics-generator');
  assert.equal(typeof line.timestamp, 'string');
  assert.equal(line.service_field, 'checkout');
  assert.equal(line.timestamp_field, 12);
  assert.equal(line.level_field, 'x');
  assert.equal(line.reason, 'truncated');
  assert.equal(line.partition, 3);
});

test('without an invocation context the lines carry no correlation id, and nothing fails', () => {
  const log = lambdaLogger();
  log.startInvocation(undefined);
  const [line] = printed(() => log.info('started'));
  assert.equal(line.message, 'started');
  assert.equal(line.correlation_id, undefined);
});
