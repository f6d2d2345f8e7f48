// Prints recorded metrics as CloudWatch EMF lines (CloudWatch picks them up from the function log).

import type { MetricsRecorder } from './recorder.ts';

export const METRICS_NAMESPACE = 'MskMetricsGenerator';

export function publishMetrics(metrics: MetricsRecorder, nowMs: number, write: (line: string) => void = (l) => console.log(l)): void {
  for (const line of metrics.drainEmf(METRICS_NAMESPACE, nowMs)) write(line);
}
