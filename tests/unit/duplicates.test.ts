import { describe, expect, it } from 'vitest';
import { nearDuplicateGroups, type DuplicateWork } from '../../src/shared/duplicates';

describe('nearDuplicateGroups', () => {
  it('groups hashes within the bit distance, transitively, and leaves singletons out', () => {
    const items = [
      { id: 'a', dhash: '0000000000000000' },
      { id: 'b', dhash: '0000000000000003' }, // 2 bits from a
      { id: 'c', dhash: '000000000000003f' }, // 6 bits from a, 4 from b
      { id: 'd', dhash: 'ffffffffffffffff' },
      { id: 'e', dhash: 'fffffffffffffffe' }, // 1 bit from d
      { id: 'f', dhash: '0f0f0f0f0f0f0f0f' },
    ];
    expect(nearDuplicateGroups(items, 4)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(nearDuplicateGroups(items, 1)).toEqual([['d', 'e']]);
  });
  it('ignores records without a valid hash', () => {
    expect(
      nearDuplicateGroups([
        { id: 'x', dhash: '' },
        { id: 'y', dhash: 'zz' },
      ]),
    ).toEqual([]);
  });
  // The Duplicates view groups the whole library on the main thread: its cost is one 64-bit popcount per pair
  // (n(n − 1) / 2, ~12.5 M for 5,000 images: ~0.25 s at the ~50 M pairs/s measured for this loop) and near-linear
  // union-find. The bound is asserted as work done, not time (timings belong in npm run bench).
  it('handles 5,000 hashes with one comparison per pair and near-linear union-find, and finds the copy', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8).toString(16).padStart(6, '0');
    const items = Array.from({ length: 5000 }, (_, i) => ({ id: String(i), dhash: (rnd() + rnd() + rnd()).slice(0, 16) }));
    items.push({ id: 'copy', dhash: items[10].dhash });
    const work: DuplicateWork = { comparisons: 0, matches: 0, findSteps: 0 };
    const groups = nearDuplicateGroups(items, 2, work);
    expect(groups.some((g) => g.includes('copy') && g.includes('10'))).toBe(true);
    const n = items.length;
    expect(work.comparisons).toBe((n * (n - 1)) / 2);
    // Union-find: 2 lookups per match and one per image at the end, O(log n) steps each at most (amortised).
    expect(work.findSteps).toBeLessThanOrEqual((2 * work.matches + n) * Math.ceil(Math.log2(n)));
  });

  it('one big group (every image a near-copy) keeps union-find flat', () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({ id: String(i), dhash: i % 2 ? 'ffffffffffffffff' : 'fffffffffffffffe' }));
    const work: DuplicateWork = { comparisons: 0, matches: 0, findSteps: 0 };
    const groups = nearDuplicateGroups(items, 1, work);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toHaveLength(3000);
    const pairs = (3000 * 2999) / 2;
    expect(work.comparisons).toBe(pairs);
    expect(work.matches).toBe(pairs);
    // Every pair matches: the tree stays flat, so a lookup is a step or two, not log n.
    expect(work.findSteps).toBeLessThanOrEqual(2 * pairs);
  });
});
