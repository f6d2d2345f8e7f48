// A send fed in pieces (the flusher streams a large tenant's collection) must put the same bytes
// on the wire as one send of everything, and a failure half way must only affect its own request.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { RemoteWriteClient, type PostFn } from '../../lib/remote-write/index.ts';
import { silentLogger } from '../../lib/log/logger.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { floatSeries, T0 } from './fixtures.ts';

const NOW = T0;

function recorder(statusOf: (request: number) => number = () => 204): { post: PostFn; bodies: Buffer[] } {
  const bodies: Buffer[] = [];
  const post: PostFn = async (_url, _headers, body) => {
    bodies.push(Buffer.from(body));
    return { status: statusOf(bodies.length), retryAfter: null, body: '' };
  };
  return { post, bodies };
}

function client(post: PostFn, maxSamplesPerSend = 7): RemoteWriteClient {
  return new RemoteWriteClient(
    { url: 'http://127.0.0.1:9/api/v1/write', headers: {}, remoteTimeoutMs: 1000, maxSamplesPerSend },
    { addOrgIdHeader: true, post, logger: silentLogger, now: () => NOW, sleep: async () => {}, random: () => 0 },
  );
}

// 40 series of 1-3 samples, one heavier than a request (cut), one invalid (no __name__)
function collection(): CollectedSeries[] {
  const out: CollectedSeries[] = [];
  for (let i = 0; i < 40; i++)
    out.push(floatSeries('m', { i: String(i) }, ...Array.from({ length: 1 + (i % 3) }, (_, k) => k + i)));
  out.splice(11, 0, floatSeries('heavy', {}, ...Array.from({ length: 17 }, (_, k) => k)));
  out.splice(20, 0, { labels: [{ name: 'x', value: '1' }], samples: [{ value: 1, timestampMs: T0 }], exemplars: [] });
  return out;
}

async function inPieces(c: RemoteWriteClient, series: CollectedSeries[], size: number) {
  const session = c.open('team-a', { deadlineMs: NOW + 10_000 });
  for (let i = 0; i < series.length; i += size) await session.add(series.slice(i, i + size));
  return session.finish();
}

describe('send in pieces', () => {
  for (const size of [1, 3, 10, 1000]) {
    test(`pieces of ${size} series send the same requests and result as one send`, async () => {
      const whole = recorder();
      const wholeResult = await client(whole.post).send('team-a', collection(), { deadlineMs: NOW + 10_000 });
      const pieces = recorder();
      const piecesResult = await inPieces(client(pieces.post), collection(), size);
      assert.ok(whole.bodies.length > 5);
      assert.deepEqual(pieces.bodies, whole.bodies);
      assert.deepEqual(piecesResult, wholeResult);
      assert.equal(piecesResult.dropped.length, 1);
    });
  }

  test('a request rejected half way is not resent; the requests after it still go out', async () => {
    const all = recorder();
    await client(all.post).send('team-a', collection(), { deadlineMs: NOW + 10_000 });
    const rejecting = recorder((n) => (n === 2 ? 400 : 204));
    const result = await inPieces(client(rejecting.post), collection(), 4);
    assert.deepEqual(rejecting.bodies, all.bodies, 'each request once, in order');
    assert.deepEqual(
      result.requests.map((r) => r.ok),
      all.bodies.map((_, i) => i !== 1),
    );
  });

  test('a request that keeps failing is retried alone until the deadline; the rest are not tried', async () => {
    let clock = NOW;
    const bodies: Buffer[] = [];
    const post: PostFn = async (_u, _h, body) => {
      bodies.push(Buffer.from(body));
      return { status: bodies.length >= 2 ? 503 : 204, retryAfter: null, body: '' };
    };
    const c = new RemoteWriteClient(
      { url: 'http://127.0.0.1:9/api/v1/write', headers: {}, remoteTimeoutMs: 1000, maxSamplesPerSend: 7 },
      {
        addOrgIdHeader: true,
        post,
        logger: silentLogger,
        now: () => clock,
        sleep: async (ms) => void (clock += ms),
        random: () => 0,
      },
    );
    const session = c.open('team-a', { deadlineMs: NOW + 5_000 });
    const series = collection();
    for (let i = 0; i < series.length; i += 4) await session.add(series.slice(i, i + 4));
    const result = await session.finish();
    assert.equal(result.requests[0].ok, true);
    assert.equal(result.requests[1].ok, false);
    assert.ok(result.requests[1].attempts > 1, 'retried');
    for (const r of result.requests.slice(2)) assert.equal(r.attempts, 0, 'not tried after the deadline');
    // every attempt after the first request carried the second request's bytes only
    for (const b of bodies.slice(2)) assert.deepEqual(b, bodies[1]);
  });
});
