import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { compareUtf8, isValidUtf8, truncateUtf8, utf8ByteLength } from '../../lib/series/utf8.ts';

describe('utf8ByteLength', () => {
  test('counts UTF-8 bytes, not UTF-16 units', () => {
    assert.equal(utf8ByteLength('abc'), 3);
    assert.equal(utf8ByteLength('é'), 2);
    assert.equal(utf8ByteLength('€'), 3);
    assert.equal(utf8ByteLength('😀'), 4);
    assert.equal(utf8ByteLength('a😀é'), 7);
    assert.equal(utf8ByteLength(''), 0);
  });
});

describe('truncateUtf8', () => {
  test('cuts at a byte count like Go s[:max]', () => {
    assert.deepEqual(truncateUtf8('abcdef', 4), { value: 'abcd', splitCharacter: false });
    assert.deepEqual(truncateUtf8('abc', 3), { value: 'abc', splitCharacter: false });
    assert.deepEqual(truncateUtf8('aé', 3), { value: 'aé', splitCharacter: false });
    assert.deepEqual(truncateUtf8('aéb', 3), { value: 'aé', splitCharacter: false });
  });
  test('a cut inside a multi-byte character is reported (Go would keep invalid bytes)', () => {
    assert.deepEqual(truncateUtf8('aé', 2), { value: 'a', splitCharacter: true });
    assert.deepEqual(truncateUtf8('€€', 4), { value: '€', splitCharacter: true });
    assert.deepEqual(truncateUtf8('x😀', 3), { value: 'x', splitCharacter: true });
    assert.deepEqual(truncateUtf8('x😀', 5), { value: 'x😀', splitCharacter: false });
  });
  test('max <= 0 means no limit', () => {
    assert.deepEqual(truncateUtf8('abcdef', 0), { value: 'abcdef', splitCharacter: false });
  });
});

describe('isValidUtf8', () => {
  test('only lone surrogates are invalid', () => {
    assert.equal(isValidUtf8('plain é € 😀'), true);
    assert.equal(isValidUtf8('\ud83d'), false);
    assert.equal(isValidUtf8('a\ude00b'), false);
    assert.equal(isValidUtf8('\ude00\ud83d'), false);
  });
});

describe('compareUtf8', () => {
  test('orders by UTF-8 bytes (code points), unlike UTF-16 comparison', () => {
    // U+FF21 (3 UTF-8 bytes, EF BC A1) sorts before U+1F600 (F0 9F 98 80) in bytes,
    // but after it in UTF-16 units (0xFF21 > 0xD83D).
    assert.ok(compareUtf8('\uff21', '😀') < 0);
    assert.ok('\uff21' > '😀');
    assert.ok(compareUtf8('A', '_') < 0);
    assert.ok(compareUtf8('_', 'a') < 0);
    assert.ok(compareUtf8('ab', 'abc') < 0);
    assert.equal(compareUtf8('x', 'x'), 0);
  });
});
