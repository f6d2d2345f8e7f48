// Lambda handler for the Kafka event source (Amazon MSK or self-managed Kafka). Thin: the work is
// in lib/ingest. Throwing makes the event source retry the batch, which the commit cursor makes
// safe; bad records never throw.
import type { MSKEvent } from 'aws-lambda';
import { ingestEvent, lambdaIngestContext } from '../lib/ingest/ingest-handler.ts';
import { publishMetrics } from '../lib/metrics/publish.ts';

export async function handler(event: MSKEvent): Promise<void> {
  const ctx = await lambdaIngestContext();
  try {
    const results = await ingestEvent(ctx, event);
    for (const r of results) {
      if (r.committed)
        ctx.log.info('committed delta', {
          topic: r.topic,
          partition: r.partition,
          ...r.committed,
          alreadyCommitted: r.alreadyCommitted,
        });
    }
  } finally {
    publishMetrics(ctx.metrics, Date.now());
  }
}
