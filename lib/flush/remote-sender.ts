// SeriesSender over remote write: one client per configured endpoint (plus REMOTE_WRITE_URL in
// local set-ups), every send goes to all of them, and the outcome lands in the metrics.

import { ConfigError } from '../config/errors.ts';
import { remoteWriteUrlProblem } from '../config/remote-write.ts';
import type { GeneratorConfig, RemoteWriteEndpoint } from '../config/types.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import { RemoteWriteClient, type RemoteWriteClientOptions, type SendResult } from '../remote-write/index.ts';
import type { CollectedSeries } from '../series/collected.ts';
import type { SeriesSender } from './flusher.ts';

/**
 * Endpoints from the config, plus a plain one from REMOTE_WRITE_URL when set. Throws a ConfigError
 * naming REMOTE_WRITE_URL when it is not a usable URL or carries credentials.
 */
export function endpointsOf(config: GeneratorConfig, env: NodeJS.ProcessEnv = process.env): RemoteWriteEndpoint[] {
  const endpoints = [...config.remoteWrite];
  const url = env.REMOTE_WRITE_URL;
  if (url !== undefined && url !== '') {
    const problem = remoteWriteUrlProblem(url, 'for an endpoint that needs credentials, configure it under metrics_generator.storage.remote_write with basic_auth');
    if (problem !== undefined) throw new ConfigError('REMOTE_WRITE_URL', problem, 'the environment');
    endpoints.push({ url, name: 'REMOTE_WRITE_URL', headers: {}, remoteTimeoutMs: 30_000, maxSamplesPerSend: 2000 });
  }
  return endpoints;
}

export class RemoteWriteSender implements SeriesSender {
  private readonly clients: RemoteWriteClient[];
  /** Sees every send's outcome (the self-monitoring counters). */
  onResult?: (r: SendResult) => void;

  constructor(
    private readonly config: GeneratorConfig,
    endpoints: readonly RemoteWriteEndpoint[],
    private readonly metrics: MetricsRecorder,
    log: Logger,
    options: Partial<RemoteWriteClientOptions> = {},
  ) {
    this.clients = endpoints.map((e) => new RemoteWriteClient(e, { addOrgIdHeader: config.remoteWriteAddOrgIdHeader, logger: log, ...options }));
  }

  get endpointCount(): number {
    return this.clients.length;
  }

  async send(tenant: string, series: readonly CollectedSeries[], deadlineMs: number): Promise<void> {
    const headers = this.config.tenant(tenant).remoteWriteHeaders;
    const results = await Promise.all(this.clients.map((c) => c.send(tenant, series, { deadlineMs, tenantHeaders: headers })));
    for (const r of results) {
      this.record(r);
      this.onResult?.(r);
    }
  }

  private record(r: SendResult): void {
    const dims = { tenant: r.tenant, endpoint: r.endpoint };
    const m = this.metrics;
    m.add('SamplesSent', r.delivered.samples + r.delivered.histograms, 'Count', dims);
    m.add('ExemplarsSent', r.delivered.exemplars, 'Count', dims);
    if (r.dropped.length > 0) m.add('SeriesDroppedInvalid', r.dropped.length, 'Count', dims);
    for (const req of r.requests) {
      if (req.retries > 0) m.add('RemoteWriteRetries', req.retries, 'Count', dims);
      if (!req.ok) {
        m.add('RemoteWriteFailures', 1, 'Count', { ...dims, class: req.failure ?? 'unknown' });
        m.add('SamplesFailed', req.samples + req.histograms, 'Count', dims);
      }
    }
  }
}
