import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { LocalMode } from '../../lib/local/local-mode.ts';
import { MAX_BODY_BYTES } from '../../lib/local/otlp-receiver.ts';
import { makeBatch } from '../helpers/otlp-json.ts';
import { startTestLocalMode } from '../helpers/local-mode.ts';

describe('local mode', () => {
  let local: LocalMode;
  let base: string;
  before(async () => {
    local = await startTestLocalMode({
      demo: true,
      partitions: 3,
      batchWindowMs: 200,
      env: process.env, // as local mode reads it by default
    });
    base = `http://127.0.0.1:${local.port}`;
  });
  after(() => local.stop());

  /** /metrics once it mentions `fragment` (polled for up to 10 s), or the last text read. */
  async function metricsOnceTheyShow(fragment: string): Promise<string> {
    let text = '';
    for (let i = 0; i < 50 && !text.includes(fragment); i++) {
      await new Promise((r) => setTimeout(r, 200));
      text = await (await fetch(`${base}/metrics`)).text();
    }
    return text;
  }

  test('demo traffic shows span metrics, service-graph edges and host info on /metrics', async () => {
    const wanted = [
      'traces_spanmetrics_calls_total{',
      'traces_service_graph_request_total{client="frontend"',
      'traces_host_info{grafana_host_id="node-a"',
    ];
    let text = '';
    for (let i = 0; i < 100 && !wanted.every((w) => text.includes(w)); i++) {
      await new Promise((r) => setTimeout(r, 200));
      text = await (await fetch(`${base}/metrics`)).text();
    }
    for (const w of wanted) assert.ok(text.includes(w), `missing ${w} in:\n${text.slice(0, 2000)}`);
    assert.match(
      text,
      /traces_service_graph_request_total\{client="checkout",connection_type="database",server="shop"\} \d+/,
    );
  });

  test('OTLP JSON is accepted and counted under its tenant', async () => {
    const res = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Scope-OrgID': 'team-json' },
      // the helper's spans start at 2023-11-14 and last 1 s: move them to now (ingestion slack)
      body: makeBatch(3, { name: 'json-span' }, { 'service.name': 'json-svc' }).replace(
        /"17000000\d{11}"/g,
        () => `"${BigInt(Date.now()) * 1_000_000n}"`,
      ),
    });
    assert.equal(res.status, 200);
    const text = await metricsOnceTheyShow('json-span');
    assert.match(
      text,
      /traces_spanmetrics_calls_total\{service="json-svc",span_kind="SPAN_KIND_CLIENT",span_name="json-span",status_code="STATUS_CODE_OK"\} 3/,
    );
  });

  test('gzip bodies (the OTel Collector otlphttp default) are accepted', async () => {
    const json = makeBatch(2, { name: 'gzip-span' }, { 'service.name': 'gzip-svc' }).replace(
      /"17000000\d{11}"/g,
      () => `"${BigInt(Date.now()) * 1_000_000n}"`,
    );
    const res = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(json),
    });
    assert.equal(res.status, 200);
    const text = await metricsOnceTheyShow('gzip-span');
    assert.match(
      text,
      /traces_spanmetrics_calls_total\{service="gzip-svc",span_kind="SPAN_KIND_CLIENT",span_name="gzip-span",status_code="STATUS_CODE_OK"\} 2/,
    );
  });

  test('bad gzip 400, gzip over the limit once inflated 413, unknown encodings 415', async () => {
    const post = (body: Uint8Array, encoding: string) =>
      fetch(`${base}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', 'content-encoding': encoding },
        body,
      });
    const bad = await post(new Uint8Array([1, 2, 3]), 'gzip');
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /bad gzip body/);
    const bomb = gzipSync(new Uint8Array(MAX_BODY_BYTES + 1));
    assert.ok(bomb.length < MAX_BODY_BYTES);
    assert.equal((await post(bomb, 'gzip')).status, 413);
    const br = await post(new Uint8Array([1]), 'br');
    assert.equal(br.status, 415);
    assert.match(await br.text(), /unsupported content-encoding "br"/);
  });

  test('bad requests get 400 with a message, oversize bodies 413, and the process keeps running', async () => {
    const bad = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array([0x0a, 0xff, 0xff]),
    });
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /bad OTLP request/);
    const badJson = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"resourceSpans": 5}',
    });
    assert.equal(badJson.status, 400);
    const big = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array(MAX_BODY_BYTES + 1),
    });
    assert.equal(big.status, 413);
    const type = await fetch(`${base}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    });
    assert.equal(type.status, 415);
    assert.equal((await fetch(`${base}/metrics`)).status, 200);
  });
});
