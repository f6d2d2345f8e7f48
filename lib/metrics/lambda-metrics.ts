// The metrics side of one Lambda invocation: Powertools' cold-start metric when it starts
// (ColdStart, Count, dimensions service and function_name; not on provisioned concurrency), the
// recorded metrics as EMF when it ends.

import { Metrics } from '@aws-lambda-powertools/metrics';
import { SERVICE_NAME } from '../log/lambda-logger.ts';
import type { Logger } from '../log/logger.ts';
import { METRICS_NAMESPACE } from './names.ts';
import { publishMetrics, stdoutLine } from './publish.ts';
import type { MetricsRecorder } from './recorder.ts';

export class LambdaMetrics {
  private readonly coldStart = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });

  constructor(private readonly log: Logger) {}

  /** At the start of each invocation; prints the cold-start metric on the container's first. */
  startInvocation(context: { readonly functionName: string } | undefined): void {
    this.coldStart.captureColdStartMetric(context?.functionName);
  }

  /** At the end of each invocation: everything recorded since the last, worth publishing. */
  publish(recorder: MetricsRecorder, nowMs: number): void {
    publishMetrics(recorder, nowMs, stdoutLine, this.log);
  }
}
