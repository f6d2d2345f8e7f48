// The service-graph test vectors of Tempo's own tests (modules/generator/processor/servicegraphs/servicegraphs_test.go:
// TestServiceGraphs, TestServiceGraphs_virtualNodes) and
// host-info, through `replay`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../lib/config/index.ts';
import { replay } from '../../lib/replay/replay.ts';
import { configYaml } from '../helpers/config-yaml.ts';
import { parseExposition, resourceSpans, span, tracesData } from '../helpers/otlp-json.ts';
import { queueDatabaseTrace, series, TV5, virtualNodesTrace } from '../processors/servicegraphs/fixtures.ts';

function run(yaml: string, input: string): Map<string, number> {
  return parseExposition(replay(parseConfig(yaml), 'single-tenant', input));
}

const withServiceGraphs = (serviceGraphs: string, processors = '[service-graphs]', overrides = '') =>
  configYaml({ processors, processor: { service_graphs: serviceGraphs }, overrides });

const REQUEST = 'traces_service_graph_request_total';
const FAILED = 'traces_service_graph_request_failed_total';
const CLIENT_S = 'traces_service_graph_request_client_seconds';
const SERVER_S = 'traces_service_graph_request_server_seconds';
const MESSAGING_S = 'traces_service_graph_request_messaging_system_seconds';

/** Every distinct label set (minus le) in the output, as `series('', labels)` keys. */
function labelSets(out: Map<string, number>): string[] {
  const sets = new Set<string>();
  for (const key of out.keys())
    sets.add(
      key
        .slice(key.indexOf('{'))
        .replace(/,?le="[^"]*"/, '')
        .replace('{,', '{'),
    );
  return [...sets].sort();
}

describe('Tempo service-graph vectors', () => {
  test('TV5 pairing: HTTP edge with dimensions, database edge, messaging edge and its latency', () => {
    const cfg = withServiceGraphs(
      'histogram_buckets: [0.04]\ndimensions: [beast, god]\nenable_messaging_system_latency_histogram: true',
    );
    const out = run(cfg, queueDatabaseTrace());

    // the server span is processed after the client span, so its god=zeus wins
    const http = { client: 'mythical-requester', server: 'mythical-server', beast: 'manticore', god: 'zeus' };
    assert.equal(out.get(series(REQUEST, http)), 1);
    assert.equal(out.has(series(FAILED, http)), false, 'failed_total only exists after a failure');
    assert.equal(out.get(series(CLIENT_S + '_bucket', { ...http, le: '0.04' })), 0);
    assert.equal(out.get(series(CLIENT_S + '_bucket', { ...http, le: '+Inf' })), 1);
    assert.equal(out.get(series(CLIENT_S + '_count', http)), 1);
    assert.equal(out.get(series(CLIENT_S + '_sum', http)), TV5.requesterClient);
    assert.equal(out.get(series(SERVER_S + '_bucket', { ...http, le: '0.04' })), 1);
    assert.equal(out.get(series(SERVER_S + '_bucket', { ...http, le: '+Inf' })), 1);
    assert.equal(out.get(series(SERVER_S + '_sum', http)), TV5.serverServer);

    const db = { client: 'mythical-server', server: 'postgres', connection_type: 'database' };
    assert.equal(out.get(series(REQUEST, db)), 1);
    assert.equal(out.get(series(CLIENT_S + '_sum', db)), TV5.database);
    assert.equal(
      out.get(series(SERVER_S + '_sum', db)),
      TV5.database,
      'server latency of a DB edge is the client span duration',
    );
    assert.equal(out.get(series(SERVER_S + '_bucket', { ...db, le: '0.04' })), 1);

    const mq = { client: 'mythical-requester', server: 'mythical-recorder', connection_type: 'messaging_system' };
    assert.equal(out.get(series(REQUEST, mq)), 1);
    assert.equal(out.get(series(CLIENT_S + '_sum', mq)), TV5.producer);
    assert.equal(out.get(series(SERVER_S + '_sum', mq)), TV5.consumer);
    assert.equal(out.get(series(MESSAGING_S + '_sum', mq)), 0.0098816);
    assert.equal(out.get(series(MESSAGING_S + '_count', mq)), 1);
    assert.equal(out.get(series(MESSAGING_S + '_bucket', { ...mq, le: '0.04' })), 1);

    // The four unanswered client spans have no peer attribute: they expire without metrics.
    assert.deepEqual(labelSets(out), [series('', db), series('', http), series('', mq)].sort());
    assert.equal(
      [...out.keys()].filter((k) => k.startsWith(MESSAGING_S)).length,
      4,
      'messaging histogram only for the messaging edge',
    );
  });

  test('TV5 with enable_client_server_prefix: each side keeps its own dimension values', () => {
    const out = run(
      withServiceGraphs('histogram_buckets: [0.04]\ndimensions: [beast, god]\nenable_client_server_prefix: true'),
      queueDatabaseTrace(),
    );
    const labels = {
      client: 'mythical-requester',
      server: 'mythical-server',
      client_beast: 'manticore',
      server_beast: 'manticore',
      client_god: 'ares',
      server_god: 'zeus',
    };
    assert.equal(out.get(series(REQUEST, labels)), 1);
  });

  test('TV6 virtual nodes when edges expire at the end of input', () => {
    const out = run(withServiceGraphs('histogram_buckets: [0.04]'), virtualNodesTrace());
    const user = { client: 'user', server: 'mythical-server', connection_type: 'virtual_node' };
    const peer = {
      client: 'mythical-requester',
      server: 'external-payments-platform',
      connection_type: 'virtual_node',
    };
    const producer = { client: 'external-producer', server: 'internal-consumer', connection_type: 'virtual_node' };
    for (const labels of [user, peer, producer]) {
      assert.equal(out.get(series(REQUEST, labels)), 1, JSON.stringify(labels));
      assert.equal(out.has(series(FAILED, labels)), false);
    }
    assert.deepEqual(labelSets(out), [series('', user), series('', peer), series('', producer)].sort());
    // the missing side is observed as 0
    assert.equal(out.get(series(CLIENT_S + '_count', user)), 1);
    assert.equal(out.get(series(CLIENT_S + '_sum', user)), 0);
    assert.equal(out.get(series(SERVER_S + '_sum', user)), TV5.requesterClient);
    assert.equal(out.get(series(SERVER_S + '_count', peer)), 1);
    assert.equal(out.get(series(SERVER_S + '_sum', peer)), 0);
  });

  test('TV6 with enable_virtual_node_label marks which side is virtual', () => {
    const out = run(withServiceGraphs('enable_virtual_node_label: true'), virtualNodesTrace());
    assert.equal(
      out.get(
        series(REQUEST, {
          client: 'user',
          server: 'mythical-server',
          connection_type: 'virtual_node',
          virtual_node: 'client',
        }),
      ),
      1,
    );
    const peer = {
      client: 'mythical-requester',
      server: 'external-payments-platform',
      connection_type: 'virtual_node',
      virtual_node: 'server',
    };
    assert.equal(out.get(series(REQUEST, peer)), 1);
    const producer = {
      client: 'external-producer',
      server: 'internal-consumer',
      connection_type: 'virtual_node',
      virtual_node: 'client',
    };
    assert.equal(out.get(series(REQUEST, producer)), 1);
  });
});

