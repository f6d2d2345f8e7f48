// proxy_url, no_proxy and proxy_from_environment: a local forward proxy written here (absolute-form
// requests for http targets, CONNECT tunnels for https ones) between the client and real receivers.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { RemoteWriteClient } from '../../lib/remote-write/index.ts';
import { proxyFor, useProxy } from '../../lib/remote-write/proxy.ts';
import type { ProxySettings } from '../../lib/remote-write/endpoint.ts';
import { endpointFor, startReceiver, type Receiver } from './receiver.ts';
import { floatSeries } from './fixtures.ts';
import { startHttpsServer, testPki, type HttpsServer } from './tls-fixtures.ts';

interface ProxySeen {
  readonly kind: 'forward' | 'connect';
  readonly target: string;
  readonly proxyAuthorization?: string;
  readonly team?: string;
}

const seen: ProxySeen[] = [];
let proxy: Server;
let proxyUrl: string;
let plain: Receiver;
let secure: HttpsServer;

before(async () => {
  proxy = createServer((req, res) => {
    // absolute-form: forward to the named origin
    const target = new URL(req.url ?? '');
    seen.push({
      kind: 'forward',
      target: target.href,
      proxyAuthorization: req.headers['proxy-authorization'],
      team: req.headers['x-proxy-team'] as string | undefined,
    });
    const origin = new URL(target);
    if (origin.hostname === 'prom.example') origin.hostname = '127.0.0.1'; // a name only this proxy knows
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    const out = request(origin, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(out);
  });
  proxy.on('connect', (req, socket, head) => {
    seen.push({
      kind: 'connect',
      target: req.url ?? '',
      proxyAuthorization: req.headers['proxy-authorization'],
      team: req.headers['x-proxy-team'] as string | undefined,
    });
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  testPki();
  [plain, secure] = await Promise.all([startReceiver(), startHttpsServer()]);
});
after(async () => {
  proxy.closeAllConnections();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await Promise.all([plain.close(), secure.close()]);
});

const silent = { info() {}, warn() {}, error() {} };

function send(url: string, proxySettings: ProxySettings, tls = false) {
  const endpoint = endpointFor(url, {
    proxy: proxySettings,
    ...(tls && { tls: { caFile: testPki().caFile, insecureSkipVerify: false } }),
  });
  return new RemoteWriteClient(endpoint, { addOrgIdHeader: false, logger: silent }).send(
    'single-tenant',
    [floatSeries('up', {}, 1)],
    { deadlineMs: Date.now() + 3_000 },
  );
}

test('proxy_url: an http target is requested through the proxy in absolute form, with the user-info as Proxy-Authorization', async () => {
  seen.length = 0;
  const withAuth = proxyUrl.replace('http://', 'http://gen:s%40cret@');
  const r = await send(plain.url, { url: withAuth, fromEnvironment: false, connectHeaders: { 'X-Proxy-Team': 'obs' } });
  assert.equal(r.ok, true, JSON.stringify(r.requests));
  assert.equal(plain.received.length, 1);
  assert.deepEqual(seen, [
    {
      kind: 'forward',
      target: plain.url,
      proxyAuthorization: `Basic ${Buffer.from('gen:s@cret').toString('base64')}`,
      team: 'obs',
    },
  ]);
});

test('proxy_url: an https target goes through a CONNECT tunnel, TLS end to end with the receiver', async () => {
  seen.length = 0;
  const before = secure.seen.length;
  const r = await send(
    `https://127.0.0.1:${secure.port}/api/v1/write`,
    { url: proxyUrl, fromEnvironment: false, connectHeaders: { 'X-Proxy-Team': 'obs' } },
    true,
  );
  assert.equal(r.ok, true, JSON.stringify(r.requests));
  assert.equal(secure.seen.length, before + 1);
  assert.deepEqual(seen, [
    { kind: 'connect', target: `127.0.0.1:${secure.port}`, proxyAuthorization: undefined, team: 'obs' },
  ]);
});

test('no_proxy: with it set, loopback targets and matching hosts are sent directly (Go httpproxy rules)', async () => {
  seen.length = 0;
  const r = await send(plain.url, {
    url: proxyUrl,
    noProxy: 'unrelated.example',
    fromEnvironment: false,
    connectHeaders: {},
  });
  assert.equal(r.ok, true);
  assert.deepEqual(seen, [], 'loopback is never proxied once no_proxy is set');
  const u = (s: string) => new URL(s);
  assert.equal(useProxy(u('https://prom.example.com/w'), 'example.com'), false, 'a domain matches itself');
  assert.equal(useProxy(u('https://a.b.example.com/w'), 'example.com'), false, 'and its subdomains');
  assert.equal(useProxy(u('https://example.com/w'), '.example.com'), true, 'a leading dot matches subdomains only');
  assert.equal(useProxy(u('https://x.example.com/w'), '*.example.com'), false);
  assert.equal(useProxy(u('https://notexample.com/w'), 'example.com'), true);
  assert.equal(useProxy(u('https://10.1.2.3/w'), '10.0.0.0/8'), false, 'CIDR');
  assert.equal(useProxy(u('https://10.1.2.3/w'), '10.1.2.3'), false, 'IP');
  assert.equal(useProxy(u('https://prom.example.com:9443/w'), 'prom.example.com:443'), true, 'port must match');
  assert.equal(useProxy(u('https://prom.example.com/w'), 'prom.example.com:443'), false, 'default port');
  assert.equal(useProxy(u('https://anything/w'), '*'), false);
  assert.equal(useProxy(u('https://localhost:1/w'), ''), false);
});

test('proxy_from_environment: HTTPS_PROXY for https, HTTP_PROXY for http (not under CGI), NO_PROXY, scheme-less values', () => {
  const settings: ProxySettings = { fromEnvironment: true, connectHeaders: {} };
  const env = { HTTPS_PROXY: 'secure-proxy:3128', http_proxy: 'http://plain-proxy:3128', NO_PROXY: 'internal.example' };
  assert.equal(proxyFor(new URL('https://prom.example/w'), settings, env)?.href, 'http://secure-proxy:3128/');
  assert.equal(proxyFor(new URL('http://prom.example/w'), settings, env)?.href, 'http://plain-proxy:3128/');
  assert.equal(proxyFor(new URL('http://prom.example/w'), settings, { ...env, REQUEST_METHOD: 'GET' }), undefined);
  assert.equal(proxyFor(new URL('https://prom.internal.example/w'), settings, env), undefined);
  assert.equal(proxyFor(new URL('https://prom.example/w'), settings, {}), undefined);
  assert.equal(
    proxyFor(new URL('https://127.0.0.1/w'), { url: 'http://p:1', fromEnvironment: false, connectHeaders: {} }, {})
      ?.host,
    'p:1',
    'proxy_url alone proxies everything',
  );
});

test('proxy_from_environment end to end: HTTP_PROXY from the environment carries the request', async () => {
  seen.length = 0;
  const saved = process.env.HTTP_PROXY;
  process.env.HTTP_PROXY = proxyUrl;
  try {
    // loopback targets are never proxied from the environment: name one the test proxy maps to the receiver
    const port = new URL(plain.url).port;
    const r = await send(`http://prom.example:${port}/api/v1/write`, { fromEnvironment: true, connectHeaders: {} });
    assert.equal(r.ok, true, JSON.stringify(r.requests));
    assert.deepEqual(
      seen.map((x) => x.target),
      [`http://prom.example:${port}/api/v1/write`],
    );
  } finally {
    if (saved === undefined) delete process.env.HTTP_PROXY;
    else process.env.HTTP_PROXY = saved;
  }
});
