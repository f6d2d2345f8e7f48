// The Logger of the Lambda functions, on Powertools for AWS Lambda's logger: one JSON line per
// event with the keys AWS users search by (level, timestamp, service, function_name,
// function_request_id, cold_start, xray_trace_id, correlation_id = the Lambda request id) and the
// lowest level printed from POWERTOOLS_LOG_LEVEL or Lambda's log-level control. lib/ keeps talking
// to the small Logger interface; local mode and the CLI keep the console logger (no invocation
// there to describe).

import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { LogFields, Logger } from './logger.ts';

/** The `service` key of every log line and of the cold-start metric. */
export const SERVICE_NAME = 'msk-metrics-generator';

/** Keys Powertools owns in every line; a field named so would be dropped, so it is renamed. */
const RESERVED = new Set(['level', 'message', 'timestamp', 'service', 'sampling_rate']);

/** The Lambda invocation context, as Powertools reads it (the handler passes its own). */
export type LambdaInvocation = Parameters<PowertoolsLogger['addContext']>[0];

export interface LambdaLogger extends Logger {
  /** Per invocation, before anything logs: the request id and function become keys of every line. */
  startInvocation(context: LambdaInvocation | undefined): void;
}

export function lambdaLogger(): LambdaLogger {
  const logger = new PowertoolsLogger({ serviceName: SERVICE_NAME });
  return {
    info: (message, fields) => logger.info(message, safeKeys(fields)),
    warn: (message, fields) => logger.warn(message, safeKeys(fields)),
    error: (message, fields) => logger.error(message, safeKeys(fields)),
    startInvocation(context) {
      // a new POWERTOOLS_LOGGER_SAMPLE_RATE draw per invocation, as Powertools' handler wrappers do
      logger.refreshSampleRateCalculation();
      if (context === undefined) return;
      logger.addContext(context);
      logger.setCorrelationId(context.awsRequestId);
    },
  };
}

/** The fields with any reserved key renamed to `<key>_field`, so no value is lost. */
function safeKeys(fields: LogFields | undefined): LogFields {
  if (fields === undefined) return {};
  if (!Object.keys(fields).some((k) => RESERVED.has(k))) return fields;
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [RESERVED.has(k) ? `${k}_field` : k, v]));
}
