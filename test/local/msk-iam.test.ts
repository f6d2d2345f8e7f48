import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MSK_IAM_USER_AGENT, mskIamToken } from '../../lib/local/msk-iam.ts';

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'SESSIONTOKEN',
};
const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('MSK IAM token', () => {
  test("is the presigned kafka-cluster:Connect URL AWS's signer library makes (same signature, offline)", async () => {
    const { token, expiresAtMs } = await mskIamToken('eu-west-1', CREDENTIALS, NOW);
    assert.match(token, /^[A-Za-z0-9_-]+$/, 'base64url without padding');
    const url = new URL(Buffer.from(token, 'base64url').toString('utf8'));
    assert.equal(url.origin, 'https://kafka.eu-west-1.amazonaws.com');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      Action: 'kafka-cluster:Connect',
      'User-Agent': MSK_IAM_USER_AGENT,
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIDEXAMPLE/20261201/eu-west-1/kafka-cluster/aws4_request',
      'X-Amz-Date': '20261201T120000Z',
      'X-Amz-Expires': '900',
      'X-Amz-Security-Token': 'SESSIONTOKEN',
      // aws-msk-iam-sasl-signer-js 1.0.3 with these credentials and this time (generated once,
      // offline); the User-Agent is added after signing, so it does not enter the signature
      'X-Amz-Signature': 'ef30d93d6ce824bbfbd0e61986e1878a4b8cdff38eb11d02e7946bf1f83531bb',
      'X-Amz-SignedHeaders': 'host',
    });
    assert.equal(expiresAtMs, NOW + 900_000);
  });

  test('lives no longer than the credentials, and expired credentials are refused', async () => {
    const { token } = await mskIamToken('us-east-1', { ...CREDENTIALS, expiration: new Date(NOW + 120_000) }, NOW);
    assert.equal(new URL(Buffer.from(token, 'base64url').toString()).searchParams.get('X-Amz-Expires'), '120');
    await assert.rejects(
      mskIamToken('us-east-1', { ...CREDENTIALS, expiration: new Date(NOW - 1) }, NOW),
      /credentials have expired/,
    );
  });
});
