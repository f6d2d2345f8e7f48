import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isValidLabelName, sanitizeLabelName } from '../../lib/config/index.ts';

test('sanitizeLabelName replaces each code point outside [a-zA-Z0-9_] with one underscore', () => {
  assert.equal(sanitizeLabelName('http.status_code'), 'http_status_code');
  assert.equal(sanitizeLabelName('a-b c/d'), 'a_b_c_d');
  assert.equal(sanitizeLabelName('1abc'), '1abc'); // no leading-digit handling, as Prometheus' strutil
  assert.equal(sanitizeLabelName('é'), '_');
  assert.equal(sanitizeLabelName('😀x'), '_x'); // one code point, two UTF-16 units
  assert.equal(sanitizeLabelName(''), '');
});

test('isValidLabelName is the classic Prometheus rule', () => {
  for (const ok of ['traceID', '_x', 'a1', '__name__', 'trace_id']) assert.ok(isValidLabelName(ok), ok);
  for (const bad of ['', '1a', 'a.b', 'a-b', 'é', 'trace id']) assert.ok(!isValidLabelName(bad), bad);
});
