// The EMF documents CloudWatch reads: Powertools builds them, and a Powertools upgrade must not
// change what the stack's alarms and dashboard see (names, units, dimensions, namespace).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LogFields, Logger } from '../../lib/log/logger.ts';
import { emfDocuments } from '../../lib/metrics/emf.ts';
import type { RecordedMetric } from '../../lib/metrics/recorded-metric.ts';

const NOW = Date.now();

test('one document per dimension set, byte for byte as the stack has always published them', () => {
  const metrics: RecordedMetric[] = [
    { name: 'Records', unit: 'Count', dims: { topic: 't' }, value: 5 },
    { name: 'FoldLagSeconds', unit: 'Seconds', dims: {}, value: 4.5 },
    { name: 'DeltaBytes', unit: 'Bytes', dims: { topic: 't' }, value: 100 },
    { name: 'RemoteWriteFailures', unit: 'Count', dims: { tenant: 'a', endpoint: 'prom', class: '5xx' }, value: 1 },
  ];
  assert.deepEqual(emfDocuments('MskMetricsGenerator', NOW, metrics), [
    `{"_aws":{"Timestamp":${NOW},"CloudWatchMetrics":[{"Namespace":"MskMetricsGenerator","Dimensions":[["topic"]],` +
      `"Metrics":[{"Name":"Records","Unit":"Count"},{"Name":"DeltaBytes","Unit":"Bytes"}]}]},` +
      `"topic":"t","Records":5,"DeltaBytes":100}`,
    // no dimensions: one empty dimension set, not Powertools' default `service` dimension
    `{"_aws":{"Timestamp":${NOW},"CloudWatchMetrics":[{"Namespace":"MskMetricsGenerator","Dimensions":[[]],` +
      `"Metrics":[{"Name":"FoldLagSeconds","Unit":"Seconds"}]}]},"FoldLagSeconds":4.5}`,
    `{"_aws":{"Timestamp":${NOW},"CloudWatchMetrics":[{"Namespace":"MskMetricsGenerator",` +
      `"Dimensions":[["tenant","endpoint","class"]],"Metrics":[{"Name":"RemoteWriteFailures","Unit":"Count"}]}]},` +
      `"tenant":"a","endpoint":"prom","class":"5xx","RemoteWriteFailures":1}`,
  ]);
});

test('a dimension set with more than 100 metrics is split: EMF reads at most 100 from one document', () => {
  const metrics: RecordedMetric[] = Array.from({ length: 130 }, (_, i) => ({
    name: `M${i}`,
    unit: 'Count',
    dims: { tenant: 'a' },
    value: i + 1,
  }));
  const docs = emfDocuments('NS', NOW, metrics).map((d) => JSON.parse(d));
  assert.deepEqual(
    docs.map((d) => d._aws.CloudWatchMetrics[0].Metrics.length),
    [100, 30],
  );
  for (const d of docs) assert.deepEqual(d._aws.CloudWatchMetrics[0].Dimensions, [['tenant']]);
  const values = docs.flatMap((d) => d._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => d[m.Name]));
  assert.deepEqual(
    values,
    metrics.map((m) => m.value),
  );
});

test('a timestamp CloudWatch would drop (over 14 days old) is reported on the log given', () => {
  const warnings: string[] = [];
  const log: Logger = { info() {}, error() {}, warn: (m: string, _f?: LogFields) => warnings.push(m) };
  emfDocuments('NS', NOW - 15 * 86_400_000, [{ name: 'Records', unit: 'Count', dims: {}, value: 1 }], log);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /timestamp/);
  emfDocuments('NS', NOW, [{ name: 'Records', unit: 'Count', dims: {}, value: 1 }], log);
  assert.equal(warnings.length, 1);
});
