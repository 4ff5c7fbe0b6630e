import { describe, expect, it } from 'vitest';
import { recommend, type Candidate } from '../../src/ml/analytics/recommend';

const vec = (...xs: number[]) => Float32Array.from(xs);
const item = (id: string, v: number[], labels: string[], tag = 'safe'): Candidate => ({ id, name: `${id}.jpg`, vector: vec(...v), labels, tag });

const lib = [
  item('dog1', [1, 0, 0], ['beagle']),
  item('dog2', [0.95, 0.05, 0], ['beagle']),
  item('dog3', [0.9, 0.1, 0], ['basset']),
  item('dog3copy', [0.9, 0.1, 0.001], ['basset']),
  item('cat1', [0, 1, 0], ['tabby']),
  item('car1', [0, 0, 1], ['sports car']),
  item('beer', [0.1, 0, 0.9], ['beer bottle'], 'alcohol'),
];

describe('recommend', () => {
  it('ranks images close to the liked ones first, with an explanation', () => {
    const r = recommend(lib, { liked: ['dog1'], hidden: [], seen: [] }, 3);
    expect(r[0].id).toBe('dog2');
    expect(r[0].because).toBe('because you liked dog1.jpg');
    expect(r.map((x) => x.id)).not.toContain('dog1');
  });
  it('leaves out hidden and seen images and pushes down what resembles hidden ones', () => {
    const r = recommend(lib, { liked: ['dog1'], hidden: ['car1'], seen: ['dog2'] }, 10);
    const ids = r.map((x) => x.id);
    expect(ids).not.toContain('car1');
    expect(ids).not.toContain('dog2');
    expect(ids.indexOf('beer')).toBeGreaterThan(ids.indexOf('cat1')); // beer looks like the hidden car
  });
  it("label overlap counts: images sharing the liked image's labels come first even when embeddings are vague", () => {
    const vague = [
      item('a', [1, 1, 1], ['beagle', 'basset', 'bloodhound']),
      item('b', [1, 1, 0.9], ['basset', 'beagle', 'redbone']),
      item('c', [1, 0.9, 1], ['cash machine', 'safe', 'vending machine']),
    ];
    expect(recommend(vague, { liked: ['a'], hidden: [], seen: [] }, 2)[0].id).toBe('b');
  });

  it('diversifies: a near-copy does not take the place right after its twin', () => {
    const r = recommend(lib, { liked: ['dog1'], hidden: [], seen: ['dog2'] }, 3, 0.6);
    const ids = r.map((x) => x.id);
    expect(ids[0]).toMatch(/^dog3/);
    expect(ids[1]).not.toMatch(/^dog3/);
  });
  it('works without likes (newest first order kept) and without embeddings', () => {
    expect(recommend(lib, { liked: [], hidden: [], seen: [] }, 2)).toHaveLength(2);
    const flat = lib.map((i) => ({ ...i, vector: null }));
    const r = recommend(flat, { liked: ['dog1'], hidden: [], seen: [] }, 2);
    expect(r[0].id).toBe('dog2'); // same label as the liked image
    expect(r[0].because).toBe('because you liked dog1.jpg');
  });
});
