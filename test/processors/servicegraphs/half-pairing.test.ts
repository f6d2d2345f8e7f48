// The flusher's tier of service-graph pairing: halves handed over by ingest batches must pair into
// exactly the edges (and metrics) that one processor seeing every span would produce, whatever the
// batching and the order halves are folded in; halves too far apart or never matched expire as
// Tempo's onExpire does; the pending state survives a snapshot.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../../lib/config/index.ts';
import type { TenantConfig } from '../../../lib/config/types.ts';
import type { EdgeHalf } from '../../../lib/servicegraph-model/half.ts';
import { HalfPairing } from '../../../lib/processors/servicegraphs/half-pairing.ts';
import type { SeriesIncrement } from '../../../lib/series/types.ts';
import {
  type Attributes,
  BASE_NS,
  buildResourceSpans,
  encodeTracesData,
  type SpanSpec,
} from '../../../testing/build.ts';
import { randomInt, seededRng, type Rng } from '../../../testing/random-trace.ts';
import { TraceDecoder } from '../../../lib/decode/trace-decoder.ts';
import { IngestStats } from '../../../lib/pipeline/ingest-stats.ts';
import { ServiceGraphsProcessor } from '../../../lib/processors/servicegraphs/processor.ts';
import { REQUEST, SpanKind, StatusCode, T0_MS, key, summary } from './harness.ts';

function tenantConfig(serviceGraphs = ''): TenantConfig {
  return parseConfig(`
metrics_generator:
  processor:
    service_graphs:
      dimensions: [region]
      enable_messaging_system_latency_histogram: true
      enable_virtual_node_label: true
${serviceGraphs.replace(/^/gm, '      ')}
overrides:
  defaults:
    metrics_generator:
      processors: [service-graphs]
`).tenant('t');
}

/** One span of one service, pushed at a given time. */
interface TimedSpan {
  readonly service: string;
  readonly region: string;
  readonly span: SpanSpec;
  readonly atMs: number;
}

/** Durations in multiples of 1/512 s so float sums are exact in any order. */
const TICK_NS = 1_953_125n;

function randomWorkload(rng: Rng, requests: number): TimedSpan[] {
  const spans: TimedSpan[] = [];
  const services = ['web', 'api', 'db-svc', 'queue-worker'];
  const id = () => Array.from({ length: 8 }, () => randomInt(rng, 256).toString(16).padStart(2, '0')).join('');
  const trace = () => Array.from({ length: 16 }, () => randomInt(rng, 256).toString(16).padStart(2, '0')).join('');
  const timed = (service: string, span: SpanSpec): TimedSpan => ({
    service,
    region: ['eu', 'us', ''][randomInt(rng, 3)],
    span,
    atMs: 0,
  });
  for (let i = 0; i < requests; i++) {
    const traceId = trace();
    const start = BASE_NS + BigInt(randomInt(rng, 4096)) * TICK_NS;
    const end = start + BigInt(1 + randomInt(rng, 4096)) * TICK_NS;
    const status = { code: randomInt(rng, 4) === 0 ? StatusCode.STATUS_CODE_ERROR : StatusCode.STATUS_CODE_OK };
    const client = services[randomInt(rng, services.length)];
    const server = services[randomInt(rng, services.length)];
    const cid = id();
    const choice = randomInt(rng, 7);
    switch (choice) {
      case 0: // client and server
      case 1:
        spans.push(
          timed(client, { traceId, spanId: cid, kind: SpanKind.SPAN_KIND_CLIENT, startNs: start, endNs: end, status }),
        );
        spans.push(
          timed(server, {
            traceId,
            spanId: id(),
            parentSpanId: cid,
            kind: SpanKind.SPAN_KIND_SERVER,
            startNs: start + TICK_NS,
            endNs: end,
            status: { code: StatusCode.STATUS_CODE_OK },
          }),
        );
        break;
      case 2: // producer and consumer
        spans.push(
          timed(client, { traceId, spanId: cid, kind: SpanKind.SPAN_KIND_PRODUCER, startNs: start, endNs: end }),
        );
        spans.push(
          timed(server, {
            traceId,
            spanId: id(),
            parentSpanId: cid,
            kind: SpanKind.SPAN_KIND_CONSUMER,
            startNs: end + 3n * TICK_NS,
            endNs: end + 9n * TICK_NS,
            status,
          }),
        );
        break;
      case 3: // root server: a virtual "user" client
        spans.push(
          timed(server, {
            traceId,
            spanId: id(),
            kind: SpanKind.SPAN_KIND_SERVER,
            startNs: start,
            endNs: end,
            attributes: randomInt(rng, 2) === 0 ? { 'peer.service': 'browser' } : {},
          }),
        );
        break;
      case 4: // client to something uninstrumented that peer.service names
      case 5: {
        // or a database call: an edge on its own
        const attributes: Attributes =
          choice === 4 ? { 'peer.service': 'payments-gw' } : { 'db.name': 'orders', 'db.system': 'postgresql' };
        spans.push(
          timed(client, {
            traceId,
            spanId: cid,
            kind: SpanKind.SPAN_KIND_CLIENT,
            startNs: start,
            endNs: end,
            attributes,
          }),
        );
        break;
      }
      default: // a server whose client never reports: expires without metrics
        spans.push(
          timed(server, {
            traceId,
            spanId: id(),
            parentSpanId: id(),
            kind: SpanKind.SPAN_KIND_SERVER,
            startNs: start,
            endNs: end,
          }),
        );
    }
  }
  // shuffle (halves of one request may come in either order), then stamp arrival times
  for (let i = spans.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    [spans[i], spans[j]] = [spans[j], spans[i]];
  }
  return spans.map((s, i) => ({ ...s, atMs: T0_MS + i }));
}