describe('service graphs and host info through replay', () => {
  test('subprocessors: service-graphs-connection-info alone gives only the connection_info gauge', () => {
    const out = run(withServiceGraphs('', '[service-graphs-connection-info]'), queueDatabaseTrace());
    assert.deepEqual(
      [...out.keys()].sort(),
      [
        series('traces_service_graph_connection_info', {
          client: 'mythical-requester',
          server: 'mythical-recorder',
          connection_type: 'messaging_system',
        }),
        series('traces_service_graph_connection_info', { client: 'mythical-requester', server: 'mythical-server' }),
        series('traces_service_graph_connection_info', {
          client: 'mythical-server',
          server: 'postgres',
          connection_type: 'database',
        }),
      ].sort(),
    );
    assert.ok([...out.values()].every((v) => v === 1));
  });

  test('service-graphs-request alone: counters only, failed_total on failure', () => {
    const input = tracesData(
      resourceSpans({ 'service.name': 'a' }, [span({ kind: 3, spanId: '0000000000000001', status: { code: 2 } })]),
      resourceSpans({ 'service.name': 'b' }, [
        span({ kind: 2, spanId: '0000000000000002', parentSpanId: '0000000000000001' }),
      ]),
    );
    const out = run(withServiceGraphs('', '[service-graphs-request]'), input);
    assert.deepEqual(Object.fromEntries(out), {
      [series(REQUEST, { client: 'a', server: 'b' })]: 1,
      [series(FAILED, { client: 'a', server: 'b' })]: 1,
    });
  });

  test('native histograms: count and sum only, the same observations', () => {
    const out = run(
      withServiceGraphs('histogram_buckets: [0.04]', '[service-graphs]', 'generate_native_histograms: native'),
      queueDatabaseTrace(),
    );
    const db = { client: 'mythical-server', server: 'postgres', connection_type: 'database' };
    assert.equal(out.get(series(SERVER_S + '_count', db)), 1);
    assert.equal(out.get(series(SERVER_S + '_sum', db)), TV5.database);
    assert.equal(
      [...out.keys()].some((k) => k.includes('_bucket')),
      false,
    );
  });

  test('service graphs run beside span metrics and host info', () => {
    const cfg = `
overrides:
  defaults:
    metrics_generator:
      processors: [span-metrics-count, service-graphs-request, host-info]
`;
    const input = tracesData(
      resourceSpans({ 'service.name': 'a', 'host.id': 'h-1' }, [span({ kind: 3, spanId: '0000000000000001' })]),
      resourceSpans({ 'service.name': 'b', 'k8s.node.name': 'node-7', 'host.id': 'h-2' }, [
        span({ kind: 2, spanId: '0000000000000002', parentSpanId: '0000000000000001' }),
      ]),
    );
    const out = run(cfg, input);
    assert.equal(out.get(series(REQUEST, { client: 'a', server: 'b' })), 1);
    assert.equal(out.get(series('traces_host_info', { grafana_host_id: 'h-1', host_source: 'host.id' })), 1);
    assert.equal(out.get(series('traces_host_info', { grafana_host_id: 'node-7', host_source: 'k8s.node.name' })), 1);
    assert.equal([...out.keys()].filter((k) => k.startsWith('traces_spanmetrics_calls_total')).length, 2);
  });

  test('host_info metric_name and host_identifiers overrides', () => {
    const cfg = `
metrics_generator:
  processor:
    host_info: {metric_name: my_hosts, host_identifiers: [host.name]}
overrides:
  defaults:
    metrics_generator:
      processors: [host-info]
`;
    const input = tracesData(resourceSpans({ 'service.name': 'a', 'host.name': 'box', 'host.id': 'h-1' }, []));
    assert.deepEqual(Object.fromEntries(run(cfg, input)), {
      [series('my_hosts', { grafana_host_id: 'box', host_source: 'host.name' })]: 1,
    });
  });
});
