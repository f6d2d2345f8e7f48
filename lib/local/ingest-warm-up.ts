// A fresh ingest thread runs its first batches in V8's unoptimised tiers: on a backlog, the first
// batch took ~5x as long as later ones of the same size (~90 ms of a 10,000-span batch). Joining
// the consumer group takes seconds anyway, so the thread spends a little of that time running demo
// traces through the same decoding, processors and delta encoding, in the configured record codec.
// Nothing is written: the store, the cursors and every metric stay untouched.

import { type IngestContext, rehearseIngest } from '../ingest/ingest-partition.ts';
import { demoTraces } from './demo-traffic.ts';
import { LocalTopic } from './local-topic.ts';

/** Demo requests per round (~6 spans each) and rounds: enough for V8 to optimise the hot loops. */
const REQUESTS_PER_ROUND = 500;
const ROUNDS = 6;

/** Rehearses ingest on demo traces: the records and spans it ran through. */
export function warmUpIngest(ctx: IngestContext): { records: number; spans: number } {
  const { config } = ctx;
  const topic = new LocalTopic({
    topic: 'warm-up',
    partitions: 1,
    codec: config.codec,
    tenantHeader: config.tenantHeader,
  });
  const tenant = config.defaultTenant || 'single-tenant';
  let records = 0;
  let spans = 0;
  // one set of traces, rehearsed again and again: making them costs more than decoding them
  const traces = demoTraces(REQUESTS_PER_ROUND, Date.now());
  for (let round = 0; round < ROUNDS; round++) {
    const batch = topic.append(tenant, traces);
    spans += rehearseIngest(ctx, { topic: topic.topic, partition: 0, records: batch });
    records += batch.length;
  }
  return { records, spans };
}
