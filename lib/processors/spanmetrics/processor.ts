// The span-metrics processor (spec 2): calls, latency histogram, size and target_info per span,
// pre-aggregated per batch. Per span it reads only the fields its labels need; series identity
// inside the batch is the tuple of label values, so label sets are built once per distinct tuple.

import type { SpanMetricsConfig, TenantConfig } from '../../config/types.ts';
import type { DecodedTrace } from '../../decode/trace-decoder.ts';
import type { ResourceView, SpanView } from '../../decode/span-view.ts';
import { spanKindName, statusCodeName } from '../../decode/span-view.ts';
import { StringInterner, isWellFormedLabelValue } from '../../decode/utf8.ts';
import type { Labels, SeriesIncrement } from '../../series/types.ts';
import { buildLabels } from '../../series/labels.ts';
import { SpanFilter } from '../filter/span-filter.ts';
import { SpanMultiplier } from '../multiplier.ts';
import type { DiscardCounter, Processor } from '../processor.ts';
import { HistogramAccumulator } from '../histogram-accumulator.ts';
import { spanMetricsLabelNames, targetInfoLabelName } from './labels.ts';

export const METRIC_CALLS = 'traces_spanmetrics_calls_total';
export const METRIC_LATENCY = 'traces_spanmetrics_latency';
export const METRIC_SIZE = 'traces_spanmetrics_size_total';
export const METRIC_TARGET_INFO = 'traces_target_info';
const NAME = 'span-metrics';
const SEP = '\u0000';

/** Per distinct label-value tuple in the current batch. */
interface Entry {
  readonly kind: 'entry';
  labels: Labels;
  valid: boolean;
  calls: number;
  size: number;
  latency: HistogramAccumulator | undefined;
}

export class SpanMetricsProcessor implements Processor {
  readonly name = NAME;
  private readonly cfg: SpanMetricsConfig;
  private readonly labelNames: string[];
  private readonly dimensionKeys: Uint8Array[];
  private readonly mappingKeys: Uint8Array[][];
  private readonly filter: SpanFilter;
  private readonly multiplier: SpanMultiplier;
  private readonly strings = new StringInterner();
  private readonly values: string[];
  private entries = new Map<string, Entry>();
  private targetInfo = new Map<string, Labels>();
  /**
   * Series in first-seen order, span metrics and target_info interleaved as Tempo registers them,
   * so max_active_series admits the same series Tempo would.
   */
  private order: (Entry | Labels)[] = [];
  /** Resource-level values per dimension for the current resource (undefined = look in span). */
  private readonly resourceDims: (string | undefined)[];

  constructor(
    private readonly tenant: TenantConfig,
    private readonly discards: DiscardCounter,
  ) {
    this.cfg = tenant.spanMetrics!;
    this.labelNames = spanMetricsLabelNames(this.cfg);
    const enc = new TextEncoder();
    this.dimensionKeys = this.cfg.dimensions.map((d) => enc.encode(d));
    this.mappingKeys = this.cfg.dimensionMappings.map((m) => m.sourceLabels.map((s) => enc.encode(s)));
    this.filter = new SpanFilter(this.cfg.filterPolicies);
    this.multiplier = new SpanMultiplier(this.cfg.spanMultiplierKey, this.cfg.enableTracestateSpanMultiplier);
    this.values = new Array(this.labelNames.length + 2).fill('');
    this.resourceDims = new Array(this.dimensionKeys.length);
  }

  pushTrace(trace: DecodedTrace): void {
    for (let r = 0; r < trace.resourceCount; r++) {
      const res = trace.resources[r];
      if (res.spanCount === 0) continue;
      this.prepareResource(res);
      let targetInfoDone = !this.cfg.enableTargetInfo;
      let targetInfoValid = true;
      for (let i = res.firstSpan, end = res.firstSpan + res.spanCount; i < end; i++) {
        const span = trace.spans[i];
        if (!this.filter.keep(res, span, this.strings)) {
          this.discards.discard('span_metrics_filtered', NAME, 1);
          continue;
        }
        if (!this.aggregate(res, span)) continue;
        if (!targetInfoDone) {
          targetInfoValid = this.addTargetInfo(res);
          targetInfoDone = true;
        }
        // Tempo counts one invalid_utf8 discard per span that reached an invalid target_info.
        if (!targetInfoValid) this.discards.discard('invalid_utf8', NAME, 1);
      }
    }
  }

  private prepareResource(res: ResourceView): void {
    const attrs = res.attributes;
    for (let d = 0; d < this.dimensionKeys.length; d++) {
      const i = attrs.indexOf(this.dimensionKeys[d]);
      this.resourceDims[d] = i >= 0 ? attrs.stringValue(i, this.strings) : undefined;
    }
  }

