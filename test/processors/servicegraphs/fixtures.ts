// Service-graph test traces as OTLP-JSON, rebuilt by hand after the structure of Tempo's
// testdata in modules/generator/processor/servicegraphs/testdata (trace-with-queue-database.json of
// TestServiceGraphs, called TV5 here, and trace-with-virtual-nodes.json of
// TestServiceGraphs_virtualNodes): same ids, kinds, times, statuses and the attributes that
// matter to service graphs; span names and unrelated attributes trimmed.

import { resourceSpans, span, tracesData, type AttrValue, type JsonSpan } from '../../helpers/otlp-json.ts';

const UNSET = {};
const OK = { code: 1 };

function s(
  name: string,
  kind: number,
  traceId: string,
  spanId: string,
  parentSpanId: string | undefined,
  startNs: bigint,
  durationNs: bigint,
  status: JsonSpan['status'],
  attributes: Record<string, AttrValue> = {},
): Record<string, unknown> {
  return span({ name, kind, traceId, spanId, parentSpanId, startNs, durationNs, status, attributes });
}

const INTERNAL = 1;
const SERVER = 2;
const CLIENT = 3;
const PRODUCER = 4;
const CONSUMER = 5;

const T5 = '4290b5877a9930de79bb428365398ecc';
const REQUESTER = { 'service.name': 'mythical-requester', ip: '1.2.3.4' };
const SERVER_RES = { 'service.name': 'mythical-server', ip: '1.2.3.5' };
const RECORDER = { 'service.name': 'mythical-recorder', ip: '1.2.3.5' };

/**
 * trace-with-queue-database: requester -> server over HTTP (client and server disagree on `god`),
 * server -> postgres (a DB client span alone), requester -> recorder over RabbitMQ
 * (PRODUCER/CONSUMER), and four client spans nobody answers (no peer attribute).
 */
export function queueDatabaseTrace(): string {
  return tracesData(
    resourceSpans(REQUESTER, [
      s('requester', CLIENT, T5, 'd606579e57787587', undefined, 1658320854877522688n, 45834496n, OK, {
        beast: 'manticore',
        god: 'ares',
      }),
      s('tcp.connect', INTERNAL, T5, '53f3329b863da95d', 'd606579e57787587', 1658320854877839616n, 705792n, UNSET, {
        'net.peer.name': 'mythical-server',
      }),
    ]),
    resourceSpans(SERVER_RES, [
      s('GET /:endpoint', SERVER, T5, '9992968897f3c846', 'd606579e57787587', 1658320854878927360n, 29986048n, OK, {
        god: 'zeus',
        beast: 'manticore',
        'http.status_code': '200',
      }),
      s(
        'middleware - query',
        INTERNAL,
        T5,
        '037f041a37a7cb46',
        '9992968897f3c846',
        1658320854879122688n,
        20992n,
        UNSET,
      ),
      s('pg.query:SELECT', CLIENT, T5, '253e212fe234216c', '9992968897f3c846', 1658320854879610624n, 23781376n, UNSET, {
        'db.name': 'postgres',
        'db.system': 'postgresql',
        'net.peer.name': 'mythical-database',
        'net.peer.port': '5432',
      }),
      s('HTTP POST', CLIENT, T5, '22af07cb208631c0', '9992968897f3c846', 1658320854909347584n, 3855104n, OK, {
        'net.peer.name': 'loki',
        'http.status_code': '204',
      }),
      s('dns.lookup', CLIENT, T5, '1b594e54f50b2870', '22af07cb208631c0', 1658320854909490688n, 802304n, UNSET, {
        'peer.ipv4': '172.22.0.6',
      }),
    ]),
    resourceSpans(REQUESTER, [
      s('publish_to_queue', INTERNAL, T5, 'a0c838ea9a83f726', 'd606579e57787587', 1658320854915519232n, 1161984n, OK),
      s(
        '<default> -> messages send',
        PRODUCER,
        T5,
        '09bc8187c967f4b4',
        'a0c838ea9a83f726',
        1658320854915559936n,
        68864n,
        UNSET,
        {
          'messaging.system': 'rabbitmq',
          'net.peer.name': 'mythical-queue',
        },
      ),
      s('log_to_loki', CLIENT, T5, '1d9e37ba0b9bdbbe', 'd606579e57787587', 1658320854916730624n, 13806080n, OK),
      s('log_to_loki', CLIENT, T5, '0720494d7c5ed9a2', 'd606579e57787587', 1658320854923263232n, 6227968n, OK),
    ]),
    resourceSpans(RECORDER, [
      s(
        'messages process',
        CONSUMER,
        T5,
        'a8c3fb56334620af',
        '09bc8187c967f4b4',
        1658320854925510400n,
        699392n,
        UNSET,
        {
          'messaging.system': 'rabbitmq',
          'messaging.operation': 'process',
        },
      ),
      s(
        'process_message',
        INTERNAL,
        T5,
        '8fd5a2281e4f18ac',
        'a8c3fb56334620af',
        1658320854925532928n,
        37759232n,
        UNSET,
      ),
    ]),
  );
}

/** Durations of the queue-database trace, in seconds. */
export const TV5 = {
  requesterClient: 0.045834496,
  serverServer: 0.029986048,
  database: 0.023781376,
  producer: 0.000068864,
  consumer: 0.000699392,
  /** consumer start - producer end */
  messaging: 0.0098816,
};

/**
 * trace-with-virtual-nodes: a root SERVER span (no peer attribute), a CLIENT span naming its
 * uninstrumented peer, and in another trace a root CONSUMER span naming its producer. None pairs.
 */
export function virtualNodesTrace(): string {
  return tracesData(
    resourceSpans({ 'service.name': 'mythical-server' }, [
      s('requester', SERVER, T5, 'd606579e57787587', undefined, 1658320854877522688n, 45834496n, OK, {
        beast: 'manticore',
      }),
    ]),
    resourceSpans({ 'service.name': 'mythical-requester' }, [
      s('HTTP GET /ready', CLIENT, T5, '53f3329b863da95d', 'd606579e57787587', 1658320854877839616n, 705792n, UNSET, {
        'peer.service': 'external-payments-platform',
      }),
    ]),
    resourceSpans({ 'service.name': 'internal-consumer' }, [
      s(
        'Consumed',
        CONSUMER,
        'ab4a390ad2fe3b8534404c9f7223a390',
        '4d9b38bfb7504f8d',
        undefined,
        1658320854877839616n,
        705792n,
        UNSET,
        {
          'peer.service': 'external-producer',
        },
      ),
    ]),
  );
}

/** `name{a="x",...}` with labels sorted by name, as the replay exposition prints them. */
export function series(name: string, labels: Record<string, string>): string {
  const names = Object.keys(labels).sort();
  return `${name}{${names.map((n) => `${n}="${labels[n]}"`).join(',')}}`;
}
