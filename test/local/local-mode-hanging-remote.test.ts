// A remote-write endpoint that never answers must not hold spans back from /metrics: ingest and
// folding go on while the send waits (it gives up only at its deadline, 10 s later).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestLocalMode } from '../helpers/local-mode.ts';

function traces(name: string, n: number): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: n }, (_, i) => ({
    traceId: (i + 1).toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    name,
    kind: 2,
    startTimeUnixNano: String(now - 1_000_000n),
    endTimeUnixNano: String(now),
  }));
  return JSON.stringify({
    resourceSpans: [
      { resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ spans }] },
    ],
  });
}

describe('local mode with a hanging remote-write endpoint', () => {
  test('spans sent while a remote write hangs still reach /metrics', async () => {
    const hanging: ServerResponse[] = [];
    const endpoint = createServer((_req: IncomingMessage, res: ServerResponse) => void hanging.push(res));
    await new Promise<void>((r) => endpoint.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/api/v1/write`;
    const local = await startTestLocalMode({
      env: { REMOTE_WRITE_URL: url },
      shutdownTimeoutMs: 200,
    });
    const post = (body: string) =>
      fetch(`http://127.0.0.1:${local.port}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
    const line = (name: string) =>
      `traces_spanmetrics_calls_total{service="svc",span_kind="SPAN_KIND_SERVER",span_name="${name}",status_code="STATUS_CODE_UNSET"}`;
    const waitFor = async (text: string, what: string) => {
      for (const end = Date.now() + 6000; Date.now() < end; await new Promise((r) => setTimeout(r, 50)))
        if (local.metricsText().includes(text)) return;
      assert.fail(`timed out waiting for ${what}`);
    };
    try {
      assert.equal((await post(traces('first', 3))).status, 200);
      await waitFor(`${line('first')} 3\n`, 'the first spans');
      // the first collection of the new tenant is being sent now, and the endpoint never answers
      for (const end = Date.now() + 6000; hanging.length === 0 && Date.now() < end; )
        await new Promise((r) => setTimeout(r, 20));
      assert.ok(hanging.length > 0, 'a remote write is in flight');
      assert.equal((await post(traces('second', 4))).status, 200);
      await waitFor(`${line('second')} 4\n`, 'the spans sent while the remote write hangs');
    } finally {
      await local.stop();
      for (const r of hanging) r.destroy();
      endpoint.closeAllConnections();
      await new Promise<void>((r) => endpoint.close(() => r()));
    }
  });
});
