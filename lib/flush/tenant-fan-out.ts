// Sends many tenants' series at once through a bounded pool, so that a tenant whose receiver is
// slow or hangs holds one slot until its own deadline and no other tenant waits behind it. The
// order is least recently started first: a tenant that did not get a slot in one round (the pool
// was busy until the deadline) goes ahead of those that did in the next, so the same tenants are
// never always last. One tenant's failure is logged and counted; it never stops the others.

import type { Logger } from '../log/logger.ts';
import type { MetricsRecorder } from '../metrics/recorder.ts';
import { redactUrlsIn } from '../remote-write/redact.ts';
import type { CollectedSeries } from '../series/collected.ts';

/** Sends one tenant's series; resolves when done (see SeriesSender in flusher.ts). */
export interface TenantSender {
  send(tenant: string, series: readonly CollectedSeries[], deadlineMs: number): Promise<void>;
  /** The same send pulled piece by piece (each sent before the next is pulled), when supported. */
  sendChunks?(tenant: string, chunks: Iterable<readonly CollectedSeries[]>, deadlineMs: number): Promise<void>;
}

export interface TenantSend {
  readonly tenant: string;
  /**
   * The tenant's series in pieces, called when its send starts and rendered as pulled: only the
   * tenants in flight hold collected series, and with a sender that takes pieces, only about one
   * piece each. Empty pieces are not expected.
   */
  readonly chunks: () => Iterable<readonly CollectedSeries[]>;
  /** Epoch ms (on the fan-out's clock) after which this tenant's send is given up. */
  readonly deadlineMs: number;
}

export interface TenantFanOutDeps {
  readonly sender: TenantSender;
  readonly log: Logger;
  readonly metrics: MetricsRecorder;
  /** The clock the deadlines are on. */
  readonly clock: () => number;
}

/**
 * Tenants in flight at once. At 50 ms per request, 32 slots would send 1,000 tenants in 1.6 s of a
 * 15 s interval (on 2 cores the HTTP work itself, about 0.8 ms of CPU per request, is the limit); a
 * few hanging receivers still leave most of the slots to everyone else.
 */
export const DEFAULT_SEND_CONCURRENCY = 32;
/**
 * A send still running this long after its deadline frees its slot anyway (the remote-write
 * client stops at the deadline, so this only guards against a sender that does not).
 */
export const DEADLINE_GRACE_MS = 1_000;
/** Tenants named in the one warning about sends skipped in a round. */
const LOGGED_TENANTS = 10;

/**
 * The fan-out's own failures join the client's RemoteWriteFailures (so its alarm covers them), with
 * endpoint "all": a tenant that was never started, overran or threw failed on every endpoint.
 */
function failure(tenant: string, cls: 'no_slot' | 'overdue' | 'send_error'): Record<string, string> {
  return { tenant, endpoint: 'all', class: cls };
}

export class TenantFanOut {
  /** Round in which each tenant's send last started. */
  private readonly lastStarted = new Map<string, number>();
  private round = 0;

  constructor(
    private readonly deps: TenantFanOutDeps,
    private readonly concurrency = DEFAULT_SEND_CONCURRENCY,
  ) {
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new RangeError(`send concurrency must be a positive integer, got ${concurrency}`);
  }

  /** Sends every entry, at most `concurrency` at a time; resolves when all have ended. */
  async sendAll(sends: readonly TenantSend[]): Promise<void> {
    if (sends.length === 0) return;
    const round = ++this.round;
    const queue = this.fairOrder(sends);
    const skipped: string[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < queue.length) {
        const job = queue[next++];
        if (this.deps.clock() >= job.deadlineMs) {
          // The pool was busy until this tenant's deadline; it keeps its place at the front.
          skipped.push(job.tenant);
          continue;
        }
        this.lastStarted.set(job.tenant, round);
        await this.sendOne(job);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker));
    if (skipped.length > 0) {
      for (const tenant of skipped)
        this.deps.metrics.add('RemoteWriteFailures', 1, 'Count', failure(tenant, 'no_slot'));
      this.deps.log.warn('remote write: tenants got no send slot before their deadline; they go first next interval', {
        skipped: skipped.length,
        tenants: skipped.slice(0, LOGGED_TENANTS),
      });
    }
  }

  /** Never started first, then by the round of the last start; the caller's order breaks ties. */
  private fairOrder(sends: readonly TenantSend[]): TenantSend[] {
    const started = (t: string) => this.lastStarted.get(t) ?? 0;
    return sends
      .map((s, i) => ({ s, i, r: started(s.tenant) }))
      .sort((a, b) => a.r - b.r || a.i - b.i)
      .map((x) => x.s);
  }

  private async sendOne(job: TenantSend): Promise<void> {
    const { sender, log, metrics, clock } = this.deps;
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<'overdue'>((resolve) => {
      timer = setTimeout(() => resolve('overdue'), Math.max(0, job.deadlineMs - clock()) + DEADLINE_GRACE_MS);
    });
    let pieces: Generator<readonly CollectedSeries[]> | undefined;
    const sending = Promise.resolve()
      .then(() => {
        pieces = nonEmpty(job.chunks());
        const first = pieces.next();
        if (first.done === true) return undefined; // nothing to send: no request, no result
        if (sender.sendChunks !== undefined)
          return sender.sendChunks(job.tenant, (pieces = startingWith(first.value, pieces)), job.deadlineMs);
        return sender.send(job.tenant, [first.value, ...pieces].flat(), job.deadlineMs);
      })
      .then(
        () => 'done' as const,
        (err: unknown) => {
          metrics.add('RemoteWriteFailures', 1, 'Count', failure(job.tenant, 'send_error'));
          log.error('remote write: sending a tenant failed unexpectedly; other tenants go on', {
            tenant: job.tenant,
            error: redactUrlsIn(err instanceof Error ? err.message : String(err)),
          });
          return 'done' as const;
        },
      );
    try {
      if ((await Promise.race([sending, overdue])) === 'overdue') {
        // the collection is not pulled any further: a send that goes on in the background must not
        // render series while the flusher folds and collects them again
        pieces?.return(undefined);
        metrics.add('RemoteWriteFailures', 1, 'Count', failure(job.tenant, 'overdue'));
        log.warn('remote write: a tenant send ran past its deadline; its slot is given to the next tenant', {
          tenant: job.tenant,
        });
      }
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The non-empty pieces, as a generator that can be closed while paused between pieces. */
function* nonEmpty(chunks: Iterable<readonly CollectedSeries[]>): Generator<readonly CollectedSeries[]> {
  for (const chunk of chunks) if (chunk.length > 0) yield chunk;
}

/** `first`, then the rest of `rest` (closing this closes `rest`). */
function* startingWith(
  first: readonly CollectedSeries[],
  rest: Generator<readonly CollectedSeries[]>,
): Generator<readonly CollectedSeries[]> {
  yield first;
  yield* rest;
}
