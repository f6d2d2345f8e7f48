// Which proxy, if any, a request goes through: proxy_url (with no_proxy) or the environment
// (proxy_from_environment), with the rules of Go's golang.org/x/net/http/httpproxy that
// Prometheus uses (prometheus/common config/http_config.go, ProxyConfig.Proxy):
//   - proxy_url without no_proxy: every request goes through the proxy;
//   - with no_proxy, or from the environment: never for localhost or a loopback address; not for
//     a host matching a NO_PROXY entry: `*`, an IP, a CIDR, `domain` (itself and its subdomains),
//     `.domain` or `*.domain` (subdomains), each optionally with `:port`;
//   - the environment: HTTPS_PROXY for https targets, HTTP_PROXY for http ones (upper case
//     first, then lower case); HTTP_PROXY is ignored when REQUEST_METHOD is set (CGI);
//     a value without a scheme is taken as http://.

import { BlockList, isIP } from 'node:net';
import type { ProxySettings } from './endpoint.ts';

type Env = Readonly<Record<string, string | undefined>>;

/** The proxy for `target`, or undefined to connect directly. */
export function proxyFor(target: URL, settings: ProxySettings | undefined, env: Env = process.env): URL | undefined {
  if (settings === undefined) return undefined;
  if (settings.fromEnvironment) {
    const https = target.protocol === 'https:';
    const raw = https
      ? envValue(env, 'HTTPS_PROXY')
      : env.REQUEST_METHOD !== undefined
        ? undefined
        : envValue(env, 'HTTP_PROXY');
    if (raw === undefined) return undefined;
    if (!useProxy(target, envValue(env, 'NO_PROXY') ?? '')) return undefined;
    return parseProxyUrl(raw);
  }
  if (settings.url === undefined) return undefined;
  if (settings.noProxy !== undefined && !useProxy(target, settings.noProxy)) return undefined;
  return new URL(settings.url);
}

function envValue(env: Env, name: string): string | undefined {
  const v = env[name] ?? env[name.toLowerCase()];
  return v === undefined || v === '' ? undefined : v;
}

function parseProxyUrl(raw: string): URL | undefined {
  try {
    const u = new URL(raw);
    if (u.protocol === 'http:' || u.protocol === 'https:') return u;
  } catch {
    // no scheme: as Go, take it as an http proxy
  }
  try {
    return new URL(`http://${raw}`);
  } catch {
    return undefined;
  }
}

function defaultPort(target: URL): string {
  return target.port !== '' ? target.port : target.protocol === 'https:' ? '443' : '80';
}

/** False when `target` is exempt from proxying under `noProxy`. */
export function useProxy(target: URL, noProxy: string): boolean {
  const host = unbracket(target.hostname.toLowerCase());
  const port = defaultPort(target);
  if (host === 'localhost') return false;
  const family = isIP(host);
  if (family !== 0 && isLoopback(host, family)) return false;
  for (const rawEntry of noProxy.split(',')) {
    const entry = rawEntry.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return false;
    if (entry.includes('/')) {
      if (family !== 0 && inCidr(host, family, entry)) return false;
      continue;
    }
    const { host: entryHost, port: entryPort } = splitHostPort(entry);
    if (entryPort !== '' && entryPort !== port) continue;
    if (isIP(entryHost) !== 0) {
      if (family !== 0 && sameIp(host, entryHost)) return false;
      continue;
    }
    if (entryHost === '') continue;
    let domain = entryHost.startsWith('*.') ? entryHost.slice(1) : entryHost;
    const matchesItself = !domain.startsWith('.');
    if (matchesItself) domain = `.${domain}`;
    if (host.endsWith(domain) || (matchesItself && host === domain.slice(1))) return false;
  }
  return true;
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function splitHostPort(entry: string): { host: string; port: string } {
  if (entry.startsWith('[')) {
    const end = entry.indexOf(']');
    const rest = entry.slice(end + 1);
    return { host: entry.slice(1, end), port: rest.startsWith(':') ? rest.slice(1) : '' };
  }
  const colons = entry.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = entry.split(':');
    return { host, port };
  }
  return { host: entry, port: '' };
}

function isLoopback(ip: string, family: number): boolean {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  list.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

function inCidr(ip: string, family: number, cidr: string): boolean {
  const [net, bits] = cidr.split('/');
  const netFamily = isIP(net);
  const prefix = Number(bits);
  if (netFamily === 0 || !Number.isInteger(prefix)) return false;
  const list = new BlockList();
  try {
    list.addSubnet(net, prefix, netFamily === 4 ? 'ipv4' : 'ipv6');
  } catch {
    return false;
  }
  return list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

function sameIp(a: string, b: string): boolean {
  const list = new BlockList();
  const family = isIP(b) === 4 ? 'ipv4' : 'ipv6';
  list.addAddress(b, family);
  return list.check(a, isIP(a) === 4 ? 'ipv4' : 'ipv6');
}
