import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/ml/image/decode';
import { DATA } from './paths';

describe('content hash (SHA-256, the image id)', () => {
  it('matches the known digest of the empty input and of "abc"', async () => {
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
  it('matches node:crypto and the data set checksums on real files', async () => {
    const sums = new Map(
      readFileSync(path.join(DATA, 'imagenet/sha256sums'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/).reverse() as [string, string]),
    );
    for (const f of ['in_dev_0000.jpg', 'in_dev_0011.jpg']) {
      const bytes = readFileSync(path.join(DATA, 'imagenet', f));
      const ours = await sha256Hex(new Uint8Array(bytes));
      expect(ours).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(ours).toBe(sums.get(f));
    }
  });
});
