import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { promisify } from 'node:util';
import type { Server } from 'node:http';
import { IngestBatcher } from '../../lib/local/ingest-batcher.ts';
import { MAX_BODY_BYTES, startReceiver } from '../../lib/local/otlp-receiver.ts';
import { TracesData } from '../../lib/proto/index.ts';

const HEADER = 'X-Scope-OrgID';

/** One span per trace, `count` traces: the shape that makes the most records per request byte. */
function manyTraces(count: number): Uint8Array {
  const spans = Array.from({ length: count }, (_, i) => {
    const traceId = Buffer.alloc(16);
    traceId.writeUInt32BE(i + 1, 12);
    return { traceId, spanId: Buffer.alloc(8, 1), name: 's', kind: 2 };
  });
  return TracesData.encode({ resourceSpans: [{ scopeSpans: [{ spans }] }] }).finish();
}

/** A real HTTP client streaming `size` bytes (with a content-length, or chunked). */
function postStreaming(
  port: number,
  size: number,
  chunked: boolean,
  agent: Agent,
): Promise<{ status?: number; body: string; error?: string }> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/x-protobuf' };
    if (!chunked) headers['content-length'] = size;
    let status: number | undefined;
    let body = '';
    const req = request({ host: '127.0.0.1', port, agent, method: 'POST', path: '/v1/traces', headers }, (res) => {
      status = res.statusCode;
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status, body }));
    });
    req.on('error', (e) => resolve({ status, body, error: e.message }));
    const chunk = Buffer.alloc(64 * 1024);
    let sent = 0;
    const write = () => {
      while (sent < size) {
        const piece = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += piece.length;
        if (!req.write(piece)) return void req.once('drain', write);
      }
      req.end();
    };
    write();
  });
}

describe('OTLP receiver', () => {
  let server: Server;
  let port: number;
  const received: { tenant: string; traces: number }[] = [];
  const batcher = new IngestBatcher(async () => {});
  before(async () => {
    ({ server, port } = await startReceiver(
      0,
      {
        onTraces: (tenant, traces) => {
          received.push({ tenant, traces: traces.length });
          // Records as the local topic makes them, minus the encoding (not what is tested here).
          batcher.enqueue(
            traces.map((t, offset) => ({
              topic: 'local',
              partition: 0,
              offset,
              timestampMs: 0,
              key: null,
              value: t.trace,
              headers: [],
            })),
          );
        },
        metrics: () => '',
      },
      HEADER,
      'single-tenant',
    ));
  });
  after(() => server.close());

  const post = (body: Uint8Array, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', ...headers },
      body,
    });

  test('a request with 150,000 one-span traces is accepted and queued whole', async () => {
    received.length = 0;
    const before = batcher.pending;
    const res = await post(manyTraces(150_000));
    assert.equal(res.status, 200, await res.text());
    assert.deepEqual(received, [{ tenant: 'single-tenant', traces: 150_000 }]);
    assert.equal(batcher.pending - before, 150_000);
  });

  test('an invalid tenant header is refused with 400 and the reason; nothing is queued', async () => {
    received.length = 0;
    for (const tenant of ['../etc', 'a b', 'x'.repeat(151), '..']) {
      const res = await post(manyTraces(1), { [HEADER]: tenant });
      assert.equal(res.status, 400, tenant);
      assert.match(await res.text(), /X-Scope-OrgID.*tenant ID/, tenant);
    }
    assert.deepEqual(received, []);
    const ok = await post(manyTraces(1), { [HEADER]: "team-a_1.(x)*'!" });
    assert.equal(ok.status, 200);
    assert.deepEqual(received, [{ tenant: "team-a_1.(x)*'!", traces: 1 }]);
  });

  test('oversize bodies, one after another on a kept-alive connection, each get a 413 the client sees', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const cases = [
        [MAX_BODY_BYTES + 1024 * 1024, false],
        [MAX_BODY_BYTES + 1024 * 1024, true],
        [64 * 1024 * 1024, false],
        [64 * 1024 * 1024, true],
        [MAX_BODY_BYTES + 1, false],
      ] as const;
      for (const [size, chunked] of cases) {
        const res = await postStreaming(port, size, chunked, agent);
        assert.equal(res.error, undefined, `${size} bytes${chunked ? ', chunked' : ''}: client error ${res.error}`);
        assert.equal(res.status, 413);
        assert.match(res.body, /larger than/);
      }
      assert.equal((await post(manyTraces(1))).status, 200, 'the receiver still takes requests');
    } finally {
      agent.destroy();
    }
  });

  test('curl (which sends Expect: 100-continue for a large upload) sees the 413 without sending the body, and a 200 for a fitting one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'receiver-'));
    try {
      const file = join(dir, 'big.bin');
      writeFileSync(file, Buffer.alloc(MAX_BODY_BYTES + 1));
      /** The HTTP status curl got for posting the file, with extra curl arguments. */
      const curlStatus = async (...extra: string[]) => {
        const args = ['-sS', '-o', '/dev/null', '-w', '%{http_code}', ...extra];
        const headers = ['-H', 'content-type: application/x-protobuf', '--data-binary', `@${file}`];
        return (await promisify(execFile)('curl', [...args, ...headers, `http://127.0.0.1:${port}/v1/traces`])).stdout;
      };
      assert.equal(await curlStatus(), '413');
      // and an acceptable large body still goes through the "100 Continue" path
      received.length = 0;
      writeFileSync(file, manyTraces(40_000));
      assert.equal(await curlStatus('-H', 'Expect: 100-continue'), '200');
      assert.deepEqual(received, [{ tenant: 'single-tenant', traces: 40_000 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
