// sigv4.role_arn against a local HTTP server speaking STS AssumeRole (query protocol, XML answer):
// the receiver sees requests signed with the assumed session, renewed before it expires.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RemoteWriteClient } from '../../lib/remote-write/index.ts';
import { assumedRoleCredentials, REFRESH_BEFORE_MS } from '../../lib/remote-write/assume-role.ts';
import { endpointFor, startReceiver, type Receiver } from './receiver.ts';
import { floatSeries } from './fixtures.ts';
import { Clock } from '../helpers/clock.ts';

const ROLE = 'arn:aws:iam::123456789012:role/amp-writer';
const calls: { form: Record<string, string>; authorization: string }[] = [];
let expiresAt = () => new Date(Date.now() + 3_600_000);
let sts: Server;
let stsUrl: string;
let rx: Receiver;

function assumeRoleXml(n: number): string {
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAASSUMED${n}</AccessKeyId>
      <SecretAccessKey>assumed-secret-${n}</SecretAccessKey>
      <SessionToken>session-token-${n}</SessionToken>
      <Expiration>${expiresAt().toISOString()}</Expiration>
    </Credentials>
    <AssumedRoleUser><AssumedRoleId>AROA:msk-metrics-generator</AssumedRoleId><Arn>${ROLE}/msk-metrics-generator</Arn></AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>req-${n}</RequestId></ResponseMetadata>
</AssumeRoleResponse>`;
}

before(async () => {
  sts = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      calls.push({
        form: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString())),
        authorization: String(req.headers.authorization),
      });
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(assumeRoleXml(calls.length));
    });
  });
  await new Promise<void>((resolve) => sts.listen(0, '127.0.0.1', resolve));
  stsUrl = `http://127.0.0.1:${(sts.address() as AddressInfo).port}`;
  rx = await startReceiver();
});
after(async () => {
  sts.closeAllConnections();
  await new Promise<void>((resolve) => sts.close(() => resolve()));
  await rx.close();
});

test('sigv4.role_arn: the base credentials assume the role; requests are signed with the session (token included)', async () => {
  calls.length = 0;
  rx.reset();
  const endpoint = endpointFor(rx.url, {
    sigv4: { region: 'eu-west-1', roleArn: ROLE, accessKey: 'AKIDBASE', secretKey: 'base-secret' },
  });
  const client = new RemoteWriteClient(endpoint, {
    addOrgIdHeader: false,
    logger: { info() {}, warn() {}, error() {} },
    stsEndpoint: stsUrl,
  });
  const r = await client.send('single-tenant', [floatSeries('up', {}, 1)], { deadlineMs: Date.now() + 5_000 });
  assert.equal(r.ok, true, JSON.stringify(r.requests));
  assert.equal(calls.length, 1);
  assert.equal(calls[0].form.Action, 'AssumeRole');
  assert.equal(calls[0].form.RoleArn, ROLE);
  assert.equal(calls[0].form.RoleSessionName, 'msk-metrics-generator');
  assert.match(calls[0].authorization, /Credential=AKIDBASE\/\d{8}\/eu-west-1\/sts\/aws4_request/);
  const h = rx.received[0].headers;
  assert.match(String(h.authorization), /Credential=ASIAASSUMED1\/\d{8}\/eu-west-1\/aps\/aws4_request/);
  assert.equal(h['x-amz-security-token'], 'session-token-1');
  // the session is reused while valid
  await client.send('single-tenant', [floatSeries('up', {}, 2)], { deadlineMs: Date.now() + 5_000 });
  assert.equal(calls.length, 1);
});

test('assumed credentials are renewed before they expire', async () => {
  calls.length = 0;
  const clock = new Clock(Date.now());
  expiresAt = () => new Date(clock.now + 3_600_000);
  const provider = assumedRoleCredentials({
    roleArn: ROLE,
    region: 'eu-west-1',
    base: { accessKeyId: 'AKIDBASE', secretAccessKey: 'x' },
    endpoint: stsUrl,
    now: clock.read,
  });
  assert.equal((await provider()).accessKeyId, 'ASIAASSUMED1');
  clock.now += 3_600_000 - REFRESH_BEFORE_MS - 1_000;
  assert.equal((await provider()).accessKeyId, 'ASIAASSUMED1');
  clock.now += 2_000; // inside the renewal window
  assert.equal((await provider()).accessKeyId, 'ASIAASSUMED2');
  const both = await Promise.all([provider(), provider()]);
  assert.equal(both[0].accessKeyId, 'ASIAASSUMED2');
  assert.equal(calls.length, 2);
});

test('a failing AssumeRole fails the send as an auth failure naming the role', async () => {
  const endpoint = endpointFor(rx.url, {
    sigv4: { region: 'eu-west-1', roleArn: ROLE, accessKey: 'AKIDBASE', secretKey: 'base-secret' },
  });
  const client = new RemoteWriteClient(endpoint, {
    addOrgIdHeader: false,
    logger: { info() {}, warn() {}, error() {} },
    stsEndpoint: 'http://127.0.0.1:9',
  });
  const r = await client.send('single-tenant', [floatSeries('up', {}, 1)], { deadlineMs: Date.now() + 5_000 });
  assert.equal(r.ok, false);
  assert.equal(r.requests[0].failure, 'auth');
  assert.match(r.requests[0].error ?? '', /AssumeRole of arn:aws:iam::123456789012:role\/amp-writer failed/);
});
