// A throw-away PKI for TLS tests, made with the openssl CLI in a temp directory: a CA, a server
// certificate (127.0.0.1, localhost, prom.internal) and a client certificate, all signed by the CA;
// plus a second CA nobody uses (to show that trust comes from the configured one).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  readonly dir: string;
  readonly caFile: string;
  readonly otherCaFile: string;
  readonly serverCert: string;
  readonly serverKey: string;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
}

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function ca(dir: string, name: string): void {
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.pem`,
  );
}

function leaf(dir: string, name: string, ext: string): void {
  openssl(
    dir,
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
  );
  writeFileSync(join(dir, `${name}.ext`), ext);
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    `${name}.ext`,
    '-out',
    `${name}.pem`,
  );
}

let cached: Pki | undefined;

/** The PKI, made once per test process. */
export function testPki(): Pki {
  if (cached !== undefined) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'mmg-pki-'));
  ca(dir, 'ca');
  ca(dir, 'other-ca');
  leaf(dir, 'server', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:prom.internal\nextendedKeyUsage=serverAuth\n');
  leaf(dir, 'client', 'extendedKeyUsage=clientAuth\n');
  cached = {
    dir,
    caFile: join(dir, 'ca.pem'),
    otherCaFile: join(dir, 'other-ca.pem'),
    serverCert: readFileSync(join(dir, 'server.pem'), 'utf8'),
    serverKey: readFileSync(join(dir, 'server.key'), 'utf8'),
    clientCertFile: join(dir, 'client.pem'),
    clientKeyFile: join(dir, 'client.key'),
  };
  return cached;
}

export interface SeenRequest {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /** CN of the client certificate, when one was presented. */
  readonly clientCn?: string;
}

export interface HttpsServer {
  readonly port: number;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

export interface HttpsServerOptions {
  /** Require a client certificate signed by the test CA (mTLS). */
  readonly requireClientCert?: boolean;
  readonly maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Answer (default 204, empty). */
  readonly respond?: (req: SeenRequest) => { status: number; body?: string; headers?: Record<string, string> };
}

/** An HTTPS server with the test PKI's server certificate on 127.0.0.1. */
export async function startHttpsServer(opts: HttpsServerOptions = {}): Promise<HttpsServer> {
  const pki = testPki();
  const seen: SeenRequest[] = [];
  const server: Server = createServer(
    {
      cert: pki.serverCert,
      key: pki.serverKey,
      ca: readFileSync(pki.caFile),
      requestCert: opts.requireClientCert === true,
      rejectUnauthorized: opts.requireClientCert === true,
      ...(opts.maxVersion !== undefined && { maxVersion: opts.maxVersion }),
    },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        const cn =
          peer !== null && typeof peer === 'object' && 'subject' in peer && peer.subject !== undefined
            ? String(peer.subject.CN)
            : undefined;
        const r: SeenRequest = {
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks),
          ...(cn !== undefined && { clientCn: cn }),
        };
        seen.push(r);
        const answer = opts.respond?.(r) ?? { status: 204 };
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
