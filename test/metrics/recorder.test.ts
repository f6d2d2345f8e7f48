import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emfDocuments } from '../../lib/metrics/emf.ts';
import { MetricsRecorder } from '../../lib/metrics/recorder.ts';

test('counters add per dimension set and drain as CloudWatch EMF', () => {
  const m = new MetricsRecorder();
  m.add('Records', 3, 'Count', { topic: 't' });
  m.add('Records', 2, 'Count', { topic: 't' });
  m.add('Records', 1, 'Count', { topic: 'u' });
  m.add('DeltaBytes', 100, 'Bytes', { topic: 't' });
  assert.equal(m.get('Records', { topic: 't' }), 5);
  assert.equal(m.total('Records'), 6);
  const docs = emfDocuments('NS', 1234, m.drain()).map((d) => JSON.parse(d));
  assert.equal(docs.length, 2);
  const t = docs.find((d) => d.topic === 't');
  assert.deepEqual(t._aws.CloudWatchMetrics[0], {
    Namespace: 'NS',
    Dimensions: [['topic']],
    Metrics: [
      { Name: 'Records', Unit: 'Count' },
      { Name: 'DeltaBytes', Unit: 'Bytes' },
    ],
  });
  assert.equal(t.Records, 5);
  assert.equal(t._aws.Timestamp, 1234);
  assert.equal(m.total('Records'), 0, 'draining empties the recorder');
});
