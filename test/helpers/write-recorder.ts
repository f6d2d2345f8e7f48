// A remote-write endpoint on an ephemeral port that keeps the latest sample value per tenant and
// series, the series named as exposition text (`name{label="value",...}`, labels sorted).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WriteRequest } from '../../lib/proto/index.ts';
import { decompress } from '../../lib/remote-write/compress.ts';

export interface WriteRecorder {
  readonly url: string;
  /** The latest value of `series` sent by any tenant, or by `tenant`. */
  latest(series: string, tenant?: string): number | undefined;
  /** Tenant -> latest value of `series`. */
  latestByTenant(series: string): Map<string, number>;
  close(): Promise<void>;
}

export async function startWriteRecorder(onRequest: () => void = () => {}): Promise<WriteRecorder> {
  const latest = new Map<string, Map<string, number>>(); // series -> tenant -> value
  const lastTenant = new Map<string, string>(); // series -> the tenant that sent it last
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const tenant = String(req.headers['x-scope-orgid']);
      for (const ts of WriteRequest.decode(decompress(Buffer.concat(chunks))).timeseries) {
        const { __name__: name, ...rest } = Object.fromEntries((ts.labels ?? []).map((l) => [l.name, l.value]));
        const labels = Object.keys(rest)
          .sort()
          .map((k) => `${k}="${rest[k]}"`)
          .join(',');
        const series = `${name}{${labels}}`;
        const byTenant = latest.get(series) ?? new Map<string, number>();
        for (const s of ts.samples ?? []) {
          byTenant.set(tenant, Number(s.value));
          lastTenant.set(series, tenant);
        }
        latest.set(series, byTenant);
      }
      onRequest();
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/write`,
    latest: (series, tenant) => {
      const from = tenant ?? lastTenant.get(series);
      return from === undefined ? undefined : latest.get(series)?.get(from);
    },
    latestByTenant: (series) => new Map(latest.get(series) ?? []),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
