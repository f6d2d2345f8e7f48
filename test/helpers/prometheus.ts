// A real Prometheus (Debian package `prometheus`) for end-to-end tests: started on 127.0.0.1 with
// the remote-write receiver and native histograms, on a random free port and a temporary TSDB.
// Missing binary: the test is skipped locally, and fails under CI=true (.ci/run installs it).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PrometheusInstance {
  readonly url: string;
  readonly writeUrl: string;
  /** Instant query at `timeSec`; returns [labels, value] pairs. */
  query(expr: string, timeSec: number): Promise<[Record<string, string>, string][]>;
  stop(): Promise<void>;
}

export function prometheusBinary(): string | undefined {
  const found = spawnSync('sh', ['-c', 'command -v prometheus'], { encoding: 'utf8' }).stdout.trim();
  return found === '' ? undefined : found;
}

/** Skip reason when the binary is missing outside CI; throws under CI=true. */
export function prometheusSkipReason(): string | undefined {
  if (prometheusBinary() !== undefined) return undefined;
  if (process.env.CI === 'true')
    throw new Error('prometheus is not on PATH (CI=true: .ci/run must install the Debian package)');
  return 'prometheus is not installed (apt-get install prometheus)';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrometheus(): Promise<PrometheusInstance> {
  const bin = prometheusBinary();
  if (bin === undefined) throw new Error('prometheus not found');
  const dir = mkdtempSync(join(tmpdir(), 'mmg-prom-'));
  writeFileSync(join(dir, 'prometheus.yml'), 'global: {scrape_interval: 1h}\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-remote-write-receiver',
      '--enable-feature=native-histograms',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`prometheus not ready after 30 s: ${stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    writeUrl: `${url}/api/v1/write`,
    async query(expr, timeSec) {
      const r = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(expr)}&time=${timeSec}`);
      const body = (await r.json()) as {
        status: string;
        error?: string;
        data: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success') throw new Error(`query ${expr}: ${body.error}`);
      return body.data.result.map((s) => [s.metric, s.value[1]]);
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