class Tier {
  readonly processor: ServiceGraphsProcessor;
  nowMs = 0;
  private readonly decoder = new TraceDecoder();
  constructor(tenant: TenantConfig) {
    this.processor = new ServiceGraphsProcessor(tenant, new IngestStats(), { clock: () => this.nowMs });
  }
  push(s: TimedSpan): void {
    this.nowMs = s.atMs;
    const resource = { 'service.name': s.service, ...(s.region === '' ? {} : { region: s.region }) };
    this.processor.pushTrace(this.decoder.decode(encodeTracesData(buildResourceSpans({ resource, spans: [s.span] }))));
  }
}

function merged(...lists: SeriesIncrement[][]): Map<string, number> {
  const out = new Map<string, number>();
  for (const [k, v] of summary(lists.flat())) out.set(k, (out.get(k) ?? 0) + v);
  return out;
}

/** Series whose values differ: `key: actual != expected`. */
function differences(actual: Map<string, number>, expected: Map<string, number>): string[] {
  const out: string[] = [];
  for (const k of new Set([...actual.keys(), ...expected.keys()])) {
    const a = actual.get(k) ?? 0;
    const e = expected.get(k) ?? 0;
    if (a !== e) out.push(`${k}: ${a} != ${e}`);
  }
  return out.sort();
}

describe('pairing halves across batches', () => {
  for (const seed of [1, 2, 3, 4]) {
    test(`any split into batches and any fold order gives the one-processor result (seed ${seed})`, () => {
      const rng = seededRng(seed);
      const tenant = tenantConfig();
      const spans = randomWorkload(rng, 400);

      // one tier: every span through one processor, then everything expires (replay's end of input)
      const one = new Tier(tenant);
      for (const s of spans) one.push(s);
      const oneOut: SeriesIncrement[] = [];
      one.processor.expire(0, oneOut, true);

      // two tiers: spans scattered over batches (as partitions and invocations would)
      const batches = Array.from({ length: 2 + randomInt(rng, 6) }, () => new Tier(tenant));
      for (const s of spans) batches[randomInt(rng, batches.length)].push(s);
      const halves: EdgeHalf[] = [];
      const ingestOut: SeriesIncrement[] = [];
      for (const b of batches) {
        halves.push(...b.processor.takePending().halves);
        b.processor.drain(ingestOut);
      }
      // the flusher folds the batches' halves in an order unrelated to arrival
      for (let i = halves.length - 1; i > 0; i--) {
        const j = randomInt(rng, i + 1);
        [halves[i], halves[j]] = [halves[j], halves[i]];
      }
      const pairing = new HalfPairing(tenant, new IngestStats());
      const flushOut: SeriesIncrement[] = [];
      for (const h of halves) pairing.addHalf(h);
      pairing.drain(flushOut);
      pairing.expire(Number.MAX_SAFE_INTEGER);
      pairing.drain(flushOut);

      const expected = merged(oneOut);
      assert.ok(expected.size > 20, 'the workload makes many series');
      assert.deepEqual(differences(merged(ingestOut, flushOut), expected), []);
      assert.ok(halves.length > 50, `${halves.length} halves crossed batches`);
      assert.equal(pairing.pending, 0);
      // the expired counters agree too: servers whose client never came
      assert.deepEqual([...pairing.counters.expiredEdges], [...one.processor.counters.expiredEdges]);
    });
  }
});

function half(over: Partial<EdgeHalf>): EdgeHalf {
  return {
    key: new Uint8Array(24).fill(1),
    traceIdLength: 16,
    side: 0,
    arrivalMs: T0_MS,
    connectionType: 0,
    spanKind: SpanKind.SPAN_KIND_CLIENT,
    failed: false,
    clientService: '',
    serverService: '',
    clientLatencySec: 0.5,
    serverLatencySec: 0,
    clientEndHi: 0,
    clientEndLo: 0,
    serverStartHi: 0,
    serverStartLo: 0,
    dimensions: ['', ''],
    peerNode: '',
    multiplier: 1,
    ...over,
  };
}

