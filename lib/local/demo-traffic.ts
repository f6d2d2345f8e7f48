// Built-in demo traffic for local mode: a small shop (frontend -> checkout -> payments, a
// database, a message queue) with a few errors, so the first run shows span metrics,
// service-graph edges and host info without any instrumented app.

import { randomBytes } from 'node:crypto';
import { Trace, toLong, type ResourceSpansProperties, type SpanProperties } from '../proto/index.ts';

type Attr = [string, string | number];

interface Call {
  readonly service: string;
  readonly name: string;
  readonly kind: number;
  readonly ms: number;
  readonly error?: boolean;
  readonly attrs?: Attr[];
  readonly children?: Call[];
}

const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

/** One request through the shop; `fail` makes the payment call fail. */
function shopRequest(fail: boolean): Call {
  const pay: Call = {
    service: 'checkout',
    name: 'POST /pay',
    kind: CLIENT,
    ms: 40,
    error: fail,
    children: [{ service: 'payments', name: 'POST /pay', kind: SERVER, ms: 35, error: fail }],
  };
  return {
    service: 'frontend',
    name: 'GET /cart',
    kind: SERVER,
    ms: 120,
    attrs: [['http.method', 'GET']],
    children: [
      {
        service: 'frontend',
        name: 'POST /checkout',
        kind: CLIENT,
        ms: 90,
        children: [
          {
            service: 'checkout',
            name: 'POST /checkout',
            kind: SERVER,
            ms: 85,
            error: fail,
            children: [
              {
                service: 'checkout',
                name: 'SELECT cart',
                kind: CLIENT,
                ms: 8,
                attrs: [
                  ['db.system', 'postgresql'],
                  ['db.name', 'shop'],
                ],
              },
              pay,
              {
                service: 'checkout',
                name: 'orders publish',
                kind: PRODUCER,
                ms: 2,
                attrs: [['messaging.system', 'kafka']],
                children: [{ service: 'shipping', name: 'orders process', kind: CONSUMER, ms: 15 }],
              },
            ],
          },
        ],
      },
    ],
  };
}

const HOSTS: Record<string, string> = {
  frontend: 'node-a',
  checkout: 'node-a',
  payments: 'node-b',
  shipping: 'node-b',
};

/** Encoded tempopb.Trace messages for `count` requests ending around nowMs (about 1 in 8 failing). */
export function demoTraces(count: number, nowMs: number): { traceId: string; trace: Uint8Array }[] {
  const out: { traceId: string; trace: Uint8Array }[] = [];
  for (let i = 0; i < count; i++) {
    const traceId = randomBytes(16);
    const byService = new Map<string, SpanProperties[]>();
    const endNs = BigInt(nowMs) * 1_000_000n;
    const add = (call: Call, parent: Uint8Array | undefined, startNs: bigint): void => {
      const spanId = randomBytes(8);
      const jitter = BigInt(Math.floor(Math.random() * call.ms * 300_000));
      const span: SpanProperties = {
        traceId,
        spanId,
        name: call.name,
        kind: call.kind,
        startTimeUnixNano: toLong(startNs, true),
        endTimeUnixNano: toLong(startNs + BigInt(call.ms) * 1_000_000n + jitter, true),
        attributes: (call.attrs ?? []).map(([key, v]) => ({
          key,
          value: typeof v === 'string' ? { stringValue: v } : { doubleValue: v },
        })),
        status: { code: call.error ? 2 : 0 },
      };
      if (parent !== undefined) span.parentSpanId = parent;
      let list = byService.get(call.service);
      if (list === undefined) byService.set(call.service, (list = []));
      list.push(span);
      for (const child of call.children ?? []) add(child, spanId, startNs + 1_000_000n);
    };
    add(shopRequest(Math.random() < 0.125), undefined, endNs - 150_000_000n);
    const resourceSpans: ResourceSpansProperties[] = [...byService].map(([service, spans]) => ({
      resource: {
        attributes: [
          { key: 'service.name', value: { stringValue: service } },
          { key: 'k8s.node.name', value: { stringValue: HOSTS[service] } },
        ],
      },
      scopeSpans: [{ scope: { name: 'demo' }, spans }],
    }));
    out.push({ traceId: traceId.toString('hex'), trace: Trace.encode({ resourceSpans }).finish() });
  }
  return out;
}
