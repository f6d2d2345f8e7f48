// The span-metrics processor (Tempo: modules/generator/processor/spanmetrics/spanmetrics.go): calls,
// latency histogram, size and target_info per span,
// pre-aggregated per batch. Per span it reads only the fields its labels need; series identity
// inside the batch is the tuple of label values, so label sets are built once per distinct tuple.

import type { SpanMetricsConfig, TenantConfig } from '../../config/types.ts';
import type { DecodedTrace } from '../../decode/trace-decoder.ts';
import type { AttributeList, ResourceView, SpanView } from '../../decode/span-view.ts';
import { AnyValueRef, ANY_STRING } from '../../decode/any-value.ts';
import { TupleTable } from '../tuple-table.ts';
import { spanKindName, statusCodeName } from '../../decode/span-view.ts';
import { StringInterner } from '../../decode/utf8.ts';
import type { Labels, SeriesIncrement } from '../../series/types.ts';
import { buildLabels, type BuiltLabels } from '../../series/labels.ts';
import { SpanFilter } from '../filter/span-filter.ts';
import { SpanMultiplier } from '../multiplier.ts';
import { internerFull } from '../interning.ts';
import type { DiscardCounter, Processor } from '../processor.ts';
import { HistogramAccumulator } from '../histogram-accumulator.ts';
import { INTRINSIC_NAMES, spanMetricsLabelNames, targetInfoLabelName } from './labels.ts';

export const METRIC_CALLS = 'traces_spanmetrics_calls_total';
export const METRIC_LATENCY = 'traces_spanmetrics_latency';
export const METRIC_SIZE = 'traces_spanmetrics_size_total';
export const METRIC_TARGET_INFO = 'traces_target_info';
const NAME = 'span-metrics';
const SEP = '\u0000';

interface TargetInfo {
  readonly kind: 'target_info';
  readonly labels: Labels;
}

/** Per distinct label-value tuple in the current batch. */
interface Entry {
  readonly kind: 'entry';
  labels: Labels;
  valid: boolean;
  calls: number;
  size: number;
  latency: HistogramAccumulator | undefined;
}

// What a tuple slot holds: an interned string id, or the raw kind / status code number.
const SLOT_STRING = 0;
const SLOT_KIND = 1;
const SLOT_STATUS = 2;

export class SpanMetricsProcessor implements Processor {
  readonly name = NAME;
  private readonly cfg: SpanMetricsConfig;
  /** Label name per tuple slot (job and instance last, when target info is on). */
  private readonly labelNames: string[];
  private readonly slotTypes: number[];
  private readonly dimensionKeys: Uint8Array[];
  private readonly mappingKeys: Uint8Array[][];
  private readonly filter: SpanFilter;
  private readonly multiplier: SpanMultiplier;
  private readonly strings = new StringInterner();
  private readonly value = new AnyValueRef();
  /** The label-value tuple of the current span. */
  private readonly tuple: Int32Array;
  private readonly entries: TupleTable<Entry>;
  /** Label sets by tuple, kept across batches while the interned ids stay valid. */
  private labelCache: TupleTable<BuiltLabels>;
  private targetInfo = new Map<string, Labels>();
  /**
   * Series in first-seen order, span metrics and target_info interleaved as Tempo registers them,
   * so max_active_series admits the same series Tempo would.
   */
  private order: (Entry | TargetInfo)[] = [];
  // per-resource values, computed once per ResourceSpans
  private serviceId = 0;
  private jobId = 0;
  private instanceId = 0;
  /** Resource value id per dimension, or -1 to look in the span. */
  private readonly resourceDims: Int32Array;

  constructor(
    private readonly tenant: TenantConfig,
    private readonly discards: DiscardCounter,
  ) {
    const cfg = (this.cfg = tenant.spanMetrics!);
    this.labelNames = spanMetricsLabelNames(cfg);
    this.slotTypes = [];
    for (const n of INTRINSIC_NAMES) {
      if (cfg.intrinsicDimensions[n])
        this.slotTypes.push(n === 'span_kind' ? SLOT_KIND : n === 'status_code' ? SLOT_STATUS : SLOT_STRING);
    }
    while (this.slotTypes.length < this.labelNames.length) this.slotTypes.push(SLOT_STRING);
    if (cfg.enableTargetInfo) {
      this.labelNames.push('job', 'instance');
      this.slotTypes.push(SLOT_STRING, SLOT_STRING);
    }
    const enc = new TextEncoder();
    this.dimensionKeys = cfg.dimensions.map((d) => enc.encode(d));
    this.mappingKeys = cfg.dimensionMappings.map((m) => m.sourceLabels.map((s) => enc.encode(s)));
    this.filter = new SpanFilter(cfg.filterPolicies);
    this.multiplier = new SpanMultiplier(cfg.spanMultiplierKey, cfg.enableTracestateSpanMultiplier);
    this.tuple = new Int32Array(this.labelNames.length);
    this.entries = new TupleTable(this.labelNames.length);
    this.labelCache = new TupleTable(this.labelNames.length);
    this.resourceDims = new Int32Array(this.dimensionKeys.length);
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
    const strings = this.strings;
    this.serviceId = strings.idOf(res.serviceName);
    this.jobId = strings.idOf(jobOf(res));
    this.instanceId = strings.idOf(this.cfg.enableInstanceLabel ? res.serviceInstanceId : '');
    const attrs = res.attributes;
    for (let d = 0; d < this.dimensionKeys.length; d++) {
      const i = attrs.indexOf(this.dimensionKeys[d]);
      this.resourceDims[d] = i >= 0 ? this.attributeId(attrs, i) : -1;
    }
  }