  /** Adds one span; false when its label set is not valid UTF-8 (span dropped and counted). */
  private aggregate(res: ResourceView, span: SpanView): boolean {
    const cfg = this.cfg;
    const strings = this.strings;
    const values = this.values;
    let n = 0;
    const intrinsic = cfg.intrinsicDimensions;
    if (intrinsic.service) values[n++] = res.serviceName;
    if (intrinsic.span_name) values[n++] = span.name(strings);
    if (intrinsic.span_kind) values[n++] = spanKindName(span.kind);
    if (intrinsic.status_code) values[n++] = statusCodeName(span.statusCode);
    if (intrinsic.status_message) values[n++] = span.statusMessage(strings);
    for (let d = 0; d < this.dimensionKeys.length; d++) {
      let v = this.resourceDims[d];
      if (v === undefined) {
        const i = span.attributes.indexOf(this.dimensionKeys[d]);
        v = i >= 0 ? span.attributes.stringValue(i, strings) : '';
      }
      values[n++] = v;
    }
    for (let m = 0; m < this.mappingKeys.length; m++) values[n++] = this.mappingValue(res, span, m);
    let key = values[0] ?? '';
    for (let i = 1; i < n; i++) key += SEP + values[i];
    if (cfg.enableTargetInfo) {
      // job and instance depend only on the resource, but they are part of the series identity
      key += SEP + jobOf(res) + SEP + (cfg.enableInstanceLabel ? res.serviceInstanceId : '');
    }

    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = this.newEntry(res, n);
      this.entries.set(key, entry);
      this.order.push(entry);
    }
    if (!entry.valid) {
      this.discards.discard('invalid_utf8', NAME, 1);
      return false;
    }
    const m = this.multiplier.constant ? 1 : this.multiplier.of(span, res, strings);
    entry.calls += m;
    entry.size += span.size;
    if (entry.latency !== undefined) entry.latency.observe(span.durationSeconds(), m, span.buf, span.traceIdStart, span.traceIdEnd);
    return true;
  }

  private mappingValue(res: ResourceView, span: SpanView, m: number): string {
    const mapping = this.cfg.dimensionMappings[m];
    let joined = '';
    for (const key of this.mappingKeys[m]) {
      let i = res.attributes.indexOf(key);
      let v = '';
      if (i >= 0) v = res.attributes.stringValue(i, this.strings);
      else if ((i = span.attributes.indexOf(key)) >= 0) v = span.attributes.stringValue(i, this.strings);
      if (v !== '') joined = joined === '' ? v : joined + mapping.join + v;
    }
    return joined;
  }

  private newEntry(res: ResourceView, n: number): Entry {
    const pairs: [string, string][] = [];
    for (let i = 0; i < n; i++) pairs.push([this.labelNames[i], this.values[i]]);
    if (this.cfg.enableTargetInfo) {
      const job = jobOf(res);
      if (job !== '') pairs.push(['job', job]);
      if (this.cfg.enableInstanceLabel && res.serviceInstanceId !== '') pairs.push(['instance', res.serviceInstanceId]);
    }
    const { labels, valid } = buildLabels(pairs, this.tenant.registry);
    const sub = this.cfg.subprocessors;
    return {
      kind: 'entry',
      labels,
      valid,
      calls: 0,
      size: 0,
      latency: sub.latency
        ? new HistogramAccumulator(this.cfg.histogramBuckets, this.tenant.histogramMode, this.tenant.nativeHistogram)
        : undefined,
    };
  }

  /** target_info for a resource (spec 2.5); false when its labels are not valid UTF-8. */
  private addTargetInfo(res: ResourceView): boolean {
    const excluded = this.cfg.targetInfoExcludedDimensions;
    const attrs = res.attributes;
    const pairs: [string, string][] = [];
    for (let i = 0; i < attrs.count; i++) {
      const key = attrs.key(i, this.strings);
      if (key === '' || (key.charCodeAt(0) >= 48 && key.charCodeAt(0) <= 57)) continue;
      if (key === 'service.name' || key === 'service.namespace' || key === 'service.instance.id') continue;
      if (excluded.includes(key)) continue;
      pairs.push([targetInfoLabelName(key), attrs.stringValue(i, this.strings)]);
    }
    let identifying = 0;
    const job = jobOf(res);
    if (job !== '') {
      pairs.push(['job', job]);
      identifying++;
    }
    if (res.serviceInstanceId !== '' && this.cfg.enableInstanceLabel) {
      pairs.push(['instance', res.serviceInstanceId]);
      identifying++;
    }
    const { labels, valid } = buildLabels(pairs, this.tenant.registry);
    if (!valid || !labels.every((l) => isWellFormedLabelValue(l.name))) return false;
    if (identifying > 0 && labels.length > identifying) {
      const key = labels.map((l) => l.name + SEP + l.value).join(SEP);
      if (!this.targetInfo.has(key)) {
        this.targetInfo.set(key, labels);
        this.order.push(labels);
      }
    }
    return true;
  }

  drain(out: SeriesIncrement[]): void {
    const sub = this.cfg.subprocessors;
    for (const e of this.order) {
      if (Array.isArray(e)) {
        out.push({ type: 'gauge', name: METRIC_TARGET_INFO, labels: e, value: 1, mode: 'setIfAbsent' });
        continue;
      }
      if (!e.valid || (e.calls === 0 && e.size === 0 && (e.latency === undefined || e.latency.empty))) continue;
      if (sub.count) out.push({ type: 'counter', name: METRIC_CALLS, labels: e.labels, value: e.calls });
      if (e.latency !== undefined) out.push(e.latency.toIncrement(METRIC_LATENCY, e.labels));
      if (sub.size) out.push({ type: 'counter', name: METRIC_SIZE, labels: e.labels, value: e.size });
    }
    this.entries = new Map();
    this.targetInfo = new Map();
    this.order = [];
  }
}

/** `<service.namespace>/<service.name>`, or the service name alone; '' without a service name. */
function jobOf(res: ResourceView): string {
  if (res.serviceName === '') return '';
  return res.serviceNamespace === '' ? res.serviceName : res.serviceNamespace + '/' + res.serviceName;
}
