import { describe, expect, it } from 'vitest';
import { base64ToFloats, BACKUP_FORMAT, floatsToBase64, parseBackup } from '../../src/shared/backup';

const sha = 'a'.repeat(64);
const good = () => ({
  format: BACKUP_FORMAT,
  version: 1,
  exportedAt: '2026-01-01T00:00:00.000Z',
  app: { schema: 2 },
  settings: {},
  images: [{ id: sha, name: 'a.jpg' }],
  results: [{ imageId: sha, stage: 'classify', modelId: 'm' }],
  embeddings: [],
});

describe('parseBackup', () => {
  it('accepts a well-formed backup', () => {
    expect(parseBackup(JSON.stringify(good())).images).toHaveLength(1);
  });
  it('refuses with a message that says what is wrong', () => {
    expect(() => parseBackup('{nope')).toThrow('not valid JSON');
    expect(() => parseBackup(JSON.stringify({ ...good(), format: 'other' }))).toThrow('not a Sightline backup');
    expect(() => parseBackup(JSON.stringify({ ...good(), version: 2 }))).toThrow('made by a newer Sightline (backup version 2; this app reads up to 1)');
    expect(() => parseBackup(JSON.stringify({ ...good(), images: {} }))).toThrow('"images" is not a list');
    expect(() => parseBackup(JSON.stringify({ ...good(), images: [{ id: 'x', name: 'a' }] }))).toThrow('image 1 has no valid id');
    expect(() => parseBackup(JSON.stringify({ ...good(), results: [{ imageId: 'b'.repeat(64), stage: 'classify', modelId: 'm' }] }))).toThrow(
      'belongs to an image that is not in the backup',
    );
    expect(() => parseBackup(JSON.stringify({ ...good(), settings: undefined }))).toThrow('"settings" is missing');
    expect(() => parseBackup(JSON.stringify({ ...good(), images: [{ id: sha, name: 'a.jpg', importedBy: { name: 'Alice' } }] }))).toThrow(
      'image 1 has an "importedBy" without a profile id and name',
    );
  });
  it('keeps who imported each image (and reads backups from before it was recorded)', () => {
    const importedBy = { profileId: 'p1', name: 'Alice' };
    const b = parseBackup(
      JSON.stringify({
        ...good(),
        images: [
          { id: sha, name: 'a.jpg', importedBy },
          { id: 'b'.repeat(64), name: 'b.jpg' },
        ],
      }),
    );
    expect(b.images.map((im) => im.importedBy)).toEqual([importedBy, undefined]);
  });
});

describe('embeddings round-trip through base64', () => {
  it('keeps every float exactly', () => {
    const v = Float32Array.from({ length: 2048 }, (_, i) => Math.sin(i) * 1e3);
    expect(base64ToFloats(floatsToBase64(v))).toEqual(v);
  });
  it('refuses a truncated vector', () => {
    expect(() => base64ToFloats(btoa('abc'))).toThrow('not a whole number of floats');
  });
});
