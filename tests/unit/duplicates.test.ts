import { describe, expect, it } from 'vitest';
import { nearDuplicateGroups } from '../../src/shared/duplicates';

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
  it('handles 5,000 hashes quickly enough for the UI', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8).toString(16).padStart(6, '0');
    const items = Array.from({ length: 5000 }, (_, i) => ({ id: String(i), dhash: (rnd() + rnd() + rnd()).slice(0, 16) }));
    items.push({ id: 'copy', dhash: items[10].dhash });
    const groups = nearDuplicateGroups(items, 2);
    expect(groups.some((g) => g.includes('copy') && g.includes('10'))).toBe(true);
  });
});
