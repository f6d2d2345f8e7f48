// `local` as a user runs it: the real CLI in a child process.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

const BIN = new URL('../../bin/msk-metrics-generator.js', import.meta.url).pathname;

/** Runs the CLI; resolves with its exit code and output, or with code null if it outlives `ms`. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  ms: number,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve({ code: null, out });
    }, ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe('local command', () => {
  test('a port in use: exits 2 at once with a clear error (nothing it started keeps it alive)', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (busy.address() as AddressInfo).port;
      const { code, out } = await runCli(['local', '--port', String(port), '--no-demo'], {}, 20_000);
      assert.equal(
        code,
        2,
        `exit code (null: still running after 20 s, so something it started kept it alive)\n${out}`,
      );
      assert.match(out, new RegExp(`port ${port} is in use`));
    } finally {
      busy.close();
    }
  });
});