  /** Id of attribute i's label value; string values are interned straight from their bytes. */
  private attributeId(attrs: AttributeList, i: number): number {
    const v = attrs.value(i, this.value);
    if (v.type === ANY_STRING) return this.strings.id(attrs.buf, v.start, v.end);
    return this.strings.idOf(attrs.stringValue(i, this.strings));
  }

  /** Adds one span; false when its label set is not valid UTF-8 (span dropped and counted). */
  private aggregate(res: ResourceView, span: SpanView): boolean {
    const cfg = this.cfg;
    const strings = this.strings;
    const tuple = this.tuple;
    let n = 0;
    const intrinsic = cfg.intrinsicDimensions;
    if (intrinsic.service) tuple[n++] = this.serviceId;
    if (intrinsic.span_name) tuple[n++] = strings.id(span.buf, span.nameStart, span.nameEnd);
    if (intrinsic.span_kind) tuple[n++] = span.kind;
    if (intrinsic.status_code) tuple[n++] = span.statusCode;
    if (intrinsic.status_message) tuple[n++] = strings.id(span.buf, span.statusMessageStart, span.statusMessageEnd);
    for (let d = 0; d < this.dimensionKeys.length; d++) {
      let id = this.resourceDims[d];
      if (id < 0) {
        const i = span.attributes.indexOf(this.dimensionKeys[d]);
        id = i >= 0 ? this.attributeId(span.attributes, i) : strings.idOf('');
      }
      tuple[n++] = id;
    }
    for (let m = 0; m < this.mappingKeys.length; m++) tuple[n++] = strings.idOf(this.mappingValue(res, span, m));
    if (cfg.enableTargetInfo) {
      tuple[n++] = this.jobId;
      tuple[n++] = this.instanceId;
    }

    let entry = this.entries.get(tuple);
    if (entry === undefined) {
      entry = this.newEntry();
      this.entries.add(tuple, entry);
      this.order.push(entry);
    }
    if (!entry.valid) {
      this.discards.discard('invalid_utf8', NAME, 1);
      return false;
    }
    const m = this.multiplier.constant ? 1 : this.multiplier.of(span, res, strings);
    entry.calls += m;
    entry.size += span.size;
    if (entry.latency !== undefined)
      entry.latency.observe(span.durationSeconds(), m, span.buf, span.traceIdStart, span.traceIdEnd);
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

  /** The entry of the current tuple, new in this batch; its label set is built once per tuple. */
  private newEntry(): Entry {
    let built = this.labelCache.get(this.tuple);
    if (built === undefined) {
      const pairs: [string, string][] = [];
      for (let i = 0; i < this.labelNames.length; i++) {
        const v = this.tuple[i];
        const t = this.slotTypes[i];
        pairs.push([
          this.labelNames[i],
          t === SLOT_KIND ? spanKindName(v) : t === SLOT_STATUS ? statusCodeName(v) : this.strings.string(v),
        ]);
      }
      built = buildLabels(pairs, this.tenant.registry);
      this.labelCache.add(this.tuple, built);
    }
    const { labels, valid } = built;
    return {
      kind: 'entry',
      labels,
      valid,
      calls: 0,
      size: 0,
      latency: this.cfg.subprocessors.latency
        ? new HistogramAccumulator(this.cfg.histogramBuckets, this.tenant.histogramMode, this.tenant.nativeHistogram)
        : undefined,
    };
  }

  /** target_info for a resource (Tempo's buildAndSetTargetInfoLabels); false when its labels are not valid UTF-8. */
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
    if (!valid) return false;
    if (identifying > 0 && labels.length > identifying) {
      const key = labels.map((l) => l.name + SEP + l.value).join(SEP);
      if (!this.targetInfo.has(key)) {
        this.targetInfo.set(key, labels);
        this.order.push({ kind: 'target_info', labels });
      }
    }
    return true;
  }

  drain(out: SeriesIncrement[]): void {
    const sub = this.cfg.subprocessors;
    for (const e of this.order) {
      if (e.kind === 'target_info') {
        out.push({ type: 'gauge', name: METRIC_TARGET_INFO, labels: e.labels, value: 1, mode: 'setIfAbsent' });
        continue;
      }
      if (!e.valid || (e.calls === 0 && e.size === 0 && (e.latency === undefined || e.latency.empty))) continue;
      if (sub.count) out.push({ type: 'counter', name: METRIC_CALLS, labels: e.labels, value: e.calls });
      if (e.latency !== undefined) out.push(e.latency.toIncrement(METRIC_LATENCY, e.labels));
      if (sub.size) out.push({ type: 'counter', name: METRIC_SIZE, labels: e.labels, value: e.size });
    }
    this.entries.clear();
    this.targetInfo = new Map();
    this.order = [];
    if (internerFull(this.strings, this.labelCache.size)) this.labelCache.clear();
  }
}

/** `<service.namespace>/<service.name>`, or the service name alone; '' without a service name. */
function jobOf(res: ResourceView): string {
  if (res.serviceName === '') return '';
  return res.serviceNamespace === '' ? res.serviceName : res.serviceNamespace + '/' + res.serviceName;
}
