// Where the self-metrics' counters are saved: one item per epoch parity in the series table, so
// the item of the committed epoch is never the one being written. The flusher writes slot
// (e+1) % 2 before it commits epoch e+1; a load reads slot e % 2 and trusts it only if it names
// epoch e. A crash between the two writes therefore leaves the committed epoch's counters intact.
// A third item, `live`, holds the counters of sends as of the last self-metrics send: those count
// what a run did, not what the state holds, and must not go below a value already sent.

import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Ddb } from '../store/ddb.ts';
import type { SelfMetricsSnapshot } from './self-metrics.ts';

const PK = 'self-monitoring';
/** DynamoDB refuses items over 400 KB; past this the counters are not saved (and restart at zero). */
export const MAX_SAVED_BYTES = 350 * 1024;

export interface SavedSelfMetrics {
  readonly metrics: SelfMetricsSnapshot;
  /** Latest sample time rendered (ms). */
  readonly lastStampMs: number;
}

export class SelfMetricsStore {
  constructor(
    private readonly ddb: Ddb,
    private readonly table: string,
  ) {}

  async load(epoch: number): Promise<SavedSelfMetrics | undefined> {
    return this.read(slot(epoch), epoch);
  }

  /** Returns the bytes written, or undefined when the counters are too many to save. */
  save(epoch: number, saved: SavedSelfMetrics): Promise<number | undefined> {
    return this.write(slot(epoch), epoch, saved);
  }

  loadLive(): Promise<SavedSelfMetrics | undefined> {
    return this.read(LIVE, undefined);
  }

  saveLive(saved: SavedSelfMetrics): Promise<number | undefined> {
    return this.write(LIVE, 0, saved);
  }

  private async read(sk: string, epoch: number | undefined): Promise<SavedSelfMetrics | undefined> {
    const out = await this.ddb.getItem({
      TableName: this.table,
      Key: { pk: { S: PK }, sk: { S: sk } },
      ConsistentRead: true,
    });
    const item = out.Item;
    if (item === undefined || item.d?.B === undefined || (epoch !== undefined && Number(item.e?.N) !== epoch))
      return undefined;
    return JSON.parse(inflateRawSync(item.d.B).toString('utf8')) as SavedSelfMetrics;
  }

  private async write(sk: string, epoch: number, saved: SavedSelfMetrics): Promise<number | undefined> {
    const d = deflateRawSync(Buffer.from(JSON.stringify(saved), 'utf8'));
    if (d.length > MAX_SAVED_BYTES) return undefined;
    await this.ddb.putItem({
      TableName: this.table,
      Item: { pk: { S: PK }, sk: { S: sk }, e: { N: String(epoch) }, d: { B: d } },
    });
    return d.length;
  }
}

const LIVE = 'live';

function slot(epoch: number): string {
  return String(epoch % 2);
}
