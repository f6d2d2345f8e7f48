// SeriesSender over remote write: one client per configured endpoint (plus REMOTE_WRITE_URL in
// local set-ups), every send goes to all of them, and the outcome lands in the metrics.

import { ConfigError } from '../config/errors.ts';
import { readEnv } from '../env/contract.ts';
import { remoteWriteUrlProblem } from '../config/remote-write.ts';
import type { GeneratorConfig } from '../config/types.ts';
import type { RemoteWriteEndpoint } from '../remote-write/endpoint.ts';
import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import { RemoteWriteClient, type RemoteWriteClientOptions, type SendResult } from '../remote-write/index.ts';
import { Relabeler, relabelSeries } from '../remote-write/relabel.ts';
import type { CollectedSeries } from '../series/collected.ts';
import type { SeriesSender } from './flusher.ts';

/**
 * Endpoints from the config, plus a plain one from REMOTE_WRITE_URL when set. Throws a ConfigError
 * naming REMOTE_WRITE_URL when it is not a usable URL or carries credentials.
 */
export function endpointsOf(config: GeneratorConfig, env: NodeJS.ProcessEnv = process.env): RemoteWriteEndpoint[] {
  const endpoints = [...config.remoteWrite];
  const url = readEnv(env, 'REMOTE_WRITE_URL');
  if (url !== undefined) {
    const problem = remoteWriteUrlProblem(
      url,
      'for an endpoint that needs credentials, configure it under metrics_generator.storage.remote_write with basic_auth',
    );
    if (problem !== undefined) throw new ConfigError('REMOTE_WRITE_URL', problem, 'the environment');
    endpoints.push({ url, name: 'REMOTE_WRITE_URL', headers: {}, remoteTimeoutMs: 30_000, maxSamplesPerSend: 2000 });
  }
  return endpoints;
}

/** One endpoint's relabeling over one send: the output label sets so far, and what it dropped. */
interface RelabelState {
  readonly seen: Set<string>;
  dropped: number;
  collided: number;
}

export class RemoteWriteSender implements SeriesSender {
  private readonly clients: RemoteWriteClient[];
  /** Per client: its endpoint's write_relabel_configs, when it has any. */
  private readonly relabelers: (Relabeler | undefined)[];
  /** Sees every send's outcome (the self-monitoring counters). */
  onResult?: (r: SendResult) => void;

  constructor(
    private readonly config: GeneratorConfig,
    endpoints: readonly RemoteWriteEndpoint[],
    private readonly metrics: MetricsRecorder,
    private readonly log: Logger,
    options: Partial<RemoteWriteClientOptions> = {},
  ) {
    this.clients = endpoints.map(
      (e) => new RemoteWriteClient(e, { addOrgIdHeader: config.remoteWriteAddOrgIdHeader, logger: log, ...options }),
    );
    this.relabelers = endpoints.map((e) =>
      e.writeRelabelConfigs?.length ? new Relabeler(e.writeRelabelConfigs) : undefined,
    );
  }

  get endpointCount(): number {
    return this.clients.length;
  }

  async send(tenant: string, series: readonly CollectedSeries[], deadlineMs: number): Promise<void> {
    await this.sendChunks(tenant, [series], deadlineMs);
  }

  /**
   * One send of a tenant's collection, pulled piece by piece: each piece goes to every endpoint
   * (endpoints in parallel) before the next is pulled, so about one piece is held at a time.
   * Results, metrics and logs are those of one send of all pieces.
   */
  async sendChunks(tenant: string, chunks: Iterable<readonly CollectedSeries[]>, deadlineMs: number): Promise<void> {
    const headers = this.config.tenant(tenant).remoteWriteHeaders;
    const sessions = this.clients.map((c) => c.open(tenant, { deadlineMs, tenantHeaders: headers }));
    const relabeling = this.clients.map(() => ({ seen: new Set<string>(), dropped: 0, collided: 0 }));
    for (const chunk of chunks) {
      await Promise.all(sessions.map((session, i) => session.add(this.relabeled(i, chunk, relabeling[i]))));
    }
    const results = await Promise.all(sessions.map((session) => session.finish()));
    for (const [i, r] of relabeling.entries()) this.recordRelabel(i, tenant, r);
    for (const r of results) {
      this.record(r);
      this.onResult?.(r);
    }
  }

  private relabeled(
    client: number,
    series: readonly CollectedSeries[],
    state: RelabelState,
  ): readonly CollectedSeries[] {
    const relabeler = this.relabelers[client];
    if (relabeler === undefined) return series;
    const { kept, dropped, collided } = relabelSeries(relabeler, series, state.seen);
    state.dropped += dropped;
    state.collided += collided;
    return kept;
  }

  private recordRelabel(client: number, tenant: string, { dropped, collided }: RelabelState): void {
    const dims = { tenant, endpoint: this.clients[client].name };
    if (dropped > 0) this.metrics.add('SeriesDroppedByRelabel', dropped, 'Count', dims);
    if (collided > 0) {
      this.metrics.add('SeriesDroppedInvalid', collided, 'Count', dims);
      this.log.warn('remote write: write_relabel_configs made series identical; only the first of each is sent', {
        ...dims,
        dropped: collided,
      });
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
