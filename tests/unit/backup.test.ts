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
  const face = (over: Record<string, unknown> = {}) => ({
    id: 'f1',
    imageId: sha,
    index: 0,
    box: [1, 2, 3, 4],
    score: 0.9,
    descriptor: floatsToBase64(new Float32Array([0.6, 0.8])),
    modelId: 'human',
    crop: 'data:image/jpeg;base64,AAAA',
    personId: 'p1',
    source: 'photo',
    createdAt: 1,
    ...over,
  });
  it('reads identities (people, faces, sightings) and checks that faces point at people and images in the file', () => {
    const withFaces = {
      ...good(),
      version: 2,
      people: [{ id: 'p1', name: 'Ann', createdAt: 1 }],
      faces: [face(), face({ id: 'f2', imageId: null, personId: null })],
      sightings: [],
    };
    expect(parseBackup(JSON.stringify(withFaces)).faces).toHaveLength(2);
    expect(() => parseBackup(JSON.stringify({ ...withFaces, faces: [face({ personId: 'ghost' })] }))).toThrow(
      'face 1 belongs to a person who is not in the backup',
    );
    expect(() => parseBackup(JSON.stringify({ ...withFaces, faces: [face({ imageId: 'c'.repeat(64) })] }))).toThrow(
      'face 1 belongs to an image that is not in the backup',
    );
    expect(() => parseBackup(JSON.stringify({ ...withFaces, faces: [face({ descriptor: 7 })] }))).toThrow('face 1 lacks its id, box, descriptor or crop');
    expect(() => parseBackup(JSON.stringify({ ...withFaces, people: [{ name: 'no id' }] }))).toThrow('a person has no id or name');
    expect(() => parseBackup(JSON.stringify({ ...withFaces, faces: {} }))).toThrow('"faces" is not a list');
  });
  it('accepts a well-formed backup', () => {
    expect(parseBackup(JSON.stringify(good())).images).toHaveLength(1);
  });
  it('refuses with a message that says what is wrong', () => {
    expect(() => parseBackup('{nope')).toThrow('not valid JSON');
    expect(() => parseBackup(JSON.stringify({ ...good(), format: 'other' }))).toThrow('not a Sightline backup');
    expect(() => parseBackup(JSON.stringify({ ...good(), version: 3 }))).toThrow('made by a newer Sightline (backup version 3; this app reads up to 2)');
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
