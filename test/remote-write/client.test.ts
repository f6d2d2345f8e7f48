import { test, describe, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs/minimal.js';
import { RemoteWriteClient, type RemoteWriteClientOptions } from '../../lib/remote-write/client.ts';
import type { RemoteWriteEndpoint } from '../../lib/remote-write/endpoint.ts';
import { silentLogger, type Logger, type LogFields } from '../../lib/log/logger.ts';
import type { CollectedSeries } from '../../lib/series/collected.ts';
import { STALE_NAN_BITS, staleNaN } from '../../lib/series/stale.ts';
import { endpointFor, seriesOf, startReceiver, type Receiver } from './receiver.ts';
import { floatSeries, histogramSeries, nativeSample, T0 } from './fixtures.ts';
import { referenceSignature, sha256Hex } from './sigv4-reference.ts';
import { Clock } from '../helpers/clock.ts';

interface LogLine {
  level: string;
  message: string;
  fields?: LogFields;
}

/** A fake clock that only moves when the client sleeps, plus the sleeps it was asked for. */
function harness(extra: Partial<RemoteWriteClientOptions> = {}) {
  const clock = new Clock(1_000_000);
  const sleeps: number[] = [];
  const logs: LogLine[] = [];
  const logger: Logger = {
    info: (message, fields) => logs.push({ level: 'info', message, fields }),
    warn: (message, fields) => logs.push({ level: 'warn', message, fields }),
    error: (message, fields) => logs.push({ level: 'error', message, fields }),
  };
  const options: RemoteWriteClientOptions = {
    addOrgIdHeader: true,
    now: clock.read,
    sleep: (ms) => {
      sleeps.push(ms);
      return clock.sleep(ms);
    },
    random: () => 0.5,
    backoff: { minMs: 100, maxMs: 1000 },
    logger,
    ...extra,
  };
  return { clock, sleeps, logs, options, deadline: (ms: number) => clock.now + ms };
}

const orgIds = (r: Receiver) => r.received.map((x) => x.headers['x-scope-orgid']);

describe('RemoteWriteClient', () => {
  let rx: Receiver;
  let rx2: Receiver;
  before(async () => {
    rx = await startReceiver();
    rx2 = await startReceiver();
  });
  after(async () => {
    await rx.close();
    await rx2.close();
  });
  beforeEach(() => {
    rx.reset();
    rx2.reset();
  });

  test('each tenant gets only its own series, with its X-Scope-OrgID and headers, on every endpoint', async () => {
    const h = harness();
    const clients = [
      new RemoteWriteClient(endpointFor(rx.url, { headers: { 'X-Endpoint': 'one' } }), h.options),
      new RemoteWriteClient(endpointFor(rx2.url, { name: 'second' }), h.options),
    ];
    const tenants = {
      'team-a': [floatSeries('calls_total', { service: 'a1' }, 1), floatSeries('calls_total', { service: 'a2' }, 2)],
      'team-b': [floatSeries('calls_total', { service: 'b1' }, 3)],
    };
    for (const client of clients) {
      for (const [tenant, series] of Object.entries(tenants)) {
        const headers: Record<string, string> = tenant === 'team-b' ? { 'X-Endpoint': 'override' } : {};
        const result = await client.send(tenant, series, { deadlineMs: h.deadline(10_000), tenantHeaders: headers });
        assert.equal(result.ok, true);
        assert.deepEqual(result.delivered, {
          series: series.length,
          samples: series.length,
          histograms: 0,
          exemplars: 0,
        });
      }
    }
    for (const r of [rx, rx2]) {
      assert.deepEqual(orgIds(r), ['team-a', 'team-b']);
      assert.deepEqual(
        seriesOf(r.received[0].request).map((t) => t.labels.service),
        ['a1', 'a2'],
      );
      assert.deepEqual(
        seriesOf(r.received[1].request).map((t) => t.labels.service),
        ['b1'],
      );
      for (const x of r.received) {
        assert.equal(x.path, '/api/v1/write');
        assert.equal(x.headers['content-type'], 'application/x-protobuf');
        assert.equal(x.headers['content-encoding'], 'snappy');
        assert.equal(x.headers['x-prometheus-remote-write-version'], '0.1.0');
        assert.match(x.headers['user-agent'] ?? '', /^msk-metrics-generator\/\d+\.\d+\.\d+/);
      }
    }
    assert.deepEqual(
      rx.received.map((x) => x.headers['x-endpoint']),
      ['one', 'override'],
    );
    assert.equal(rx2.received[0].headers['x-endpoint'], undefined);
    assert.equal(clients[1].name, 'second');
  });

  test('no X-Scope-OrgID when the option is off, or for single-tenant; a configured one is kept', async () => {
    const off = harness({ addOrgIdHeader: false });
    await new RemoteWriteClient(endpointFor(rx.url), off.options).send('team-a', [floatSeries('m', {}, 1)], {
      deadlineMs: off.deadline(1000),
    });
    const on = harness();
    const client = new RemoteWriteClient(endpointFor(rx.url), on.options);
    await client.send('single-tenant', [floatSeries('m', {}, 1)], { deadlineMs: on.deadline(1000) });
    const configured = new RemoteWriteClient(
      endpointFor(rx.url, { headers: { 'X-Scope-OrgID': 'fixed' } }),
      on.options,
    );
    await configured.send('team-a', [floatSeries('m', {}, 1)], { deadlineMs: on.deadline(1000) });
    await configured.send('team-a', [floatSeries('m', {}, 1)], { deadlineMs: on.deadline(1000) });
    await client.send('team-b', [floatSeries('m', {}, 1)], {
      deadlineMs: on.deadline(1000),
      tenantHeaders: { 'x-scope-orgid': 'from-override' },
    });
    assert.deepEqual(orgIds(rx), [undefined, undefined, 'fixed', 'fixed', 'from-override']);
    assert.equal(
      on.logs.filter((l) => l.message.includes('X-Scope-OrgID')).length,
      2,
      'logged once per client and tenant',
    );
  });

  test('503, 503, 200: delivered once after two retries with backoff', async () => {
    const h = harness();
    rx.reply({ status: 503, body: 'overloaded' }, { status: 503 }, { status: 200 });
    const result = await new RemoteWriteClient(endpointFor(rx.url), h.options).send('t', [floatSeries('m', {}, 1, 2)], {
      deadlineMs: h.deadline(10_000),
    });
    assert.equal(rx.received.length, 3);
    assert.equal(result.ok, true);
    assert.deepEqual(
      result.requests.map((r) => [r.ok, r.status, r.attempts, r.retries, r.failure]),
      [[true, 200, 3, 2, undefined]],
    );
    assert.deepEqual(h.sleeps, [75, 150], 'jitter (random 0.5) between half the cap and the caps of 100 and 200 ms');
    assert.deepEqual(result.delivered.samples, 2);
    assert.deepEqual(result.failed.samples, 0);
  });

  test('429 with Retry-After: 1 waits one second', async () => {
    const h = harness();
    rx.reply({ status: 429, headers: { 'Retry-After': '1' } });
    const result = await new RemoteWriteClient(endpointFor(rx.url), h.options).send('t', [floatSeries('m', {}, 1)], {
      deadlineMs: h.deadline(10_000),
    });
    assert.deepEqual(h.sleeps, [1000]);
    assert.equal(result.ok, true);
    assert.equal(result.requests[0].retries, 1);
  });

  test('Retry-After: 0 still backs off: a receiver answering 503 at once gets a handful of requests, not hundreds', async () => {
    // Real clock and sleeps against a local receiver; random 0 is the shortest wait jitter can pick.
    let requests = 0;
    const busy = createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => res.writeHead(503, { 'Retry-After': '0' }).end('overloaded'));
    });
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const client = new RemoteWriteClient(
        endpointFor(`http://127.0.0.1:${(busy.address() as AddressInfo).port}/api/v1/write`),
        {
          addOrgIdHeader: true,
          random: () => 0,
          logger: silentLogger,
        },
      );
      const result = await client.send('t', [floatSeries('m', {}, 1)], { deadlineMs: Date.now() + 1000 });
      assert.equal(result.ok, false);
      // waits of at least 15, 30, 60, 120, 240, 480 ms (half of each doubling cap) fit 7 tries in 1 s
      assert.ok(requests >= 2 && requests <= 8, `${requests} requests in 1 s`);
    } finally {
      busy.closeAllConnections();
      await new Promise((resolve) => busy.close(resolve));
    }
  });

  test('a Retry-After past the deadline ends the retries at once', async () => {
    const h = harness();
    rx.reply({ status: 429, headers: { 'Retry-After': '30' }, body: 'slow down' });
    const result = await new RemoteWriteClient(endpointFor(rx.url), h.options).send('t', [floatSeries('m', {}, 1)], {
      deadlineMs: h.deadline(5_000),
    });
    assert.deepEqual(h.sleeps, []);
    assert.deepEqual(
      result.requests.map((r) => [r.ok, r.status, r.failure, r.error]),
      [[false, 429, 'throttled', 'slow down']],
    );
    assert.equal(result.failed.samples, 1);
  });

  test('400: not retried, counted as failed, the body reported and logged', async () => {
    const h = harness();
    rx.reply({ status: 400, body: 'out of order sample' + 'x'.repeat(3000) });
    const result = await new RemoteWriteClient(endpointFor(rx.url), h.options).send(
      't',
      [floatSeries('m', {}, 1, 2, 3)],
      { deadlineMs: h.deadline(10_000) },
    );
    assert.equal(rx.received.length, 1);
    assert.deepEqual(h.sleeps, []);
    const [r] = result.requests;
    assert.deepEqual([result.ok, r.ok, r.status, r.failure, r.attempts, r.retries], [false, false, 400, '4xx', 1, 0]);
    assert.equal(r.error?.length, 1024);
    assert.ok(r.error?.startsWith('out of order sample'));
    assert.deepEqual(result.failed, { series: 1, samples: 3, histograms: 0, exemplars: 0 });
    const warn = h.logs.find((l) => l.level === 'warn');
    assert.equal(warn?.fields?.status, 400);
    assert.match(String(warn?.fields?.error), /^out of order sample/);
  });

  test('network errors are retried until the deadline, then reported', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const h = harness({ random: () => 0.999 });
    const result = await new RemoteWriteClient(endpointFor(`http://127.0.0.1:${port}/api/v1/write`), h.options).send(
      't',
      [floatSeries('m', {}, 1)],
      { deadlineMs: h.deadline(1400) },
    );
    const [r] = result.requests;
    assert.equal(r.ok, false);
    assert.equal(r.failure, 'network');
    assert.equal(r.status, undefined);
    assert.match(r.error ?? '', /ECONNREFUSED/);
    assert.deepEqual(h.sleeps, [99, 199, 399], 'stopped when the next wait (799) would pass the deadline');
    assert.equal(r.attempts, 4);
    assert.equal(r.retries, 3);
  });

  test('nothing is sent once the deadline has passed', async () => {
    const h = harness();
    const result = await new RemoteWriteClient(endpointFor(rx.url, { maxSamplesPerSend: 1 }), h.options).send(
      't',
      [floatSeries('a', {}, 1), floatSeries('b', {}, 1)],
      { deadlineMs: h.clock.now },
    );
    assert.equal(rx.received.length, 0);
    assert.deepEqual(
      result.requests.map((r) => [r.failure, r.attempts]),
      [
        ['deadline', 0],
        ['deadline', 0],
      ],
    );
    assert.deepEqual(result.failed.samples, 2);
  });

  test('5xx retries stop at the deadline; later requests are not tried', async () => {
    const h = harness({ random: () => 0.999 });
    rx.reply(...Array.from({ length: 20 }, () => ({ status: 500, body: 'boom' })));
    const result = await new RemoteWriteClient(endpointFor(rx.url, { maxSamplesPerSend: 1 }), h.options).send(
      't',
      [floatSeries('a', {}, 1), floatSeries('b', {}, 1)],
      { deadlineMs: h.deadline(600) },
    );
    assert.deepEqual(h.sleeps, [99, 199], 'a third wait (399) would pass the deadline');
    assert.deepEqual(
      result.requests.map((r) => [r.failure, r.status, r.attempts]),
      [
        ['5xx', 500, 3],
        ['deadline', undefined, 0],
      ],
    );
    assert.equal(rx.received.length, 3);
  });

  test('a request cut short by the deadline is a deadline failure; one over remote_timeout is retried', async () => {
    const hang = createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(hang.address() as AddressInfo).port}/`;
    try {
      const h = harness();
      const cut = await new RemoteWriteClient(endpointFor(url, { remoteTimeoutMs: 5_000 }), h.options).send(
        't',
        [floatSeries('m', {}, 1)],
        { deadlineMs: h.deadline(50) },
      );
      assert.deepEqual(
        cut.requests.map((r) => [r.failure, r.attempts]),
        [['deadline', 1]],
      );

      const h2 = harness();
      const slow = await new RemoteWriteClient(endpointFor(url, { remoteTimeoutMs: 30 }), h2.options).send(
        't',
        [floatSeries('m', {}, 1)],
        { deadlineMs: h2.deadline(120) },
      );
      // 30 ms timeouts (real time) with waits of 50 and 100 (fake clock): two attempts fit
      assert.deepEqual(
        slow.requests.map((r) => [r.failure, r.attempts]),
        [['network', 2]],
      );
      assert.match(slow.requests[0].error ?? '', /remote_timeout/);
    } finally {
      hang.closeAllConnections();
      await new Promise((resolve) => hang.close(resolve));
    }
  });

  test('a configured Content-Length or Transfer-Encoding header cannot corrupt the request body', async () => {
    const h = harness();
    const endpoint = endpointFor(rx.url, { headers: { 'content-length': '3', 'Transfer-Encoding': 'chunked' } });
    const result = await new RemoteWriteClient(endpoint, h.options).send('t', [floatSeries('m', {}, 1, 2)], {
      deadlineMs: h.deadline(5_000),
    });
    assert.equal(result.ok, true);
    assert.equal(seriesOf(rx.received[0].request)[0].samples.length, 2);
  });

  test('split by max_samples_per_send into several requests, in order', async () => {
    const h = harness();
    const series = ['a', 'b', 'c', 'd', 'e'].map((n) => floatSeries(n, {}, 1, 2));
    const result = await new RemoteWriteClient(endpointFor(rx.url, { maxSamplesPerSend: 4 }), h.options).send(
      't',
      series,
      { deadlineMs: h.deadline(1000) },
    );
    assert.deepEqual(
      rx.received.map((x) => seriesOf(x.request).map((t) => t.labels.__name__)),
      [['a', 'b'], ['c', 'd'], ['e']],
    );
    assert.deepEqual(
      result.requests.map((r) => r.samples),
      [4, 4, 2],
    );
    assert.ok(result.requests.every((r) => r.bytes > 0));
    assert.deepEqual(result.delivered, { series: 5, samples: 10, histograms: 0, exemplars: 0 });
  });

  test('staleness markers arrive with their exact NaN bits', async () => {
    const h = harness();
    const marker: CollectedSeries = {
      ...floatSeries('m', {}, 1),
      samples: [{ value: staleNaN(), timestampMs: T0, stale: true }],
    };
    await new RemoteWriteClient(endpointFor(rx.url), h.options).send('t', [marker], { deadlineMs: h.deadline(1000) });
    // find Sample.value (fixed64 after tag 0x09) inside the one sample of the one series
    const raw = rx.received[0].raw;
    const r = protobuf.Reader.create(raw);
    r.uint32(); // TimeSeries tag
    const series = protobuf.Reader.create(r.bytes());
    let bits: bigint | undefined;
    while (series.pos < series.len) {
      const tag = series.uint32();
      if (tag >>> 3 !== 2) {
        series.skipType(tag & 7);
        continue;
      }
      const sample = series.bytes();
      assert.equal(sample[0], 0x09);
      bits = new DataView(sample.buffer, sample.byteOffset + 1, 8).getBigUint64(0, true);
    }
    assert.equal(bits, STALE_NAN_BITS);
  });

  test('exemplars and native histograms arrive intact', async () => {
    const h = harness();
    const withExemplar: CollectedSeries = {
      ...floatSeries('latency_bucket', { le: '+Inf' }, 3),
      exemplars: [{ labels: [{ name: 'traceID', value: 'abc123' }], value: 0.25, timestampMs: T0 }],
    };
    const native: CollectedSeries = {
      ...histogramSeries('latency', {}, nativeSample()),
      exemplars: [{ labels: [{ name: 'traceID', value: 'def456' }], value: 2, timestampMs: T0 }],
    };
    const result = await new RemoteWriteClient(endpointFor(rx.url), h.options).send('t', [withExemplar, native], {
      deadlineMs: h.deadline(1000),
    });
    assert.deepEqual(result.delivered, { series: 2, samples: 1, histograms: 1, exemplars: 2 });
    const [a, b] = seriesOf(rx.received[0].request);
    assert.deepEqual(a.exemplars, [{ labels: { traceID: 'abc123' }, value: 0.25, timestamp: BigInt(T0) }]);
    assert.equal(b.samples.length, 0);
    assert.equal(b.histograms[0].countInt, 5n);
    assert.deepEqual(b.histograms[0].positiveDeltas, [2n, -1n]);
    assert.deepEqual(
      b.exemplars.map((e) => e.labels.traceID),
      ['def456'],
    );
  });

  test('a malformed histogram is dropped and reported; the rest is sent', async () => {
    const h = harness();
    const bad = histogramSeries('latency', { service: 'bad' }, nativeSample({ positiveDeltas: [2, -1, 5] }));
    const good = histogramSeries('latency', { service: 'good' }, nativeSample());
    const result = await new RemoteWriteClient(endpointFor(rx.url), h.options).send(
      't',
      [bad, good, floatSeries('m', {}, 1)],
      { deadlineMs: h.deadline(1000) },
    );
    assert.deepEqual(
      seriesOf(rx.received[0].request).map((t) => t.labels.service ?? t.labels.__name__),
      ['good', 'm'],
    );
    assert.equal(result.dropped.length, 1);
    assert.equal(result.dropped[0].labels, bad.labels);
    assert.match(result.dropped[0].reason, /positive spans cover 2 buckets but there are 3 deltas/);
    assert.equal(result.ok, true);
    const warn = h.logs.find((l) => l.message.includes('invalid series'));
    assert.equal(warn?.fields?.dropped, 1);
  });

  test('basic auth with a password or a password file', async () => {
    const h = harness({
      readFile: async (path) => (path === '/secrets/pw' ? 's3cret\n' : Promise.reject(new Error('ENOENT'))),
    });
    const send = (e: Partial<RemoteWriteEndpoint>) =>
      new RemoteWriteClient(endpointFor(rx.url, e), h.options).send('t', [floatSeries('m', {}, 1)], {
        deadlineMs: h.deadline(1000),
      });
    await send({ basicAuth: { username: 'user', password: 'pa:ss' } });
    await send({ basicAuth: { username: 'user', passwordFile: '/secrets/pw' } });
    assert.deepEqual(
      rx.received.map((x) => x.headers.authorization),
      [
        `Basic ${Buffer.from('user:pa:ss').toString('base64')}`,
        `Basic ${Buffer.from('user:s3cret').toString('base64')}`,
      ],
    );
  });

  test('bearer token or token file; an unreadable file fails every request as auth', async () => {
    const h = harness({
      readFile: async (path) =>
        path === '/secrets/token' ? ' tok-2 \n' : Promise.reject(new Error('ENOENT: no such file')),
    });
    const send = (e: Partial<RemoteWriteEndpoint>) =>
      new RemoteWriteClient(endpointFor(rx.url, { maxSamplesPerSend: 1, ...e }), h.options).send(
        't',
        [floatSeries('a', {}, 1), floatSeries('b', {}, 1)],
        { deadlineMs: h.deadline(1000) },
      );
    await send({ bearerToken: 'tok-1' });
    await send({ bearerTokenFile: '/secrets/token' });
    assert.deepEqual(
      rx.received.map((x) => x.headers.authorization),
      ['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2', 'Bearer tok-2'],
    );
    const missing = await send({ bearerTokenFile: '/secrets/missing' });
    assert.equal(rx.received.length, 4);
    assert.deepEqual(
      missing.requests.map((r) => [r.failure, r.attempts]),
      [
        ['auth', 0],
        ['auth', 0],
      ],
    );
    assert.match(missing.requests[0].error ?? '', /bearer_token_file \/secrets\/missing: ENOENT/);
  });

  test('sigv4 signs the exact compressed body for service aps', async () => {
    const h = harness({
      sigv4Credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      env: { AWS_REGION: 'eu-central-1' },
    });
    const result = await new RemoteWriteClient(endpointFor(rx.url, { sigv4: {} }), h.options).send(
      't',
      [floatSeries('m', {}, 1)],
      { deadlineMs: h.deadline(1000) },
    );
    assert.equal(result.ok, true);
    // verify as a receiver would: from the headers and body that arrived
    const x = rx.received[0];
    const auth =
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/(\d{8})\/eu-central-1\/aps\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        x.headers.authorization ?? '',
      );
    assert.ok(auth, x.headers.authorization);
    const signedNames = auth[2].split(';');
    assert.deepEqual(signedNames, [
      'content-encoding',
      'content-type',
      'host',
      'x-amz-content-sha256',
      'x-amz-date',
      'x-prometheus-remote-write-version',
      'x-scope-orgid',
    ]);
    assert.equal(x.headers['x-amz-content-sha256'], sha256Hex(x.body));
    const expected = referenceSignature({
      method: 'POST',
      path: '/api/v1/write',
      headers: Object.fromEntries(signedNames.map((n) => [n, String(x.headers[n])])),
      payloadHash: sha256Hex(x.body),
      region: 'eu-central-1',
      service: 'aps',
      secretKey: 'secret',
      amzDate: String(x.headers['x-amz-date']),
    });
    assert.equal(auth[3], expected.signature);
  });

  test('sigv4 credentials that cannot be resolved fail the requests as auth, unsent', async () => {
    let calls = 0;
    const h = harness({
      env: { AWS_REGION: 'us-east-1' },
      sigv4Credentials: async () => {
        calls++;
        throw new Error('Could not load credentials from any providers');
      },
    });
    const result = await new RemoteWriteClient(
      endpointFor(rx.url, { sigv4: {}, maxSamplesPerSend: 1 }),
      h.options,
    ).send('t', [floatSeries('a', {}, 1), floatSeries('b', {}, 1)], { deadlineMs: h.deadline(1000) });
    assert.deepEqual(
      result.requests.map((r) => [r.failure, r.attempts]),
      [
        ['auth', 0],
        ['auth', 0],
      ],
    );
    assert.match(result.requests[1].error ?? '', /Could not load credentials/);
    assert.equal(calls, 1, 'the chain is not asked again for the next request');
    assert.equal(rx.received.length, 0);
  });

  test('sigv4 needs a region (config or AWS_REGION)', () => {
    const h = harness({ env: {} });
    assert.throws(
      () => new RemoteWriteClient(endpointFor(rx.url, { sigv4: {} }), h.options),
      /sigv4\.region is not set/,
    );
    assert.doesNotThrow(
      () =>
        new RemoteWriteClient(
          endpointFor(rx.url, { sigv4: { region: 'us-east-1', accessKey: 'a', secretKey: 'b' } }),
          h.options,
        ),
    );
  });

  test('nothing to send: no request, no secret read', async () => {
    let reads = 0;
    const h = harness({
      readFile: async () => {
        reads++;
        return 'pw';
      },
    });
    const client = new RemoteWriteClient(
      endpointFor(rx.url, { basicAuth: { username: 'u', passwordFile: '/pw' } }),
      h.options,
    );
    const result = await client.send('t', [], { deadlineMs: h.deadline(1000) });
    assert.deepEqual([result.ok, result.requests.length, reads, rx.received.length], [true, 0, 0, 0]);
  });

  test('results name the endpoint by its name, or its URL without query values; a URL with credentials is refused', () => {
    const h = harness();
    assert.equal(
      new RemoteWriteClient(endpointFor('http://127.0.0.1:9/api/v1/write?api_key=k'), h.options).name,
      'http://127.0.0.1:9/api/v1/write?api_key=REDACTED',
    );
    assert.throws(
      () => new RemoteWriteClient(endpointFor('http://user:pw@127.0.0.1:9/api/v1/write'), h.options),
      (e: Error) => !e.message.includes('pw@') && /credentials/.test(e.message),
    );
    assert.equal(new RemoteWriteClient(endpointFor(rx.url, { name: 'mimir' }), h.options).name, 'mimir');
  });

  test('rejects a deadline that is not a number (a programming error)', async () => {
    const h = harness();
    await assert.rejects(
      new RemoteWriteClient(endpointFor(rx.url), h.options).send('t', [], { deadlineMs: Number.NaN }),
      RangeError,
    );
  });
});
