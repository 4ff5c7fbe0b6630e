// Faces, people, sightings and the face classifier. Confirmed identities (personId set) are only ever changed
// by an explicit user action here; automatic recognition is computed, never written onto a face.
import type { SoftmaxModel } from '../shared/faces-classifier';
import type { FaceRecord, FacesResult, PersonRecord, SightingRecord } from '../shared/types';
import { db } from './schema';

const iou = (a: FaceRecord['box'], b: FaceRecord['box']) => {
  const x0 = Math.max(a[0], b[0]);
  const y0 = Math.max(a[1], b[1]);
  const x1 = Math.min(a[0] + a[2], b[0] + b[2]);
  const y1 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  return inter / (a[2] * a[3] + b[2] * b[3] - inter || 1);
};

/**
 * Re-running the faces stage on a photo replaces its faces, but a face the user confirmed keeps its person and
 * dismissals survive: carried to the new face at the same place (IoU ≥ 0.5); a confirmed face with no new
 * counterpart is kept as it was. Call inside a transaction that includes db.faces.
 */
export async function replaceFacesOf(imageId: string, faces: FaceRecord[]): Promise<void> {
  const old = await db.faces.where('imageId').equals(imageId).toArray();
  const next = faces.map((f) => ({ ...f }));
  const kept: FaceRecord[] = [];
  for (const o of old) {
    if (!o.personId && !o.dismissed) continue;
    const twin = next.find((n) => !n.personId && iou(n.box, o.box) >= 0.5);
    if (twin) {
      twin.personId = o.personId;
      twin.dismissed = o.dismissed;
    } else if (o.personId) kept.push(o);
  }
  await db.faces.bulkDelete(old.filter((o) => !kept.includes(o)).map((o) => o.id));
  await db.faces.bulkPut(next);
}

export const listPeople = (): Promise<PersonRecord[]> => db.people.orderBy('name').toArray();
export const listFaces = (): Promise<FaceRecord[]> => db.faces.toArray();
export const facesOfImage = (imageId: string): Promise<FaceRecord[]> => db.faces.where('imageId').equals(imageId).sortBy('index');

function newId(): string {
  const b = crypto.getRandomValues(new Uint8Array(9));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** The person with this name (case-insensitive), created when there is none. */
export async function personNamed(name: string): Promise<PersonRecord> {
  const clean = name.trim();
  if (!clean) throw new Error('a person needs a name');
  if (clean.length > 80) throw new Error('names are at most 80 characters');
  const all = await db.people.toArray();
  const hit = all.find((p) => p.name.toLowerCase() === clean.toLowerCase());
  if (hit) return hit;
  const p: PersonRecord = { id: newId(), name: clean, createdAt: Date.now() };
  await db.people.add(p);
  return p;
}

/** Enrolment samples (gallery photos, webcam captures) confirmed as `personId`. */
export async function addSamples(personId: string, faces: Omit<FaceRecord, 'id' | 'personId'>[]): Promise<FaceRecord[]> {
  const rows = faces.map((f) => ({ ...f, id: newId(), personId }));
  await db.faces.bulkAdd(rows);
  return rows;
}

export async function renamePerson(id: string, name: string): Promise<void> {
  const clean = name.trim();
  if (!clean) throw new Error('a person needs a name');
  const clash = (await db.people.toArray()).find((p) => p.id !== id && p.name.toLowerCase() === clean.toLowerCase());
  if (clash) throw new Error(`"${clean}" already exists: merge the two people instead`);
  await db.people.update(id, { name: clean });
}

/** Every face of `from` becomes `into`'s; `from` is removed. */
export async function mergePeople(from: string, into: string): Promise<void> {
  if (from === into) return;
  await db.transaction('rw', [db.people, db.faces, db.faceModels], async () => {
    await db.faces.where('personId').equals(from).modify({ personId: into });
    await db.people.delete(from);
    await db.faceModels.clear();
  });
}

/** The person goes; their photo faces become unassigned, their enrolment-only samples are deleted. */
export async function deletePerson(id: string): Promise<void> {
  await db.transaction('rw', [db.people, db.faces, db.faceModels], async () => {
    await db.faces
      .where('personId')
      .equals(id)
      .and((f) => f.imageId === null)
      .delete();
    await db.faces.where('personId').equals(id).modify({ personId: null });
    await db.people.delete(id);
    await db.faceModels.clear();
  });
}

/** Confirms faces as `personId` (null: moves them out, back to unassigned). Undismisses them. */
export async function assignFaces(faceIds: string[], personId: string | null): Promise<void> {
  await db.faces.where('id').anyOf(faceIds).modify({ personId, dismissed: false });
}

export async function dismissFaces(faceIds: string[]): Promise<void> {
  await db.faces.where('id').anyOf(faceIds).modify({ dismissed: true });
}

export async function deleteFaces(faceIds: string[]): Promise<void> {
  await db.faces.bulkDelete(faceIds);
}

/** Every faces-stage result (boxes and the names as last brought up to date). */
export const listFacesResults = (): Promise<FacesResult[]> => db.results.where('stage').equals('faces').toArray() as Promise<FacesResult[]>;

/** Writes re-derived names; createdAt moves so caches keyed on the newest result (analytics) see the change. */
export async function putFacesResults(rows: FacesResult[]): Promise<void> {
  const now = Date.now();
  await db.results.bulkPut(rows.map((r) => ({ ...r, createdAt: now })));
}

export const getClassifier = async () => db.faceModels.get('classifier');
export const putClassifier = (model: SoftmaxModel, trainedOn: string) => db.faceModels.put({ id: 'classifier', model, trainedOn });

export const addSighting = (s: SightingRecord) => db.sightings.add(s);
export const recentSightings = (n = 50): Promise<SightingRecord[]> => db.sightings.orderBy('at').reverse().limit(n).toArray();
export const clearSightings = () => db.sightings.clear();
