// Record level of the two Kafka formats (Tempo: pkg/ingest/encoding.go; docs/architecture.md):
//  - push-bytes: key = tenant, value = tempopb.PushBytesRequest { traces = 2 (each a marshalled
//    tempopb.Trace), ids = 3, skipMetricsGeneration = 5 }.
//  - otlp: value = one TracesData / ExportTraceServiceRequest; tenant from a header or a default.
// A record that cannot be decoded throws BadRecordError with a reason; a single malformed trace
// inside a push-bytes record is skipped on its own, as Tempo does.

import type { Codec } from '../config/types.ts';
import type { KafkaRecord } from './kafka-record.ts';
import { tenantIdProblem } from '../tenant/tenant-id.ts';
import type { DecodedTrace, TraceDecoder } from './trace-decoder.ts';
import { Cursor, WireError, WIRE_LEN, WIRE_VARINT, expectWireType } from './wire.ts';
import { decodeUtf8 } from './utf8.ts';

export type BadRecordReason =
  | 'empty_value'
  | 'oversize_record'
  | 'malformed_protobuf'
  | 'malformed_trace'
  | 'missing_tenant'
  | 'invalid_tenant';

export class BadRecordError extends Error {
  constructor(
    readonly reason: BadRecordReason,
    message: string,
  ) {
    super(message);
    this.name = 'BadRecordError';
  }
}

export interface TenantSource {
  readonly codec: Codec;
  readonly tenantHeader: string;
  readonly defaultTenant: string;
}

/** The record's tenant: the key for push-bytes, the configured header (or default) for otlp. */
export function recordTenant(record: KafkaRecord, source: TenantSource): string {
  let tenant: string | undefined;
  if (source.codec === 'push-bytes') {
    if (record.key != null && record.key.length > 0) tenant = decodeUtf8(record.key, 0, record.key.length);
  } else {
    const wanted = source.tenantHeader.toLowerCase();
    const header = record.headers?.find((h) => h.key.toLowerCase() === wanted);
    if (header !== undefined && header.value.length > 0) tenant = decodeUtf8(header.value, 0, header.value.length);
    else if (source.defaultTenant !== '') tenant = source.defaultTenant;
  }
  if (tenant === undefined) {
    throw new BadRecordError(
      'missing_tenant',
      source.codec === 'push-bytes'
        ? 'record has no key (push-bytes records carry the tenant ID as the key)'
        : `record has no ${source.tenantHeader} header and no default_tenant is configured`,
    );
  }
  const problem = tenantIdProblem(tenant);
  if (problem !== undefined) throw new BadRecordError('invalid_tenant', problem);
  return tenant;
}

export type TraceVisit = (trace: DecodedTrace, skipMetricsGeneration: boolean) => void;

/** Outcome of one record: how many traces were read and skipped as malformed (with the first error). */
export interface RecordOutcome {
  traces: number;
  malformedTraces: number;
  firstError?: string;
}

/**
 * Decodes a record value and calls visit once per trace. For push-bytes the outer message is
 * validated (and the skip flag found, wherever it sits) before any trace is visited.
 */
export function decodeRecordValue(
  codec: Codec,
  value: Uint8Array,
  decoder: TraceDecoder,
  visit: TraceVisit,
  maxBytes: number,
): RecordOutcome {
  if (value.length === 0) throw new BadRecordError('empty_value', 'record value is empty');
  if (value.length > maxBytes) {
    throw new BadRecordError(
      'oversize_record',
      `record value is ${value.length} bytes, over the ${maxBytes}-byte limit`,
    );
  }
  const outcome: RecordOutcome = { traces: 0, malformedTraces: 0 };
  if (codec === 'otlp') {
    let trace: DecodedTrace;
    try {
      trace = decoder.decode(value);
    } catch (e) {
      throw asBadRecord(e, 'TracesData');
    }
    outcome.traces = 1;
    visit(trace, false);
    return outcome;
  }

  const traceStarts: number[] = [];
  const traceEnds: number[] = [];
  let skip = false;
  try {
    const c = new Cursor(value);
    while (c.more()) {
      const tag = c.uint32();
      const field = tag >>> 3;
      if (field === 2) {
        expectWireType(tag & 7, WIRE_LEN, 'PushBytesRequest.traces');
        const e = c.lenEnd();
        traceStarts.push(c.pos);
        traceEnds.push(e);
        c.pos = e;
      } else if (field === 5) {
        expectWireType(tag & 7, WIRE_VARINT, 'PushBytesRequest.skipMetricsGeneration');
        skip = c.uint32() !== 0;
      } else c.skip(tag & 7);
    }
  } catch (e) {
    throw asBadRecord(e, 'PushBytesRequest');
  }
  for (let t = 0; t < traceStarts.length; t++) {
    let trace: DecodedTrace;
    try {
      trace = decoder.decode(value, traceStarts[t], traceEnds[t]);
    } catch (e) {
      if (!(e instanceof WireError)) throw e;
      outcome.malformedTraces++;
      outcome.firstError ??= `trace ${t}: ${e.message}`;
      continue;
    }
    outcome.traces++;
    visit(trace, skip);
  }
  return outcome;
}

function asBadRecord(e: unknown, message: string): unknown {
  if (e instanceof WireError) return new BadRecordError('malformed_protobuf', `not a valid ${message}: ${e.message}`);
  return e;
}
