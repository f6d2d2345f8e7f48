// Lambda handler for the flush schedule (EventBridge, every minute, reserved concurrency 1). Thin:
// the work is in lib/flush. Its run time is AWS/Lambda's Duration metric (free), not an EMF one.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { invocationDeadline, lambdaFlushContext } from '../lib/flush/flush-handler.ts';
import { lambdaLogger } from '../lib/log/lambda-logger.ts';
import { LambdaMetrics } from '../lib/metrics/lambda-metrics.ts';

const log = lambdaLogger();
const metrics = new LambdaMetrics(log);

export async function handler(_event: ScheduledEvent, context?: Context): Promise<void> {
  log.startInvocation(context);
  metrics.startInvocation(context);
  const ctx = await lambdaFlushContext(process.env, log);
  try {
    await ctx.flusher.run(invocationDeadline(Date.now(), context?.getRemainingTimeInMillis()));
  } finally {
    metrics.publish(ctx.metrics, Date.now());
  }
}
