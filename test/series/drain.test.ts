// Drain span-name clustering: the tokenizer's rules (Tempo: pkg/drain/line_tokenizer.go,
// data_heuristic.go) and training (pkg/drain/drain.go), expectations worked out from that source.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Drain, MAX_CLUSTERS_PER_LEAF } from '../../lib/series/drain.ts';
import { tokenize, tokenIsLikelyData } from '../../lib/series/drain-tokenizer.ts';

describe('tokenize (line_tokenizer.go)', () => {
  const cases: [string, string[]][] = [
    ['GET /users/123', ['GET', ' ', '/', 'users', '/', '123']],
    // Hex-led words go through the hex state; a '-' after hex digits starts a UUID-like token.
    ['add-item', ['add-', 'item']],
    ['get-item', ['get', '-', 'item']],
    ['123e4567-e89b-12d3-a456-426614174000 done', ['123e4567-e89b-12d3-a456-426614174000', ' ', 'done']],
    ['a%3Db', ['a', '%3D', 'b']],
    ['%zz', ['%', 'zz']],
    ['x %4', ['x', ' ', '%4']], // cut short by the end: what was read stays one token
    ['a  \tb', ['a', '  \t', 'b']],
    ['café/ü', ['café', '/', 'ü']],
    ['', []],
  ];
  for (const [name, tokens] of cases) {
    test(JSON.stringify(name), () => assert.deepEqual(tokenize(name), [...tokens, '<END>']));
  }
});

test('tokenIsLikelyData (data_heuristic.go)', () => {
  assert.equal(tokenIsLikelyData('123'), true);
  assert.equal(tokenIsLikelyData('a1b2'), true); // hex with a digit
  assert.equal(tokenIsLikelyData('user_42'), true); // 2 digits > max(7/4, 1)
  assert.equal(tokenIsLikelyData('v1'), false); // 1 digit, not > 1
  assert.equal(tokenIsLikelyData('cafe'), false); // hex but no digit
  assert.equal(tokenIsLikelyData('users'), false);
});

describe('Drain.train (drain.go)', () => {
  test('templates appear once a second name of the pattern arrives', () => {
    const d = new Drain();
    assert.equal(d.train('GET /users/123'), 'GET /users/123');
    assert.equal(d.train('GET /users/456'), 'GET /users/<_>');
    assert.equal(d.train('GET /users/123'), 'GET /users/<_>');
    assert.equal(d.train('GET /cart'), 'GET /cart');
    assert.equal(d.clusterCount, 2);
  });

  test('names that are not data differ by tree branch, not by similarity', () => {
    const d = new Drain();
    d.train('GET /cart');
    assert.equal(d.train('GET /shop'), 'GET /shop');
    assert.equal(d.clusterCount, 2);
  });

  test('too few or too many tokens are skipped', () => {
    const d = new Drain();
    assert.equal(d.train('op'), undefined); // op + <END>
    assert.equal(d.train(Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ')), undefined); // 99 tokens + <END> > 80
    assert.deepEqual(d.counters.linesSkipped, { too_few_tokens: 1, too_many_tokens: 1, leaf_full: 0 });
  });

  test('snapshot and restore keep the clusters and the tree', () => {
    const d = new Drain();
    d.train('GET /users/123');
    const r = Drain.restore(JSON.parse(JSON.stringify(d.snapshot())));
    assert.equal(r.train('GET /users/456'), 'GET /users/<_>');
  });

  test('names made only of data tokens cannot grow one leaf without bound (no quadratic scan)', () => {
    // `%41%42...`: every token is data-like, so all names walk the same `<_>` path, and no two match.
    // Ten pseudo-random %NN (decimal digits: data-like) per name: two rarely share the 3 tokens a match needs.
    const d = new Drain();
    let seed = 1;
    const byte = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) & 0xff;
    const name = () => Array.from({ length: 10 }, () => '%' + String(byte() % 100).padStart(2, '0')).join('');
    for (let i = 0; i < MAX_CLUSTERS_PER_LEAF + 200; i++) d.train(name());
    assert.ok(d.clusterCount <= MAX_CLUSTERS_PER_LEAF, `clusters ${d.clusterCount}`);
    assert.ok(d.counters.linesSkipped.leaf_full > 0);
  });
});