const client = (over: Partial<EdgeHalf> = {}) =>
  half({ side: 0, clientService: 'web', spanKind: SpanKind.SPAN_KIND_CLIENT, ...over });
const server = (over: Partial<EdgeHalf> = {}) =>
  half({ side: 1, serverService: 'api', spanKind: SpanKind.SPAN_KIND_SERVER, serverLatencySec: 0.25, ...over });

function drained(p: HalfPairing): Map<string, number> {
  const out: SeriesIncrement[] = [];
  p.drain(out);
  return summary(out);
}

describe('halves that never meet', () => {
  test('halves more than `wait` apart do not pair: the client becomes a virtual-node edge, the server an expired edge', () => {
    const p = new HalfPairing(tenantConfig(), new IngestStats());
    p.addHalf(client({ peerNode: 'api-peer' }));
    p.addHalf(server({ arrivalMs: T0_MS + 10_000 })); // wait is 10 s: Tempo would have expired the client
    const m = drained(p);
    assert.equal(
      m.get(
        key(REQUEST, { client: 'web', server: 'api-peer', connection_type: 'virtual_node', virtual_node: 'server' }),
      ),
      1,
    );
    assert.equal(m.get(key(REQUEST, { client: 'web', server: 'api' })), undefined);
    assert.equal(p.pending, 1, 'the late server half waits for its own wait');
    p.expire(T0_MS + 19_499);
    assert.equal(p.pending, 1, 'not yet due: 10 s after its arrival in whole seconds');
    p.expire(T0_MS + 19_500);
    assert.equal(p.pending, 0);
    assert.equal(p.counters.expired('SPAN_KIND_SERVER'), 1);
    assert.equal(drained(p).size, 0, 'an expired server half with a parent makes no metrics');
  });

  test('halves just under `wait` apart pair, in either order', () => {
    for (const order of [0, 1]) {
      const p = new HalfPairing(tenantConfig(), new IngestStats());
      const halves = [client(), server({ arrivalMs: T0_MS + 9_400 })];
      if (order === 1) halves.reverse();
      for (const h of halves) p.addHalf(h);
      assert.equal(drained(p).get(key(REQUEST, { client: 'web', server: 'api' })), 1, `order ${order}`);
      assert.equal(p.pending, 0);
    }
  });

  test('max_items bounds the pending halves; the rest are dropped and counted', () => {
    const p = new HalfPairing(tenantConfig('max_items: 2'), new IngestStats());
    for (let i = 0; i < 3; i++) p.addHalf(client({ key: new Uint8Array(24).fill(i + 1) }));
    assert.equal(p.pending, 2);
    assert.equal(p.counters.droppedSpans, 1);
  });

  test('a dropped side (filtered span) drops its counterpart, whichever comes first', () => {
    const p = new HalfPairing(tenantConfig(), new IngestStats());
    p.addHalf(server());
    p.addDroppedSide({ key: new Uint8Array(24).fill(1), traceIdLength: 16, side: 0, arrivalMs: T0_MS });
    assert.equal(p.pending, 0);
    p.addDroppedSide({ key: new Uint8Array(24).fill(2), traceIdLength: 16, side: 0, arrivalMs: T0_MS });
    p.addHalf(server({ key: new Uint8Array(24).fill(2) }));
    assert.equal(p.pending, 0);
    assert.equal(p.counters.droppedEdges, 2);
    assert.equal(drained(p).size, 0);
  });

  test('pending halves and counters survive a snapshot (JSON, as the flusher saves it)', () => {
    const a = new HalfPairing(tenantConfig(), new IngestStats());
    a.addHalf(client({ failed: true, dimensions: ['eu', ''] }));
    a.addHalf(server({ key: new Uint8Array(24).fill(5), arrivalMs: T0_MS - 60_000 }));
    a.expire(T0_MS);
    const b = new HalfPairing(tenantConfig(), new IngestStats());
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    assert.equal(b.pending, 1);
    assert.equal(b.counters.expired('SPAN_KIND_SERVER'), 1);
    b.addHalf(server({ dimensions: ['us', ''] }));
    const m = drained(b);
    assert.equal(
      m.get(key(REQUEST, { client: 'web', server: 'api', client_region: 'eu', server_region: 'us' })),
      undefined,
      'no prefix configured',
    );
    assert.equal(m.get(key(REQUEST, { client: 'web', server: 'api', region: 'us' })), 1);
    assert.equal(
      m.get(key('traces_service_graph_request_failed_total', { client: 'web', server: 'api', region: 'us' })),
      1,
    );
  });
});
