// Lambda handler for the flush schedule (EventBridge, every minute, reserved concurrency 1). Thin:
// the work is in lib/flush. Its run time is AWS/Lambda's Duration metric (free), not an EMF one.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { invocationDeadline, lambdaFlushContext } from '../lib/flush/flush-handler.ts';
import { publishMetrics } from '../lib/metrics/publish.ts';

export async function handler(_event: ScheduledEvent, context?: Context): Promise<void> {
  const ctx = await lambdaFlushContext();
  try {
    await ctx.flusher.run(invocationDeadline(Date.now(), context?.getRemainingTimeInMillis()));
  } finally {
    publishMetrics(ctx.metrics, Date.now());
  }
}
