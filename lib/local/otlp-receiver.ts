// Local mode's HTTP front door on 127.0.0.1: OTLP/HTTP trace export (`POST /v1/traces`, protobuf
// or JSON, plain or gzip) turned into Kafka-format records, and `GET /metrics` with the current
// series.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { tenantIdProblem } from '../tenant/tenant-id.ts';
import { TracesData, Trace, type ResourceSpansProperties } from '../proto/index.ts';
import { parseOtlpJsonTraces } from '../replay/otlp-json.ts';

export const MAX_BODY_BYTES = 8 * 1024 * 1024;
// An oversize body is still read (and discarded) up to this many bytes before the 413 goes out:
// a client that is still sending when the server answers and closes gets a reset and never reads
// the 413. Past it the connection is closed, so a client streaming without end cannot hold it.
export const MAX_DRAINED_BYTES = 16 * MAX_BODY_BYTES;
const gunzipAsync = promisify(gunzip);

export interface ReceiverHandlers {
  /** One encoded tempopb.Trace per trace ID found in a request, with the tenant. */
  onTraces(tenant: string, traces: { traceId: string; trace: Uint8Array }[]): void;
  metrics(): string;
}

export async function startReceiver(
  port: number,
  handlers: ReceiverHandlers,
  tenantHeader: string,
  defaultTenant: string,
): Promise<{ server: Server; port: number }> {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res, handlers, tenantHeader, defaultTenant).catch((e) =>
      reply(res, 500, `internal error: ${(e as Error).message}`),
    );
  };
  const server = createServer(onRequest);
  // A client that asks before sending (curl does for large bodies) learns of the 413 without
  // sending the body; everyone else gets "100 Continue" and the ordinary path.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (declaredLength(req) > MAX_BODY_BYTES)
      return reply(res, 413, `body larger than ${MAX_BODY_BYTES} bytes`, { connection: 'close' });
    res.writeContinue();
    onRequest(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { server, port: (server.address() as AddressInfo).port };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  h: ReceiverHandlers,
  tenantHeader: string,
  defaultTenant: string,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(h.metrics());
    return;
  }
  if (url.pathname !== '/v1/traces') return reply(res, 404, 'not found: use POST /v1/traces or GET /metrics');
  if (req.method !== 'POST') return reply(res, 405, 'use POST');
  const read = await readBody(req, declaredLength(req) > MAX_BODY_BYTES);
  if (read === 'oversize') return reply(res, 413, `body larger than ${MAX_BODY_BYTES} bytes`);
  if (read === 'oversize, not drained')
    return reply(res, 413, `body larger than ${MAX_BODY_BYTES} bytes`, { connection: 'close' });
  const headerTenant = req.headers[tenantHeader.toLowerCase()];
  const tenant = typeof headerTenant === 'string' && headerTenant !== '' ? headerTenant : defaultTenant;
  // Refused here rather than counted as bad records later: the client learns why.
  const tenantProblem = tenantIdProblem(tenant);
  if (tenantProblem !== undefined) return reply(res, 400, `bad ${tenantHeader} header: ${tenantProblem}`);
  const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip')
    return reply(res, 415, `unsupported content-encoding "${encoding}": use gzip or none`);
  let body = read;
  // The OpenTelemetry Collector's otlphttp exporter gzips by default.
  if (encoding === 'gzip') {
    try {
      body = await gunzipAsync(body, { maxOutputLength: MAX_BODY_BYTES });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        return reply(res, 413, `body larger than ${MAX_BODY_BYTES} bytes once gunzipped`);
      return reply(res, 400, `bad gzip body: ${(e as Error).message}`);
    }
  }
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
  let messages: Uint8Array[];
  try {
    if (type === 'application/x-protobuf') messages = [body];
    else if (type === 'application/json') messages = parseOtlpJsonTraces(body.toString('utf8'));
    else return reply(res, 415, `unsupported content-type "${type}": use application/x-protobuf or application/json`);
    for (const m of messages) h.onTraces(tenant, splitByTrace(m));
  } catch (e) {
    return reply(res, 400, `bad OTLP request: ${(e as Error).message}`);
  }
  if (type === 'application/json') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
}

/** Regroups an export request's spans per trace ID, keeping each span's resource and scope. */
export function splitByTrace(bytes: Uint8Array): { traceId: string; trace: Uint8Array }[] {
  const data = TracesData.decode(bytes);
  const byTrace = new Map<string, ResourceSpansProperties[]>();
  for (const rs of data.resourceSpans ?? []) {
    for (const ss of rs.scopeSpans ?? []) {
      const groups = new Map<string, typeof ss.spans>();
      for (const span of ss.spans ?? []) {
        const id = Buffer.from(span.traceId ?? []).toString('hex');
        let g = groups.get(id);
        if (g === undefined) groups.set(id, (g = []));
        g!.push(span);
      }
      for (const [id, spans] of groups) {
        let list = byTrace.get(id);
        if (list === undefined) byTrace.set(id, (list = []));
        list.push({
          resource: rs.resource,
          schemaUrl: rs.schemaUrl,
          scopeSpans: [{ scope: ss.scope, schemaUrl: ss.schemaUrl, spans }],
        });
      }
    }
  }
  return [...byTrace].map(([traceId, resourceSpans]) => ({ traceId, trace: Trace.encode({ resourceSpans }).finish() }));
}

function declaredLength(req: IncomingMessage): number {
  return Number(req.headers['content-length'] ?? 0);
}

/**
 * The whole body, or, when it is (or is declared) larger than the limit, nothing kept and the rest
 * read to its end so the client is done sending before it gets the 413; up to the drain bound.
 */
function readBody(
  req: IncomingMessage,
  declaredOversize: boolean,
): Promise<Buffer | 'oversize' | 'oversize, not drained'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let keep = !declaredOversize;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (keep && size > MAX_BODY_BYTES) {
        keep = false;
        chunks.length = 0;
      }
      if (keep) chunks.push(chunk);
      else if (size > MAX_DRAINED_BYTES) {
        req.off('data', onData).off('end', onEnd).off('close', onClose);
        req.pause();
        resolve('oversize, not drained');
      }
    };
    const onEnd = () => {
      req.off('close', onClose);
      resolve(keep ? Buffer.concat(chunks) : 'oversize');
    };
    const onClose = () => reject(new Error('the client closed the connection before the body ended'));
    req.on('data', onData).once('end', onEnd).once('close', onClose).once('error', reject);
  });
}

function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(message + '\n');
}
