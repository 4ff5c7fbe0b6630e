import { describe, expect, it } from 'vitest';
import { dhash, hamming, histogram, palette } from '../../src/ml/image/facts';

const rgba = (pixels: [number, number, number][]) => new Uint8ClampedArray(pixels.flatMap(([r, g, b]) => [r, g, b, 255]));

describe('palette', () => {
  it('finds the two colours of a half red, half blue image with their shares', () => {
    const img = rgba([...Array(30).fill([255, 0, 0]), ...Array(10).fill([0, 0, 255])]);
    const p = palette(img, 2);
    expect(p).toEqual([
      { hex: '#ff0000', share: 0.75 },
      { hex: '#0000ff', share: 0.25 },
    ]);
  });
  it('ignores transparent pixels and handles tiny or empty input', () => {
    const img = new Uint8ClampedArray([255, 255, 255, 0, 10, 20, 30, 255]);
    expect(palette(img, 5)).toEqual([{ hex: '#0a141e', share: 1 }]);
    expect(palette(new Uint8ClampedArray(0))).toEqual([]);
  });
});

describe('histogram', () => {
  it('puts each channel value in its bin; each channel sums to 1', () => {
    const h = histogram(
      rgba([
        [0, 128, 255],
        [31, 32, 255],
      ]),
    );
    expect(h).toHaveLength(24);
    expect(h.slice(0, 8)).toEqual([1, 0, 0, 0, 0, 0, 0, 0]); // 0 and 31 in bin 0
    expect(h.slice(8, 16)).toEqual([0, 0.5, 0, 0, 0.5, 0, 0, 0]); // 32 → 1, 128 → 4
    expect(h.slice(16)).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
  });
});

describe('dhash and hamming', () => {
  const ramp = (dir: 1 | -1) =>
    rgba(Array.from({ length: 72 }, (_, i) => Array(3).fill(dir > 0 ? (i % 9) * 20 : 200 - (i % 9) * 20) as [number, number, number]));
  it('a left-to-right brightening ramp has no bit set; the mirrored ramp has all 64', () => {
    expect(dhash(ramp(1))).toBe('0000000000000000');
    expect(dhash(ramp(-1))).toBe('ffffffffffffffff');
    expect(hamming(dhash(ramp(1)), dhash(ramp(-1)))).toBe(64);
  });
  it('hamming counts differing bits', () => {
    expect(hamming('0f', '0e')).toBe(1);
    expect(hamming('ff00', '00ff')).toBe(16);
    expect(hamming('abc', 'abc')).toBe(0);
  });
  it('rejects a wrong size', () => {
    expect(() => dhash(new Uint8ClampedArray(10))).toThrow(/9×8/);
  });
});
