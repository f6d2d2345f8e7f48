// The DynamoDB cost and retry metrics every function records, from the store's observer hooks.

import type { DdbObserver } from '../store/ddb.ts';
import type { MetricsRecorder } from './recorder.ts';

/** WriteUnits / ReadUnits / DynamoRetries by operation. */
export function ddbMetricsObserver(metrics: MetricsRecorder): DdbObserver {
  return {
    consumed: (c, op) => {
      const dims = { operation: op };
      if (c.WriteCapacityUnits) metrics.add('WriteUnits', c.WriteCapacityUnits, 'Count', dims);
      if (c.ReadCapacityUnits) metrics.add('ReadUnits', c.ReadCapacityUnits, 'Count', dims);
      // on-demand tables (and the emulator) report only the total
      if (!c.WriteCapacityUnits && !c.ReadCapacityUnits && c.CapacityUnits) {
        metrics.add(op === 'getItem' || op === 'query' ? 'ReadUnits' : 'WriteUnits', c.CapacityUnits, 'Count', dims);
      }
    },
    retry: (op) => metrics.add('DynamoRetries', 1, 'Count', { operation: op }),
  };
}
