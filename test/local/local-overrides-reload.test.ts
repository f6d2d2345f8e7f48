// Local mode re-reads per_tenant_override_config every per_tenant_override_period: one tenant's
// changed overrides change that tenant's series, a broken file changes nothing and is logged.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../lib/log/logger.ts';
import type { LocalMode } from '../../lib/local/local-mode.ts';
import { makeBatch } from '../helpers/otlp-json.ts';
import { startTestLocalMode } from '../helpers/local-mode.ts';

const MAIN = `
overrides:
  per_tenant_override_config: overrides.yaml
  per_tenant_override_period: 200ms
  defaults:
    metrics_generator:
      processors: [span-metrics]
`;
const overridesWith = (dimensionsA: string) => `
overrides:
  team-a:
    metrics_generator:
      processors: [span-metrics]
      processor:
        span_metrics:
          dimensions: ${dimensionsA}
`;

describe('local mode: runtime overrides reload', () => {
  let local: LocalMode;
  let base: string;
  let dir: string;
  const errors: string[] = [];
  const log: Logger = { info: () => {}, warn: () => {}, error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`) };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmg-reload-'));
    writeFileSync(join(dir, 'main.yaml'), MAIN);
    writeFileSync(join(dir, 'overrides.yaml'), overridesWith('[]'));
    local = await startTestLocalMode({
      log,
      configFile: join(dir, 'main.yaml'),
      env: process.env, // as local mode reads it by default
    });
    base = `http://127.0.0.1:${local.port}`;
  });
  after(() => local.stop());

  const post = async (tenant: string, service: string, region: string) => {
    const body = makeBatch(1, { name: 'op', attributes: { region } }, { 'service.name': service }).replace(
      /"17000000\d{11}"/g,
      () => `"${BigInt(Date.now()) * 1_000_000n}"`,
    );
    const res = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Scope-OrgID': tenant },
      body,
    });
    assert.equal(res.status, 200);
  };
  /** Posts until the exposition matches (the reload happens within the period), at most ~5 s. */
  const postUntil = async (tenant: string, service: string, region: string, wanted: RegExp): Promise<string> => {
    let text = '';
    for (let i = 0; i < 25 && !wanted.test(text); i++) {
      await post(tenant, service, region);
      await new Promise((r) => setTimeout(r, 200));
      text = local.metricsText();
    }
    return text;
  };

  test('a changed tenant entry changes that tenant only; a broken file is refused and logged', async () => {
    let text = await postUntil('team-a', 'svc-a', 'eu', /traces_spanmetrics_calls_total\{service="svc-a",/);
    assert.match(text, /traces_spanmetrics_calls_total\{service="svc-a",/);
    assert.doesNotMatch(text, /region=/, 'no dimension configured yet');
    await post('team-b', 'svc-b', 'eu');

    writeFileSync(join(dir, 'overrides.yaml'), overridesWith('[region]'));
    text = await postUntil('team-a', 'svc-a', 'eu', /traces_spanmetrics_calls_total\{region="eu",service="svc-a",/);
    assert.match(text, /traces_spanmetrics_calls_total\{region="eu",service="svc-a",/);
    // Series already built keep their label set (they go stale as usual); team-b is untouched.
    assert.match(text, /traces_spanmetrics_calls_total\{service="svc-a",span_kind/);
    text = await postUntil('team-b', 'svc-b', 'eu', /calls_total\{service="svc-b"[^}]*\} [2-9]/);
    assert.doesNotMatch(text, /region="eu",service="svc-b"/);

    writeFileSync(join(dir, 'overrides.yaml'), overridesWith('5'));
    // the refusal comes at the next check (within the period), not with the next span
    for (let i = 0; i < 50 && !errors.some((e) => /config change refused/.test(e)); i++)
      await new Promise((r) => setTimeout(r, 100));
    text = await postUntil('team-a', 'svc-a', 'us', /region="us",service="svc-a"/);
    assert.match(
      text,
      /traces_spanmetrics_calls_total\{region="us",service="svc-a",/,
      'the last good overrides stay in force',
    );
    assert.ok(
      errors.some((e) => /config change refused/.test(e) && /dimensions/.test(e)),
      errors.join('\n'),
    );
  });
});
