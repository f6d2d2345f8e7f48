import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { staleBacklogMoves } from '../../lib/local/stale-backlog.ts';

describe('skip_stale_backlog_on_startup', () => {
  test('moves a partition forward to its first recent record, or to its end when nothing is recent; never backwards', () => {
    const committed = [
      { partition: 0, offset: '10' }, // behind the first recent record (50): moved
      { partition: 1, offset: '80' }, // already past it (60): left alone
      { partition: 2, offset: '-1' }, // no commit, nothing recent: moved to the end
      // partition 3: no commit at all, first recent record 5
    ];
    const firstRecent = [
      { partition: 0, offset: '50' },
      { partition: 1, offset: '60' },
      { partition: 2, offset: '-1' },
      { partition: 3, offset: '5' },
    ];
    const ends = [0, 1, 2, 3].map((p) => ({ partition: p, offset: '100' }));
    assert.deepEqual(staleBacklogMoves(committed, firstRecent, ends), [
      { partition: 0, offset: '50' },
      { partition: 2, offset: '100' },
      { partition: 3, offset: '5' },
    ]);
  });
});
