// Lambda handler for the flush schedule (EventBridge, every minute, reserved concurrency 1). Thin:
// the work is in lib/flush.
import type { Context, ScheduledEvent } from 'aws-lambda';
import { invocationDeadline, lambdaFlushContext } from '../lib/flush/flush-handler.ts';
import { publishMetrics } from '../lib/metrics/publish.ts';

export async function handler(_event: ScheduledEvent, context?: Context): Promise<void> {
  const ctx = await lambdaFlushContext();
  const started = Date.now();
  try {
    await ctx.flusher.run(invocationDeadline(started, context?.getRemainingTimeInMillis()));
  } finally {
    ctx.metrics.add('FlushMilliseconds', Date.now() - started, 'Milliseconds');
    publishMetrics(ctx.metrics, Date.now());
  }
}
