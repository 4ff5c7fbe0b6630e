import { describe, expect, it } from 'vitest';
import { groupByPerson, personFromFile, personFromPath } from '../../src/shared/faces-enrol';
import { Recognizer, sampleKey } from '../../src/pipeline/people';
import { normalize } from '../../src/shared/faces';
import type { FaceRecord } from '../../src/shared/types';

describe('who an enrolment photo shows', () => {
  it('takes the folder of a folder-per-person layout', () => {
    expect(personFromPath('gallery/penny/penny1.png')).toBe('penny');
    expect(personFromFile('penny/penny1.png', true)).toBe('penny');
    expect(personFromFile('gallery/Mary_Jane/a.jpg', true)).toBe('Mary Jane');
  });

  it('takes the name before the number for loose files', () => {
    expect(personFromFile('alice_1.jpg', false)).toBe('alice');
    expect(personFromFile('Alice Smith-02.png', false)).toBe('Alice Smith');
    expect(personFromFile('bob3.JPG', false)).toBe('bob');
    expect(personFromFile('carol.webp', false)).toBe('carol');
    expect(personFromFile('notes.txt', false)).toBeNull();
    expect(personFromFile('123.jpg', false)).toBe('123');
  });

  it('groups files and sets aside those without a name', () => {
    const g = groupByPerson(
      [
        { file: 1, path: 'g/ann/1.jpg' },
        { file: 2, path: 'g/ann/2.jpg' },
        { file: 3, path: 'g/bob/x.png' },
        { file: 4, path: 'g/readme.txt' },
      ],
      true,
    );
    expect([...g.people]).toEqual([
      ['ann', [1, 2]],
      ['bob', [3]],
    ]);
    expect(g.unnamed.map((u) => u.file)).toEqual([4]);
  });
});

describe('Recognizer', () => {
  const v = (i: number) => normalize(Float32Array.from({ length: 8 }, (_, k) => (k === i ? 1 : 0.05)));
  const face = (id: string, d: Float32Array, personId: string | null): FaceRecord => ({
    id,
    imageId: 'img',
    index: 0,
    box: [0, 0, 10, 10],
    score: 0.9,
    descriptor: d,
    modelId: 'm',
    crop: new Blob(),
    personId,
    source: 'photo',
    createdAt: 0,
  });
  const people = [
    { id: 'p1', name: 'Ann', createdAt: 0 },
    { id: 'p2', name: 'Bob', createdAt: 0 },
  ];
  const confirmed = [face('a', v(0), 'p1'), face('b', v(1), 'p2')];
  const rec = new Recognizer(people, confirmed, { method: 'distance', distanceThreshold: 0.3, minConfidence: 0.6 }, null);

  it('answers a confirmed face by its confirmation, whatever the threshold', () => {
    const f = face('x', v(5), 'p2');
    expect(rec.face(f, 0.01)).toMatchObject({ personId: 'p2', name: 'Bob', confirmed: true });
  });

  it('recognises unconfirmed faces by distance and says Unknown beyond the threshold', () => {
    expect(rec.face(face('y', v(0), null))).toMatchObject({ personId: 'p1', name: 'Ann', confirmed: false });
    expect(rec.face(face('z', v(4), null))).toMatchObject({ personId: null, name: 'Unknown' });
  });

  it('falls back to distance when the classifier method has no trained model', () => {
    const r2 = new Recognizer(people, confirmed, { method: 'classifier', distanceThreshold: 0.3, minConfidence: 0.6 }, null, 'not trained');
    expect(r2.method).toBe('distance');
  });

  it('keys the training set by face ids and their people', () => {
    expect(sampleKey(confirmed)).toBe(sampleKey([...confirmed].reverse()));
    expect(sampleKey(confirmed)).not.toBe(sampleKey([confirmed[0], { ...confirmed[1], personId: 'p1' }]));
  });
});
