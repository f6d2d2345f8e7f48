// A recording remote-write receiver for tests: a node:http server on 127.0.0.1 (random port) that
// snappy-decompresses and protobuf-decodes each request and answers from a script of responses.

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WriteRequest, fromLong, type Long } from '../../lib/proto/index.ts';
import type { prometheus } from '../../lib/proto/generated/remote.js';
import { decompress } from '../../lib/remote-write/compress.ts';
import type { RemoteWriteEndpoint } from '../../lib/remote-write/endpoint.ts';

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The body as sent (snappy-compressed). */
  readonly body: Uint8Array;
  /** The decompressed protobuf bytes. */
  readonly raw: Uint8Array;
  readonly request: WriteRequest;
}

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  /** Replies for the next requests, in order; once used up every request gets 204. */
  reply(...replies: Reply[]): void;
  /** Forgets what was received and any replies not used yet. */
  reset(): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const script: Reply[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = new Uint8Array(Buffer.concat(chunks));
      const raw = decompress(body);
      received.push({ path: req.url ?? '', headers: req.headers, body, raw, request: WriteRequest.decode(raw) });
      const reply = script.shift() ?? { status: 204 };
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/v1/write`,
    received,
    reply: (...replies) => script.push(...replies),
    reset: () => {
      received.length = 0;
      script.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export function endpointFor(url: string, extra: Partial<RemoteWriteEndpoint> = {}): RemoteWriteEndpoint {
  return { url, headers: {}, remoteTimeoutMs: 5_000, maxSamplesPerSend: 2000, ...extra };
}

export interface DecodedSeries {
  readonly labels: Record<string, string>;
  /** Label names in wire order. */
  readonly labelNames: string[];
  readonly samples: { value: number; timestamp: bigint }[];
  readonly exemplars: { labels: Record<string, string>; value: number; timestamp: bigint }[];
  readonly histograms: DecodedHistogram[];
}

export interface DecodedHistogram {
  /** Which member of the count oneof was on the wire. */
  readonly count: string | undefined;
  readonly countInt: bigint;
  readonly zeroCount: string | undefined;
  readonly zeroCountInt: bigint;
  readonly sum: number;
  readonly schema: number;
  readonly zeroThreshold: number;
  readonly negativeSpans: { offset: number; length: number }[];
  readonly negativeDeltas: bigint[];
  readonly positiveSpans: { offset: number; length: number }[];
  readonly positiveDeltas: bigint[];
  readonly positiveCounts: number[];
  readonly timestamp: bigint;
}

/** The generated classes type nested messages as optional property bags; this gives them shape. */
export function seriesOf(request: WriteRequest): DecodedSeries[] {
  return (request.timeseries ?? []).map((ts) => ({
    labels: record(ts.labels),
    labelNames: (ts.labels ?? []).map((l) => l.name ?? ''),
    samples: (ts.samples ?? []).map((s) => ({ value: s.value ?? 0, timestamp: fromLong(s.timestamp, false) })),
    exemplars: (ts.exemplars ?? []).map((e) => ({
      labels: record(e.labels),
      value: e.value ?? 0,
      timestamp: fromLong(e.timestamp, false),
    })),
    histograms: (ts.histograms ?? []).map(histogram),
  }));
}

function histogram(h: prometheus.Histogram.$Properties): DecodedHistogram {
  const spans = (list: prometheus.BucketSpan.$Properties[] | null | undefined) =>
    (list ?? []).map((x) => ({ offset: x.offset ?? 0, length: x.length ?? 0 }));
  const deltas = (list: (number | Long)[] | null | undefined) => (list ?? []).map((d) => fromLong(d, false));
  const oneof = h as { count?: string; zeroCount?: string };
  return {
    count: oneof.count,
    countInt: fromLong(h.countInt, true),
    zeroCount: oneof.zeroCount,
    zeroCountInt: fromLong(h.zeroCountInt, true),
    sum: h.sum ?? 0,
    schema: h.schema ?? 0,
    zeroThreshold: h.zeroThreshold ?? 0,
    negativeSpans: spans(h.negativeSpans),
    negativeDeltas: deltas(h.negativeDeltas),
    positiveSpans: spans(h.positiveSpans),
    positiveDeltas: deltas(h.positiveDeltas),
    positiveCounts: h.positiveCounts ?? [],
    timestamp: fromLong(h.timestamp, false),
  };
}

function record(
  labels: readonly { name?: string | null; value?: string | null }[] | null | undefined,
): Record<string, string> {
  return Object.fromEntries((labels ?? []).map((l) => [l.name ?? '', l.value ?? '']));
}
