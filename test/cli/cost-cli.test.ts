import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCost } from '../../lib/cli/cost-command.ts';
import { estimateMonthlyCost, expectedDistinct, totalOf } from '../../lib/cost/model.ts';
import { US_EAST_1 } from '../../lib/cost/prices.ts';
import { MEASURED_UNITS } from '../../lib/cost/units.ts';

function cost(...args: string[]): { code: number; text: string } {
  let text = '';
  const code = runCost(args, (s) => (text += s));
  return { code, text };
}

const dollars = (text: string, item: string) => Number(/\$\s*([\d.]+)/.exec(text.split('\n').find((l) => l.startsWith(item))!)![1]);

test('cost prints every item and a total that is their sum', () => {
  const { code, text } = cost('--spans-per-second', '20000', '--label-sets', '4000', '--partitions', '12');
  assert.equal(code, 0);
  const items = ['DynamoDB writes: ingest deltas', 'DynamoDB writes: flusher saves', 'DynamoDB reads', 'ingest Lambda GB-seconds', 'ingest Lambda requests', 'flusher Lambda GB-seconds', 'flusher Lambda requests', 'EventBridge', 'CloudWatch', 'S3 requests: saved state'];
  const sum = items.reduce((s, i) => s + dollars(text, i), 0);
  assert.ok(Math.abs(dollars(text, 'total') - sum) < 0.05, text);
});

test('longer batching windows and fewer partitions cost less; an idle stack costs less than a busy one', () => {
  const at = (spans: number, partitions: string, window: string) =>
    dollars(cost('--spans-per-second', String(spans), '--label-sets', '4000', '--partitions', partitions, '--batching-window', window).text, 'total');
  assert.ok(at(20_000, '12', '10') < at(20_000, '12', '5'));
  assert.ok(at(20_000, '3', '5') < at(20_000, '12', '5'));
  assert.ok(at(0, '12', '5') < at(20_000, '12', '5') / 10);
});

test('a missing or bad option is named and exits 2', () => {
  assert.equal(cost('--label-sets', '10', '--partitions', '1').code, 2);
  assert.equal(cost('--spans-per-second', 'lots', '--label-sets', '10', '--partitions', '1').code, 2);
});

test('expected distinct label sets: all of them for many uniform draws, fewer under Zipf', () => {
  assert.ok(expectedDistinct(100, 100_000, 'uniform') > 99.9);
  assert.ok(expectedDistinct(4000, 8333, 'zipf') < expectedDistinct(4000, 8333, 'uniform'));
  assert.equal(expectedDistinct(10, 0, 'zipf'), 0);
  const idle = estimateMonthlyCost({ spansPerSecond: 0, labelSets: 4000, partitions: 12, batchingWindowS: 5, tenants: 1, distribution: 'zipf', ingestMemoryMb: 1024, flushMemoryMb: 512 }, MEASURED_UNITS, US_EAST_1);
  assert.equal(idle[4].dollarsPerMonth, 0); // no ingest requests
  assert.ok(totalOf(idle) > 0);
});
