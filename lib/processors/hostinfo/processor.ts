// The host-info processor (Tempo: modules/generator/processor/hostinfo/processor.go): one info gauge
// per host that sent spans, named by the first
// configured host identifier a resource carries. Runs per ResourceSpans, spans or not, and ignores
// filter policies and multipliers.

import type { HostInfoConfig, TenantConfig } from '../../config/types.ts';
import { AnyValueRef, ANY_STRING } from '../../decode/any-value.ts';
import type { DecodedTrace } from '../../decode/trace-decoder.ts';
import type { ResourceView } from '../../decode/span-view.ts';
import { StringInterner } from '../../decode/utf8.ts';
import { buildLabels, type BuiltLabels } from '../../series/labels.ts';
import type { Labels, SeriesIncrement } from '../../series/types.ts';
import type { DiscardCounter, Processor } from '../processor.ts';

export const HOST_INFO = 'host-info';
export const HOST_ID_LABEL = 'grafana_host_id';
export const HOST_SOURCE_LABEL = 'host_source';
/** Interned strings kept across batches before the interner starts over. */
const MAX_INTERNED = 1 << 14;

export class HostInfoProcessor implements Processor {
  readonly name = HOST_INFO;
  private readonly cfg: HostInfoConfig;
  private readonly identifierKeys: Uint8Array[];
  private readonly strings = new StringInterner();
  private readonly value = new AnyValueRef();
  /** Label sets by `identifier index NUL host id`, kept across batches. */
  private readonly labelCache = new Map<string, BuiltLabels>();
  /** Hosts seen in this batch, first-seen order. */
  private batch = new Set<Labels>();

  constructor(
    private readonly tenant: TenantConfig,
    private readonly discards: DiscardCounter,
  ) {
    this.cfg = tenant.hostInfo!;
    const enc = new TextEncoder();
    this.identifierKeys = this.cfg.hostIdentifiers.map((k) => enc.encode(k));
  }

  pushTrace(trace: DecodedTrace): void {
    for (let r = 0; r < trace.resourceCount; r++) {
      const res = trace.resources[r];
      const found = this.findHost(res);
      if (found < 0) continue;
      const source = this.cfg.hostIdentifiers[found];
      const hostId = this.strings.get(res.attributes.buf, this.value.start, this.value.end);
      // Tempo requires both values; an empty identifier in the config can only match an empty key.
      if (source === '') continue;
      const key = found + '\u0000' + hostId;
      let built = this.labelCache.get(key);
      if (built === undefined) {
        if (this.labelCache.size >= MAX_INTERNED) this.labelCache.clear();
        built = buildLabels(
          [
            [HOST_ID_LABEL, hostId],
            [HOST_SOURCE_LABEL, source],
          ],
          this.tenant.registry,
        );
        this.labelCache.set(key, built);
      }
      if (!built.valid) {
        this.discards.discard('invalid_utf8', HOST_INFO, 1);
        continue;
      }
      this.batch.add(built.labels);
    }
  }

  /**
   * Index of the first identifier, in config order, that some resource attribute with that key
   * holds as a non-empty string (other value types do not count); its value is left in this.value.
   */
  private findHost(res: ResourceView): number {
    const attrs = res.attributes;
    if (attrs.count === 0) return -1;
    for (let k = 0; k < this.identifierKeys.length; k++) {
      const key = this.identifierKeys[k];
      for (let i = attrs.indexOf(key); i >= 0; i = attrs.indexOf(key, i + 1)) {
        const v = attrs.value(i, this.value);
        if (v.type === ANY_STRING && v.end > v.start) return k;
      }
    }
    return -1;
  }

  drain(out: SeriesIncrement[]): void {
    for (const labels of this.batch)
      out.push({ type: 'gauge', name: this.cfg.metricName, labels, value: 1, mode: 'set' });
    this.batch = new Set();
    this.strings.resetIfOver(MAX_INTERNED);
  }
}
