import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCost } from '../../lib/cli/cost-command.ts';
import { estimateMonthlyCost, expectedDistinct, totalOf } from '../../lib/cost/model.ts';
import { US_EAST_1 } from '../../lib/cost/prices.ts';
import { MEASURED_UNITS } from '../../lib/cost/units.ts';
import { REFERENCE_WORKLOAD } from '../../testing/workload.ts';

function cost(...args: string[]): { code: number; text: string } {
  let text = '';
  const code = runCost(args, (s) => (text += s));
  return { code, text };
}

const dollars = (text: string, item: string) =>
  Number(/\$\s*([\d.]+)/.exec(text.split('\n').find((l) => l.startsWith(item))!)![1]);

test('cost prints every item and a total that is their sum', () => {
  const { code, text } = cost('--spans-per-second', '20000', '--label-sets', '4000', '--partitions', '12');
  assert.equal(code, 0);
  const items = [
    'DynamoDB writes: ingest deltas',
    'S3 requests: delta objects',
    'storage: delta items',
    'DynamoDB writes: flusher saves',
    'DynamoDB reads',
    'ingest Lambda GB-seconds',
    'ingest Lambda requests',
    'flusher Lambda GB-seconds',
    'flusher Lambda requests',
    'EventBridge',
    'CloudWatch',
    'S3 requests: saved state',
  ];
  const sum = items.reduce((s, i) => s + dollars(text, i), 0);
  assert.ok(Math.abs(dollars(text, 'total') - sum) < 0.05, text);
});

test('longer batching windows and fewer partitions cost less; an idle stack costs less than a busy one', () => {
  const at = (spans: number, partitions: string, window: string) =>
    dollars(
      cost(
        '--spans-per-second',
        String(spans),
        '--label-sets',
        '4000',
        '--partitions',
        partitions,
        '--batching-window',
        window,
      ).text,
      'total',
    );
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
  const idle = estimateMonthlyCost({ ...REFERENCE_WORKLOAD, spansPerSecond: 0 }, MEASURED_UNITS, US_EAST_1);
  assert.equal(idle.find((i) => i.item === 'ingest Lambda requests')!.dollarsPerMonth, 0);
  assert.ok(totalOf(idle) > 0);
});

test('claim check: large deltas are priced as 1-unit pointer items plus one S3 PUT and GET; --inline-deltas prices them inline', () => {
  const args = ['--spans-per-second', '20000', '--label-sets', '4000', '--partitions', '12'];
  const claim = cost(...args).text;
  const inline = cost(...args, '--inline-deltas').text;
  // 6,220,800 batches a month: one PUT and one GET each, at $0.005 and $0.0004 per 1,000
  assert.match(claim, /S3 requests: delta objects \(claim check\)\s+6,220,800 PUT \+ 6,220,800 GET\s+\$\s+33\.59/);
  assert.match(inline, /S3 requests: delta objects \(claim check\)\s+none/);
  // pointer item (1 unit) + cursor (1 unit) per batch, against 39 + 1 inline
  assert.equal(dollars(claim, 'DynamoDB writes: ingest deltas'), Math.round(6_220_800 * 2 * 0.625e-6 * 100) / 100);
  assert.ok(dollars(inline, 'DynamoDB writes: ingest deltas') > 15 * dollars(claim, 'DynamoDB writes: ingest deltas'));
  // the delta bytes held for the TTL: DynamoDB storage inline, S3 storage (a tenth of the price) as objects
  assert.ok(dollars(inline, 'storage: delta items') > 5 * dollars(claim, 'storage: delta items'));
  assert.ok(dollars(claim, 'total') < dollars(inline, 'total') / 2);
});

test('claim check: deltas at or below the threshold stay inline, with no S3 requests', () => {
  // 100 spans/s over 12 partitions: about 40 spans per batch, a delta of about 1 KB
  const small = cost('--spans-per-second', '100', '--label-sets', '4000', '--partitions', '12').text;
  assert.match(small, /S3 requests: delta objects \(claim check\)\s+none \(deltas <= 8 KB stay inline\)/);
  assert.equal(dollars(small, 'S3 requests'), 0);
  const units = { ...MEASURED_UNITS };
  const above = estimateMonthlyCost({ ...REFERENCE_WORKLOAD }, { ...units, deltaObjectThresholdBytes: 1e9 }, US_EAST_1);
  assert.equal(above.find((i) => i.item.startsWith('S3 requests'))!.dollarsPerMonth, 0);
});
