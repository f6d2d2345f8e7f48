import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tenantIdProblem } from '../../lib/tenant/tenant-id.ts';

test('accepts the characters Tempo accepts', () => {
  for (const id of ['single-tenant', 'team_a', "a.b!c*d'e(f)", 'x'.repeat(150)])
    assert.equal(tenantIdProblem(id), undefined, id);
});

test('rejects empty, too long, dot names and other characters', () => {
  assert.match(tenantIdProblem('')!, /empty/);
  assert.match(tenantIdProblem('x'.repeat(151))!, /longer than 150/);
  assert.match(tenantIdProblem('..')!, /not allowed/);
  for (const id of ['a/b', 'a b', 'a\nb', 'ünï', 'a|b', 'a:b']) assert.ok(tenantIdProblem(id), id);
});
