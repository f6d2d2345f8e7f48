// An https agent whose connections go through an HTTP proxy: CONNECT host:port, then TLS to the
// target over the tunnel (as Go's transport does for https targets behind proxy_url). The proxy
// itself may be reached over http or https.

import { connect as netConnect, type Socket } from 'node:net';
import { Agent as HttpsAgent, type AgentOptions, type RequestOptions } from 'node:https';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type ConnectionOptions } from 'node:tls';

/** A proxy's answer to CONNECT larger than this is refused (it has no body; only headers). */
const MAX_CONNECT_RESPONSE = 16 * 1024;

/** Proxy-Authorization for a proxy URL with user-info (`http://user:pass@proxy:3128`), as Go sends it. */
export function proxyAuthorization(proxy: URL): string | undefined {
  if (proxy.username === '' && proxy.password === '') return undefined;
  const user = decodeURIComponent(proxy.username);
  const pass = decodeURIComponent(proxy.password);
  return `Basic ${Buffer.from(`${user}:${pass}`, 'utf8').toString('base64')}`;
}

type Callback = (err: Error | null, stream: Duplex) => void;

export class TunnelAgent extends HttpsAgent {
  constructor(
    private readonly proxy: URL,
    private readonly connectHeaders: Readonly<Record<string, string>>,
    options: AgentOptions,
  ) {
    super(options);
  }

  /** Node's agent calls this with a callback when the connection is made asynchronously. */
  override createConnection(requestOptions: RequestOptions, callback?: Callback): undefined {
    const options = requestOptions as ConnectionOptions & { host?: string; port?: number };
    const host = options.host ?? 'localhost';
    const port = Number(options.port ?? 443);
    if (callback === undefined) throw new Error('TunnelAgent connects asynchronously only');
    openTunnel(this.proxy, host, port, this.connectHeaders).then(
      (raw) => {
        const secure = tlsConnect({
          ...options,
          socket: raw,
          servername: options.servername ?? (isHostname(host) ? host : undefined),
        });
        callback(null, secure);
      },
      (err: Error) => callback(err, undefined as unknown as Duplex),
    );
    return undefined;
  }
}

function isHostname(host: string): boolean {
  return !/^[\d.]+$/.test(host) && !host.includes(':');
}

/** A socket to `host:port` through the proxy; rejects when the proxy refuses (status named, nothing else). */
export function openTunnel(
  proxy: URL,
  host: string,
  port: number,
  connectHeaders: Readonly<Record<string, string>>,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80));
    const socket: Socket =
      proxy.protocol === 'https:'
        ? tlsConnect({
            host: proxy.hostname,
            port: proxyPort,
            servername: isHostname(proxy.hostname) ? proxy.hostname : undefined,
          })
        : netConnect({ host: proxy.hostname, port: proxyPort });
    const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
    const auth = proxyAuthorization(proxy);
    if (auth !== undefined) lines.push(`Proxy-Authorization: ${auth}`);
    for (const [name, value] of Object.entries(connectHeaders)) lines.push(`${name}: ${value}`);
    let received = Buffer.alloc(0);
    const fail = (err: Error) => {
      socket.destroy();
      reject(err);
    };
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const end = received.indexOf('\r\n\r\n');
      if (end < 0) {
        if (received.length > MAX_CONNECT_RESPONSE) fail(new Error('proxy: CONNECT response headers too large'));
        return;
      }
      socket.off('data', onData);
      socket.off('error', fail);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received.subarray(0, end).toString('latin1'));
      if (status === null || status[1] !== '200') {
        fail(new Error(`proxy refused CONNECT with ${status === null ? 'a malformed answer' : `status ${status[1]}`}`));
        return;
      }
      const rest = received.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve(socket);
    };
    socket.on('error', fail);
    socket.on('data', onData);
    socket.once(proxy.protocol === 'https:' ? 'secureConnect' : 'connect', () =>
      socket.write(`${lines.join('\r\n')}\r\n\r\n`),
    );
  });
}
