// People: enrolled identities, every stored face with who it is (confirmed or recognised now), suggestions from
// unknown faces, and the recognition threshold with a preview of what a change would flip.
import * as store from '../../db/faces';
import { enrolPhotos, type EnrolReport } from '../../pipeline/enrol';
import { loadRecognizer, Recognizer, type Who } from '../../pipeline/people';
import { suggestPeople, type Suggestion } from '../../shared/faces';
import type { EnrolFile } from '../../shared/faces-enrol';
import type { FaceRecord, PersonRecord } from '../../shared/types';
import { engine, settings } from './engine';

export interface FaceView {
  face: FaceRecord;
  who: Who;
}

/** Unknown faces closer than this are grouped into a suggestion (a bit tighter than the match threshold). */
const SUGGEST_EPS_FACTOR = 0.9;

export class PeopleState {
  people = $state.raw<PersonRecord[]>([]);
  faces = $state.raw<FaceRecord[]>([]);
  recognizer = $state.raw<Recognizer | null>(null);
  busy = $state<string | null>(null);
  error = $state<string | null>(null);
  lastEnrol = $state.raw<EnrolReport | null>(null);
  enrolProgress = $state<{ done: number; total: number } | null>(null);
  private enrolAbort: AbortController | null = null;

  readonly views: FaceView[] = $derived(this.recognizer ? this.faces.map((face) => ({ face, who: this.recognizer!.face(face) })) : []);
  readonly byPerson = $derived.by(() => {
    const m = new Map<string, FaceView[]>();
    for (const v of this.views) if (v.who.personId) m.set(v.who.personId, [...(m.get(v.who.personId) ?? []), v]);
    return m;
  });
  readonly unknown = $derived(this.views.filter((v) => !v.who.personId && v.face.source === 'photo'));
  readonly suggestions: Suggestion<FaceView & { descriptor: Float32Array }>[] = $derived(
    suggestPeople(
      this.unknown.filter((v) => !v.face.dismissed).map((v) => ({ ...v, descriptor: v.face.descriptor })),
      settings.distanceThreshold * SUGGEST_EPS_FACTOR,
      3,
    ),
  );

  /** The active method's threshold (distance or confidence): the one slider. */
  get threshold(): number {
    return settings.faceMethod === 'classifier' ? settings.minConfidence : settings.distanceThreshold;
  }

  async refresh(): Promise<void> {
    try {
      const [people, faces] = await Promise.all([store.listPeople(), store.listFaces()]);
      const recognizer = await loadRecognizer(settings.recognition, (s) => engine.faces.train(s));
      [this.people, this.faces, this.recognizer] = [people, faces, recognizer];
      await this.syncNames();
    } catch (e) {
      this.error = (e as Error).message;
    }
  }

  /**
   * Brings the names stored with each photo's faces result up to date with the current answers (confirmations,
   * gallery, method, threshold, renames), so analytics and library filters agree with what People shows.
   */
  private async syncNames(): Promise<void> {
    const who = new Map(this.views.map((v) => [v.face.id, v.who]));
    const changed = [];
    for (const r of await store.listFacesResults()) {
      let dirty = false;
      const faces = r.faces.map((f, i) => {
        const w = who.get(`${r.imageId}#${i}`);
        if (!w) return f;
        const name = w.personId ? w.name : null;
        if (f.name === name && (f.personId ?? null) === w.personId) return f;
        dirty = true;
        return { ...f, name, personId: w.personId, distance: w.score };
      });
      if (dirty) changed.push({ ...r, faces });
    }
    if (changed.length) await store.putFacesResults(changed);
  }

  /** Faces whose answer would change if the threshold became `value` (unconfirmed faces only). */
  flips(value: number): { face: FaceRecord; from: string; to: string }[] {
    const r = this.recognizer;
    if (!r) return [];
    const out = [];
    for (const v of this.views) {
      if (v.who.confirmed) continue;
      const next = r.face(v.face, value);
      if (next.personId !== v.who.personId) out.push({ face: v.face, from: v.who.name, to: next.name });
    }
    return out;
  }

  async setThreshold(value: number): Promise<void> {
    if (settings.faceMethod === 'classifier') settings.minConfidence = value;
    else settings.distanceThreshold = value;
    settings.save();
    await this.refresh();
  }

  async setMethod(m: typeof settings.faceMethod): Promise<void> {
    settings.faceMethod = m;
    settings.save();
    await this.act('Training the classifier…', () => Promise.resolve());
  }

  async enrol(files: EnrolFile<File>[], folderPerPerson: boolean): Promise<void> {
    this.enrolAbort = new AbortController();
    this.enrolProgress = { done: 0, total: files.length };
    await this.act('Enrolling…', async () => {
      this.lastEnrol = await enrolPhotos(engine, files, folderPerPerson, this.enrolAbort!.signal, (done, total) => (this.enrolProgress = { done, total }));
    });
    this.enrolProgress = null;
  }

  cancelEnrol(): void {
    this.enrolAbort?.abort();
  }

  rename = (id: string, name: string) => this.act('Renaming…', () => store.renamePerson(id, name));
  merge = (from: string, into: string) => this.act('Merging…', () => store.mergePeople(from, into));
  remove = (id: string) => this.act('Deleting…', () => store.deletePerson(id));
  assign = (faceIds: string[], personId: string | null) => this.act('Saving…', () => store.assignFaces(faceIds, personId));
  dismiss = (faceIds: string[]) => this.act('Saving…', () => store.dismissFaces(faceIds));

  /** Moves faces out of a person into a new one (split). */
  split = (faceIds: string[], name: string) =>
    this.act('Splitting…', async () => {
      const p = await store.personNamed(name);
      await store.assignFaces(faceIds, p.id);
    });

  /** Names a suggestion: its faces are confirmed as that person (new or existing); confirmed faces are untouched. */
  nameSuggestion = (faceIds: string[], name: string) =>
    this.act('Saving…', async () => {
      const p = await store.personNamed(name);
      const unconfirmed = this.faces.filter((f) => faceIds.includes(f.id) && !f.personId).map((f) => f.id);
      await store.assignFaces(unconfirmed, p.id);
    });

  private async act(label: string, fn: () => Promise<void>): Promise<void> {
    this.busy = label;
    this.error = null;
    try {
      await fn();
    } catch (e) {
      this.error = (e as Error).message;
    } finally {
      await this.refresh();
      this.busy = null;
    }
  }
}

export const people = new PeopleState();
