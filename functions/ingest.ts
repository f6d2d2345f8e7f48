// Lambda handler for the Kafka event source (Amazon MSK or self-managed Kafka). Thin: the work is
// in lib/ingest. Throwing makes the event source retry the batch, which the commit cursor makes
// safe; bad records never throw.
import type { Context, MSKEvent } from 'aws-lambda';
import { ingestEvent, lambdaIngestContext } from '../lib/ingest/ingest-handler.ts';
import { lambdaLogger } from '../lib/log/lambda-logger.ts';
import { LambdaMetrics } from '../lib/metrics/lambda-metrics.ts';

const log = lambdaLogger();
const metrics = new LambdaMetrics(log);

export async function handler(event: MSKEvent, context?: Context): Promise<void> {
  log.startInvocation(context);
  metrics.startInvocation(context);
  const ctx = await lambdaIngestContext(process.env, log);
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
    metrics.publish(ctx.metrics, Date.now());
  }
}
