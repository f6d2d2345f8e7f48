import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeRecordValue, recordTenant } from '../../lib/decode/record.ts';
import { TraceDecoder } from '../../lib/decode/trace-decoder.ts';
import { groupByPartition } from '../../lib/ingest/msk-event.ts';
import { demoTraces } from '../../lib/local/demo-traffic.ts';
import { LocalTopic } from '../../lib/local/local-topic.ts';
import type { Codec } from '../../lib/config/types.ts';

const HEADER = 'X-Scope-OrgID';

/** Reads the records back the way the ingest code does: tenant, then traces and their span count. */
function readBack(codec: Codec, topic: LocalTopic, tenant: string, traces: { traceId: string; trace: Uint8Array }[]) {
  const out: { partition: number; offset: number; tenant: string; spans: number }[] = [];
  for (const p of groupByPartition(topic.append(tenant, traces))) {
    for (const r of p.records) {
      let spans = 0;
      decodeRecordValue(codec, r.value!, new TraceDecoder(), (t) => (spans += t.spanCount), 1 << 24);
      out.push({
        partition: p.partition,
        offset: r.offset,
        tenant: recordTenant(r, { codec, tenantHeader: HEADER, defaultTenant: '' }),
        spans,
      });
    }
  }
  return out;
}

describe('local topic', () => {
  for (const codec of ['push-bytes', 'otlp'] as const) {
    test(`${codec}: each trace becomes one record the ingest decoder reads with its tenant and spans`, () => {
      const traces = demoTraces(6, Date.now());
      const topic = new LocalTopic({ topic: 'local', partitions: 3, codec, tenantHeader: HEADER });
      const read = readBack(codec, topic, 'team-a', traces);
      assert.equal(read.length, 6);
      for (const r of read) {
        assert.equal(r.tenant, 'team-a');
        assert.equal(r.spans, 8, 'a demo request has 8 spans');
      }
    });
  }

  test('a trace ID always lands in the same partition; offsets count up per partition', () => {
    const topic = new LocalTopic({ topic: 'local', partitions: 4, codec: 'push-bytes', tenantHeader: HEADER });
    const traces = demoTraces(40, Date.now());
    const first = topic.append('t', traces);
    const second = topic.append('t', traces);
    assert.deepEqual(
      second.map((r) => r.partition),
      first.map((r) => r.partition),
    );
    assert.ok(new Set(first.map((r) => r.partition)).size > 1, 'traces spread over partitions');
    for (let p = 0; p < 4; p++) {
      const offsets = [...first, ...second].filter((r) => r.partition === p).map((r) => r.offset);
      assert.deepEqual(
        offsets,
        offsets.map((_, i) => i),
      );
    }
  });

  test('rejects a partition count that is not a positive integer', () => {
    assert.throws(
      () => new LocalTopic({ topic: 'local', partitions: 0, codec: 'otlp', tenantHeader: HEADER }),
      /partitions must be a positive integer, got 0/,
    );
  });
});
