// End to end through local mode with a real client and a real backend: three services
// instrumented with the OpenTelemetry JS SDK export a known workload over OTLP/HTTP (protobuf) to
// local mode's receiver; local mode runs the real ingest and flush code and remote-writes to a real
// Prometheus; PromQL must return the exact span-metric call counts and service-graph edges.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { LocalMode } from '../../lib/local/local-mode.ts';
import { prometheusSkipReason, startPrometheus, type PrometheusInstance } from '../helpers/prometheus.ts';
import { startTestLocalMode } from '../helpers/local-mode.ts';

const skip = prometheusSkipReason();

const ITERATIONS = 30;
/** Every FAIL_EVERY-th request fails in db-svc, and api's call to it fails with it. */
const FAIL_EVERY = 5;
const FAILED = ITERATIONS / FAIL_EVERY;

/** One request: frontend -> api -> db-svc -> database "inventory", one span per hop and side. */
function request(tracers: Record<'frontend' | 'api' | 'dbSvc', Tracer>, fail: boolean): void {
  const inChild = <T>(span: ReturnType<Tracer['startSpan']>, fn: () => T): T =>
    context.with(trace.setSpan(context.active(), span), fn);
  const root = tracers.frontend.startSpan('GET /checkout', {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': 'GET' },
  });
  inChild(root, () => {
    const call = tracers.frontend.startSpan('POST /orders', { kind: SpanKind.CLIENT });
    inChild(call, () => {
      // another service (another TracerProvider) picks the caller's context up, as it would from
      // a traceparent header
      const apiServer = tracers.api.startSpan('POST /orders', { kind: SpanKind.SERVER });
      inChild(apiServer, () => {
        const stockCall = tracers.api.startSpan('GET /stock', { kind: SpanKind.CLIENT });
        inChild(stockCall, () => {
          const stock = tracers.dbSvc.startSpan('GET /stock', { kind: SpanKind.SERVER });
          inChild(stock, () => {
            const query = tracers.dbSvc.startSpan('SELECT stock', {
              kind: SpanKind.CLIENT,
              attributes: { 'db.system': 'postgresql', 'db.name': 'inventory' },
            });
            query.end();
          });
          if (fail) stock.setStatus({ code: SpanStatusCode.ERROR, message: 'out of stock service' });
          stock.end();
        });
        if (fail) stockCall.setStatus({ code: SpanStatusCode.ERROR });
        stockCall.end();
      });
      apiServer.end();
    });
    call.end();
  });
  root.end();
}

describe('OpenTelemetry SDK -> local mode -> Prometheus', { skip }, () => {
  let prom: PrometheusInstance;
  let local: LocalMode | undefined;
  let providers: NodeTracerProvider[] = [];

  before(async () => {
    prom = await startPrometheus();
  });
  after(async () => {
    await Promise.all(providers.map((p) => p.shutdown()));
    await local?.stop();
    await prom?.stop();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  test('exact call counts and service-graph edges read back with PromQL', async () => {
    local = await startTestLocalMode({
      partitions: 4,
      // Short batches: each provider's export lands in its own ingest batch, so client and server
      // spans pair in the flusher, across batches.
      topic: 'local-traces',
      env: { REMOTE_WRITE_URL: prom.writeUrl },
    });
    const url = `http://127.0.0.1:${local.port}/v1/traces`;
    const provider = (service: string) =>
      new NodeTracerProvider({
        resource: resourceFromAttributes({ 'service.name': service }),
        // one export per provider at forceFlush, whatever the span count
        spanProcessors: [
          new BatchSpanProcessor(new OTLPTraceExporter({ url }), {
            maxExportBatchSize: 10_000,
            maxQueueSize: 10_000,
            scheduledDelayMillis: 600_000,
          }),
        ],
      });
    providers = [provider('frontend'), provider('api'), provider('db-svc')];
    // The global context manager (AsyncLocalStorage) makes context.with() carry parents; one
    // registration serves all three providers, a second would be refused as a duplicate.
    providers[0].register();
    const [frontend, api, dbSvc] = providers.map((p) => p.getTracer('e2e'));

    for (let i = 1; i <= ITERATIONS; i++) request({ frontend, api, dbSvc }, i % FAIL_EVERY === 0);
    // one export per service, each in a later ingest batch than the last: every edge pairs across batches
    for (const p of providers) {
      await p.forceFlush();
      await new Promise((r) => setTimeout(r, 250));
    }
    await local.stop(); // ingests, folds and remote-writes everything before returning
    local = undefined;

    const at = Date.now() / 1000;
    const calls = Object.fromEntries(
      (await prom.query('traces_spanmetrics_calls_total', at)).map(([l, v]) => [
        `${l.service} ${l.span_kind} ${l.span_name} ${l.status_code}`,
        Number(v),
      ]),
    );
    assert.deepEqual(calls, {
      'frontend SPAN_KIND_SERVER GET /checkout STATUS_CODE_UNSET': ITERATIONS,
      'frontend SPAN_KIND_CLIENT POST /orders STATUS_CODE_UNSET': ITERATIONS,
      'api SPAN_KIND_SERVER POST /orders STATUS_CODE_UNSET': ITERATIONS,
      'api SPAN_KIND_CLIENT GET /stock STATUS_CODE_UNSET': ITERATIONS - FAILED,
      'api SPAN_KIND_CLIENT GET /stock STATUS_CODE_ERROR': FAILED,
      'db-svc SPAN_KIND_SERVER GET /stock STATUS_CODE_UNSET': ITERATIONS - FAILED,
      'db-svc SPAN_KIND_SERVER GET /stock STATUS_CODE_ERROR': FAILED,
      'db-svc SPAN_KIND_CLIENT SELECT stock STATUS_CODE_UNSET': ITERATIONS,
    });

    const edges = async (metric: string) =>
      Object.fromEntries(
        (await prom.query(metric, at)).map(([l, v]) => [
          `${l.client} -> ${l.server}${l.connection_type ? ` (${l.connection_type})` : ''}`,
          Number(v),
        ]),
      );
    assert.deepEqual(await edges('traces_service_graph_request_total'), {
      // the root server span has no client: Tempo turns it into an edge from the "user" virtual node
      'user -> frontend (virtual_node)': ITERATIONS,
      'frontend -> api': ITERATIONS,
      'api -> db-svc': ITERATIONS,
      // a client span with db.name completes a database edge on its own
      'db-svc -> inventory (database)': ITERATIONS,
    });
    assert.deepEqual(await edges('traces_service_graph_request_failed_total'), { 'api -> db-svc': FAILED });
  });
});
