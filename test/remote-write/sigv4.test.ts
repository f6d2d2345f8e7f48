import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Sha256, SigV4Signer } from '../../lib/remote-write/sigv4.ts';
import { referenceSignature as reference, sha256Hex, type ReferenceRequest } from './sigv4-reference.ts';

// The public AWS SigV4 test suite's credentials and date.
const ACCESS_KEY = 'AKIDEXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const DATE = new Date('2015-08-30T12:36:00Z');
const AMZ_DATE = '20150830T123600Z';

const hex = sha256Hex;
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();
const referenceSignature = (r: Omit<ReferenceRequest, 'secretKey' | 'amzDate'>) =>
  reference({ ...r, secretKey: SECRET_KEY, amzDate: AMZ_DATE });

describe('Sha256', () => {
  test('hashes and HMACs like node:crypto, and resets', async () => {
    const h = new Sha256();
    h.update('ab');
    h.update(new Uint8Array([0x63]));
    assert.equal(Buffer.from(await h.digest()).toString('hex'), hex('abc'));
    h.reset();
    assert.equal(Buffer.from(await h.digest()).toString('hex'), hex(''));
    const m = new Sha256('key');
    m.update('msg');
    assert.deepEqual(Buffer.from(await m.digest()), hmac('key', 'msg'));
  });
});

describe('SigV4Signer', () => {
  test('AWS test suite "get-vanilla"', async () => {
    const expected = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31';
    // the published value, recomputed by hand so the test does not rest on the library alone
    const reference = referenceSignature({
      method: 'GET',
      path: '/',
      headers: { host: 'example.amazonaws.com', 'x-amz-date': AMZ_DATE },
      payloadHash: hex(''),
      region: 'us-east-1',
      service: 'service',
    });
    assert.equal(reference.signature, expected);

    const signer = new SigV4Signer({
      region: 'us-east-1',
      service: 'service',
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
      contentSha256Header: false,
    });
    const headers = await signer.sign(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {} },
      DATE,
    );
    assert.equal(
      headers.authorization,
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${expected}`,
    );
    assert.equal(headers['x-amz-date'], AMZ_DATE);
  });

  test('a remote-write POST for service aps signs the body hash and the request headers', async () => {
    const body = new Uint8Array([0x1f, 0x00, 0x0a, 0x03, 0x61, 0x62, 0x63, 0xff]);
    const requestHeaders = {
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'snappy',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
      'X-Scope-OrgID': 'team-a',
      'User-Agent': 'msk-metrics-generator/0.1.0',
    };
    const signer = new SigV4Signer({
      region: 'eu-west-1',
      service: 'aps',
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY, sessionToken: 'session-token' },
    });
    const url = new URL('https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-123/api/v1/remote_write');
    const signed = await signer.sign({ method: 'POST', url, headers: requestHeaders, body }, DATE);

    assert.equal(signed['x-amz-content-sha256'], hex(body));
    assert.equal(signed['x-amz-security-token'], 'session-token');
    assert.equal(signed.host, 'aps-workspaces.eu-west-1.amazonaws.com');
    assert.equal(signed['User-Agent'], requestHeaders['User-Agent'], 'the request headers are kept');

    const { 'User-Agent': _unsigned, ...toSign } = requestHeaders; // user-agent is never signed
    const reference = referenceSignature({
      method: 'POST',
      path: '/workspaces/ws-123/api/v1/remote_write',
      headers: {
        ...toSign,
        host: 'aps-workspaces.eu-west-1.amazonaws.com',
        'x-amz-content-sha256': hex(body),
        'x-amz-date': AMZ_DATE,
        'x-amz-security-token': 'session-token',
      },
      payloadHash: hex(body),
      region: 'eu-west-1',
      service: 'aps',
    });
    assert.equal(
      signed.authorization,
      `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/aps/aws4_request, SignedHeaders=${reference.signedHeaders}, Signature=${reference.signature}`,
    );
    assert.equal(
      reference.signedHeaders,
      'content-encoding;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token;x-prometheus-remote-write-version;x-scope-orgid',
    );
  });

  test('a different body gives a different signature', async () => {
    const signer = new SigV4Signer({
      region: 'eu-west-1',
      service: 'aps',
      credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY },
    });
    const url = new URL('https://aps-workspaces.eu-west-1.amazonaws.com/w/api/v1/remote_write');
    const a = await signer.sign({ method: 'POST', url, headers: {}, body: new Uint8Array([1]) }, DATE);
    const b = await signer.sign({ method: 'POST', url, headers: {}, body: new Uint8Array([2]) }, DATE);
    assert.notEqual(a.authorization, b.authorization);
  });

  test('credentials from a provider; a failing provider rejects', async () => {
    const ok = new SigV4Signer({
      region: 'us-east-1',
      service: 'aps',
      credentials: async () => ({ accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }),
    });
    const headers = await ok.sign(
      { method: 'POST', url: new URL('https://example.com/'), headers: {}, body: new Uint8Array() },
      DATE,
    );
    assert.match(headers.authorization, /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
    const failing = new SigV4Signer({
      region: 'us-east-1',
      service: 'aps',
      credentials: async () => {
        throw new Error('no credentials in chain');
      },
    });
    await assert.rejects(
      failing.sign({ method: 'POST', url: new URL('https://example.com/'), headers: {}, body: new Uint8Array() }, DATE),
      /no credentials/,
    );
  });
});
