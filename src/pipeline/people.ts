// Recognition as the app sees it: the gallery (every confirmed face, grouped by person), the chosen method and
// its one threshold. Used by the faces stage (names stored with results), the People view and the live view.
// Confirmed faces are answered by their confirmation; every other face is recomputed, never written back.
import { getClassifier, listFaces, listPeople, putClassifier } from '../db/faces';
import { FACE_MODEL_ID } from '../shared/faces-assets';
import { classifyFace, type SoftmaxModel } from '../shared/faces-classifier';
import { recognize, type Identity } from '../shared/faces';
import type { FaceRecord, PersonRecord } from '../shared/types';

export type FaceMethod = 'distance' | 'classifier';

/**
 * Defaults chosen from the accuracy run on ../shared/data/faces (tests/e2e/faces-accuracy.spec.ts, written to
 * bench/results/faces-accuracy.json): 4 people, 11 photos; every choice of one enrolled photo per person (54
 * galleries), the other photos identified (378 genuine attempts), and each person left out of the gallery in turn
 * so their photos can only be false accepts (594 impostor attempts). The rule for both methods is
 * calibrateThreshold with max FAR 0: the largest threshold with no false accept, placed halfway between the
 * worst accepted genuine score and the nearest impostor, rounded to two decimals (still between the two).
 * - Distance: same person 0.17–0.44, other people 0.48–0.71 → 0.459 → 0.46 (100 % identified, FAR 0; 0.50
 *   would already let 6 % of strangers in).
 * - Classifier (softmax trained on the gallery): confidences overlap (genuine 0.40–0.91, impostor 0.35–0.67)
 *   with one photo per person → 0.668 → 0.67 (65 % identified, FAR 0; at 0.6 it was 78 % but 6.6 % FAR).
 *   Distance is the better method with few photos per person; the classifier needs several samples each.
 */
export const DEFAULT_DISTANCE_THRESHOLD = 0.46;
export const DEFAULT_MIN_CONFIDENCE = 0.67;

export interface RecognitionSettings {
  method: FaceMethod;
  /** Method 1: the largest cosine distance still accepted. */
  distanceThreshold: number;
  /** Method 2: the smallest classifier probability still accepted. */
  minConfidence: number;
}

export const DEFAULT_RECOGNITION: RecognitionSettings = {
  method: 'distance',
  distanceThreshold: DEFAULT_DISTANCE_THRESHOLD,
  minConfidence: DEFAULT_MIN_CONFIDENCE,
};

export interface Who {
  personId: string | null;
  name: string;
  /** Distance (method 1) or 1 − confidence (method 2); 0 for confirmed faces. */
  score: number;
  confirmed: boolean;
  /** The best candidate even when Unknown. */
  nearest: string | null;
}

export type Trainer = (samples: { label: string; descriptor: Float32Array }[]) => Promise<SoftmaxModel>;

/** A stable key for the set of confirmed faces a classifier was trained on. */
export function sampleKey(faces: readonly FaceRecord[]): string {
  let h = 2166136261;
  for (const id of faces.map((f) => `${f.id}:${f.personId}`).sort()) for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
  return `${faces.length}:${(h >>> 0).toString(16)}`;
}

export class Recognizer {
  readonly names: Map<string, string>;
  readonly gallery: Identity[];

  constructor(
    readonly people: PersonRecord[],
    readonly confirmed: FaceRecord[],
    readonly settings: RecognitionSettings,
    readonly classifier: SoftmaxModel | null,
    /** Why the classifier is not used, when the method asks for it. */
    readonly note: string | null = null,
  ) {
    this.names = new Map(people.map((p) => [p.id, p.name]));
    const by = new Map<string, Float32Array[]>();
    for (const f of confirmed) if (f.personId && this.names.has(f.personId)) by.set(f.personId, [...(by.get(f.personId) ?? []), f.descriptor]);
    this.gallery = [...by].map(([personId, descriptors]) => ({ personId, name: this.names.get(personId)!, descriptors }));
  }

  get method(): FaceMethod {
    return this.settings.method === 'classifier' && this.classifier ? 'classifier' : 'distance';
  }

  /** The active method's answer for a descriptor, at an optional threshold override (for previews). */
  identify(d: Float32Array, threshold?: number): Who {
    if (this.method === 'classifier') {
      const c = classifyFace(this.classifier!, d, threshold ?? this.settings.minConfidence);
      return this.who(c.personId, 1 - c.confidence, c.nearest);
    }
    const m = recognize(d, this.gallery, threshold ?? this.settings.distanceThreshold);
    return this.who(m.personId, m.distance, m.nearest);
  }

  /** A stored face: its confirmation if it has one, else the active method's answer. */
  face(f: FaceRecord, threshold?: number): Who {
    if (f.personId) return { personId: f.personId, name: this.names.get(f.personId) ?? 'Unknown', score: 0, confirmed: true, nearest: f.personId };
    return this.identify(f.descriptor, threshold);
  }

  private who(personId: string | null, score: number, nearest: string | null): Who {
    return { personId, name: personId ? (this.names.get(personId) ?? 'Unknown') : 'Unknown', score, confirmed: false, nearest };
  }
}

/** Builds the recognizer from storage; trains (and stores) the classifier when the confirmed faces changed. */
export async function loadRecognizer(settings: RecognitionSettings, train?: Trainer): Promise<Recognizer> {
  const [people, faces] = await Promise.all([listPeople(), listFaces()]);
  const confirmed = faces.filter((f) => f.personId && f.modelId === FACE_MODEL_ID);
  if (settings.method !== 'classifier') return new Recognizer(people, confirmed, settings, null);
  const labels = new Set(confirmed.map((f) => f.personId));
  if (labels.size < 2) return new Recognizer(people, confirmed, settings, null, 'the classifier needs at least two enrolled people; using distance');
  const key = sampleKey(confirmed);
  const stored = await getClassifier();
  if (stored?.trainedOn === key) return new Recognizer(people, confirmed, settings, stored.model);
  if (!train) return new Recognizer(people, confirmed, settings, null, 'the classifier is not trained yet; using distance');
  const model = await train(confirmed.map((f) => ({ label: f.personId!, descriptor: f.descriptor })));
  await putClassifier(model, key);
  return new Recognizer(people, confirmed, settings, model);
}
