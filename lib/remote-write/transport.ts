// How one endpoint's requests reach it: the TLS settings (tls_config) and the proxy. The PEM
// files are read on every send through the endpoint's secret reader (so a `*_file` may be a
// `secretsmanager:` reference in Lambda) and a changed CA, certificate or key takes effect on the
// next send, as Prometheus reloads them; connections are reused while nothing changed.

import { createHash } from 'node:crypto';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type AgentOptions } from 'node:https';
import type { ProxySettings, TlsSettings } from './endpoint.ts';
import { proxyFor } from './proxy.ts';
import { proxyAuthorization, TunnelAgent } from './tunnel.ts';

/**
 * Idle connections are closed after this (as undici, behind fetch, does by default): a receiver or
 * a load balancer may drop an idle one first, and reusing it would cost a failed try and a retry.
 */
export const IDLE_SOCKET_MS = 4_000;

/** Where one request goes: the agent, and for plain http through a proxy, that proxy. */
export interface Route {
  readonly agent: HttpAgent;
  /** Set for an http target behind a proxy: the request is sent to the proxy with the absolute URL. */
  readonly viaProxy?: { readonly url: URL; readonly headers: Readonly<Record<string, string>> };
}

export type RouteFn = (target: URL) => Promise<Route>;

/** A TLS file (CA, certificate, key) could not be read: a setup fault, not worth a retry within the send. */
export class TransportSetupError extends Error {
  override readonly name = 'TransportSetupError';
}

const sharedHttp = new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });
const sharedHttps = new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS });

/** The default route: direct, shared keep-alive agents, the system's trusted CAs. */
export const directRoute: RouteFn = async (target) => ({
  agent: target.protocol === 'https:' ? sharedHttps : sharedHttp,
});

interface Material {
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

export class EndpointTransport {
  private agents = new Map<string, HttpAgent>();
  private materialKey = '';

  constructor(
    private readonly tls: TlsSettings | undefined,
    private readonly proxy: ProxySettings | undefined,
    private readonly readSecret: (path: string) => Promise<string>,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {}

  /** The route function, or the shared direct one when neither TLS settings nor a proxy are configured. */
  static routeFor(
    tls: TlsSettings | undefined,
    proxy: ProxySettings | undefined,
    readSecret: (path: string) => Promise<string>,
  ): RouteFn {
    if (tls === undefined && proxy === undefined) return directRoute;
    const transport = new EndpointTransport(tls, proxy, readSecret);
    return (target) => transport.route(target);
  }

  /** Rejects, naming the setting, when a PEM file cannot be read. */
  async route(target: URL): Promise<Route> {
    const material = await this.material();
    const proxy = proxyFor(target, this.proxy, this.env);
    const https = target.protocol === 'https:';
    if (proxy !== undefined && !https) {
      const headers: Record<string, string> = { ...(this.proxy?.connectHeaders ?? {}) };
      const auth = proxyAuthorization(proxy);
      if (auth !== undefined) headers['Proxy-Authorization'] = auth;
      const agent = this.agent(`plain-via:${proxy.protocol}`, () =>
        proxy.protocol === 'https:'
          ? new HttpsAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS })
          : new HttpAgent({ keepAlive: true, timeout: IDLE_SOCKET_MS }),
      );
      return { agent, viaProxy: { url: proxy, headers } };
    }
    if (!https) return { agent: sharedHttp };
    const options = this.tlsOptions(material);
    if (proxy !== undefined) {
      return {
        agent: this.agent(
          `tunnel:${proxy.href}`,
          () => new TunnelAgent(proxy, this.proxy?.connectHeaders ?? {}, options),
        ),
      };
    }
    return { agent: this.agent('direct', () => new HttpsAgent(options)) };
  }

  private agent(key: string, make: () => HttpAgent): HttpAgent {
    let agent = this.agents.get(key);
    if (agent === undefined) {
      agent = make();
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** Reads the PEM files; when any content changed, the agents (and their connections) are replaced. */
  private async material(): Promise<Material> {
    const t = this.tls;
    if (t === undefined) return {};
    const material: Material = {
      ca: t.caFile !== undefined ? await this.pem(t.caFile, 'tls_config.ca_file') : t.ca,
      cert: t.certFile !== undefined ? await this.pem(t.certFile, 'tls_config.cert_file') : t.cert,
      key: t.keyFile !== undefined ? await this.pem(t.keyFile, 'tls_config.key_file') : t.key,
    };
    const key = createHash('sha256').update(JSON.stringify(material)).digest('hex');
    if (key !== this.materialKey) {
      for (const agent of this.agents.values()) agent.destroy();
      this.agents = new Map();
      this.materialKey = key;
    }
    return material;
  }

  private async pem(path: string, setting: string): Promise<string> {
    try {
      return await this.readSecret(path);
    } catch (err) {
      throw new TransportSetupError(`${setting} ${path}: ${(err as Error).message}`);
    }
  }

  private tlsOptions(m: Material): AgentOptions {
    const t = this.tls;
    return {
      keepAlive: true,
      timeout: IDLE_SOCKET_MS,
      ...(m.ca !== undefined && { ca: m.ca }),
      ...(m.cert !== undefined && { cert: m.cert }),
      ...(m.key !== undefined && { key: m.key }),
      ...(t?.serverName !== undefined && { servername: t.serverName }),
      ...(t?.insecureSkipVerify === true && { rejectUnauthorized: false }),
      // Prometheus' default minimum is TLS 1.2
      minVersion: t?.minVersion ?? 'TLSv1.2',
      ...(t?.maxVersion !== undefined && { maxVersion: t.maxVersion }),
    };
  }
}
