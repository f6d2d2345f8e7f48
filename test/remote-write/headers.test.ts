import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tenantHeaders, USER_AGENT } from '../../lib/remote-write/headers.ts';

const version = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version as string;

describe('tenantHeaders', () => {
  test('protocol headers and the tenant id', () => {
    const { headers } = tenantHeaders('team-a', {}, {}, true);
    assert.deepEqual(headers, {
      'X-Scope-OrgID': 'team-a',
      'Content-Type': 'application/x-protobuf',
      'Content-Encoding': 'snappy',
      'X-Prometheus-Remote-Write-Version': '0.1.0',
      'User-Agent': `msk-metrics-generator/${version}`,
    });
    assert.equal(USER_AGENT, `msk-metrics-generator/${version}`);
  });

  test('tenant override headers win over endpoint headers, whatever their case', () => {
    const { headers } = tenantHeaders('t', { 'X-Env': 'prod', 'X-Keep': '1' }, { 'x-env': 'staging' }, false);
    assert.equal(headers['x-env'], 'staging');
    assert.equal(headers['X-Env'], undefined);
    assert.equal(headers['X-Keep'], '1');
  });

  test('no X-Scope-OrgID when the option is off or for single-tenant', () => {
    assert.ok(!('X-Scope-OrgID' in tenantHeaders('t', {}, {}, false).headers));
    assert.ok(!('X-Scope-OrgID' in tenantHeaders('single-tenant', {}, {}, true).headers));
  });

  test('a configured X-Scope-OrgID (any case, padded name) is kept', () => {
    const fromEndpoint = tenantHeaders('t', { ' x-scope-orgid ': 'fixed' }, {}, true);
    assert.deepEqual(
      Object.entries(fromEndpoint.headers).filter(([k]) => k.toLowerCase() === 'x-scope-orgid'),
      [['x-scope-orgid', 'fixed']],
    );
    assert.equal(fromEndpoint.orgIdConfigured, true);
    const fromTenant = tenantHeaders('t', {}, { 'X-SCOPE-ORGID': 'other' }, true);
    assert.equal(fromTenant.headers['X-SCOPE-ORGID'], 'other');
    assert.ok(!('X-Scope-OrgID' in fromTenant.headers));
  });

  test('an empty configured X-Scope-OrgID is replaced by the tenant id, not sent twice', () => {
    const { headers, orgIdConfigured } = tenantHeaders('t', { 'x-scope-orgid': '' }, {}, true);
    assert.equal(orgIdConfigured, false);
    assert.deepEqual(
      Object.entries(headers).filter(([k]) => k.toLowerCase() === 'x-scope-orgid'),
      [['X-Scope-OrgID', 't']],
    );
  });

  test('configured headers cannot replace the protocol headers', () => {
    const { headers } = tenantHeaders('t', {}, { 'content-type': 'text/plain' }, false);
    assert.equal(headers['Content-Type'], 'application/x-protobuf');
    assert.equal(headers['content-type'], undefined);
  });
});
