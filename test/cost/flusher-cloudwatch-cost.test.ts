// The flusher and CloudWatch rows of the monthly estimate: from the measured units, not an assumed
// 58 s a minute and ~20 metrics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateMonthlyCost, totalOf, type Workload } from '../../lib/cost/model.ts';
import { US_EAST_1 } from '../../lib/cost/prices.ts';
import { MEASURED_UNITS } from '../../lib/cost/units.ts';
import { REFERENCE_WORKLOAD } from '../../testing/workload.ts';

const REFERENCE = REFERENCE_WORKLOAD;
const item = (w: Workload, prefix: string) =>
  estimateMonthlyCost(w, MEASURED_UNITS, US_EAST_1).find((i) => i.item.startsWith(prefix))!;

test('an idle stack (no spans, every series stale) costs at most $2 a month', () => {
  const idle = estimateMonthlyCost({ ...REFERENCE, spansPerSecond: 0 }, MEASURED_UNITS, US_EAST_1);
  assert.ok(totalOf(idle) <= 2, `idle stack: $${totalOf(idle).toFixed(2)}`);
  assert.ok(item({ ...REFERENCE, spansPerSecond: 0 }, 'CloudWatch').dollarsPerMonth <= 1);
});

test('the flusher bills its collections and the wait between them, never past its timeout', () => {
  const at = (flushMemoryMb: number, spansPerSecond = 20_000) =>
    item({ ...REFERENCE, flushMemoryMb, spansPerSecond }, 'flusher Lambda GB-seconds');
  const seconds = (i: { quantity: string }) => Number(/\(([\d.]+) s a minute/.exec(i.quantity)![1]);
  // more CPU share: the same work ends sooner, but every second of the wait costs more
  assert.ok(seconds(at(1024)) < seconds(at(512)));
  assert.ok(at(1024).dollarsPerMonth > at(512).dollarsPerMonth);
  for (const mb of [128, 256, 512, 1769]) assert.ok(seconds(at(mb)) <= 58, `${mb} MB: ${at(mb).quantity}`);
  // the wait for the minute's last collection (45 s) is paid even with little traffic
  assert.ok(seconds(at(512, 100)) >= 45);
  assert.match(at(128).quantity, /does not keep up/);
  assert.doesNotMatch(at(1769).quantity, /does not keep up/);
});

test('more tenants publish more per-tenant metrics', () => {
  const one = item(REFERENCE, 'CloudWatch').dollarsPerMonth;
  const ten = item({ ...REFERENCE, tenants: 10 }, 'CloudWatch').dollarsPerMonth;
  assert.ok(ten > one);
  assert.ok(one <= 6, `reference workload CloudWatch: $${one}`);
});
