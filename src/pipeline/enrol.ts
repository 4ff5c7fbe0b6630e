// Enrolment: labelled photos (a folder per person or name_1.jpg) and webcam captures become confirmed face
// samples of a person. A photo must show a face; with several, the largest is the person (a portrait's subject).
import { addSamples, personNamed } from '../db/faces';
import { FACE_MODEL_ID } from '../shared/faces-assets';
import { groupByPerson, isImageName, type EnrolFile } from '../shared/faces-enrol';
import { SightlineError, type FileError, type FaceRecord } from '../shared/types';
import type { Engine } from './engine';
import { loadRecognizer, type FaceMethod, type RecognitionSettings } from './people';
import { FACE_INPUT } from './runner';

export interface EnrolReport {
  people: { name: string; samples: number }[];
  errors: FileError[];
  notes: string[];
}

export async function enrolPhotos(
  engine: Engine,
  files: EnrolFile<File>[],
  folderPerPerson: boolean,
  signal?: AbortSignal,
  onProgress?: (done: number, total: number) => void,
): Promise<EnrolReport> {
  const { people, unnamed } = groupByPerson(files, folderPerPerson);
  const report: EnrolReport = {
    people: [],
    errors: unnamed.map((u) => ({
      file: u.path,
      code: 'not-an-image',
      message: isImageName(u.path) ? `${u.path}: no person name in the path (use a folder per person or name_1.jpg)` : `${u.path}: not an image file (skipped)`,
    })),
    notes: [],
  };
  await engine.faces.init(signal);
  const total = [...people.values()].reduce((s, f) => s + f.length, 0);
  let done = 0;
  for (const [name, list] of people) {
    const samples: Omit<FaceRecord, 'id' | 'personId'>[] = [];
    for (const file of list) {
      if (signal?.aborted) throw new SightlineError('cancelled', 'cancelled');
      try {
        const img = await engine.image.prepare(file, [FACE_INPUT], signal);
        if (img.metadataOnly || !img.inputs[0]) throw new SightlineError('unsupported-format', `${file.name}: ${img.metadataOnly ?? 'no pixels to read'}`);
        const g = img.inputs[0].geometry;
        const r = await engine.faces.detectStill(img.inputs[0].rgba, g.outW, g.outH, g.scale, signal);
        if (!r.faces.length) throw new SightlineError('inference-failed', `${file.name}: no face found`);
        const f = r.faces.reduce((a, b) => (b.box[2] * b.box[3] > a.box[2] * a.box[3] ? b : a));
        if (r.faces.length > 1) report.notes.push(`${file.name}: ${r.faces.length} faces, enrolled the largest as ${name}`);
        samples.push({
          imageId: null,
          index: 0,
          box: f.box,
          score: f.score,
          descriptor: f.descriptor,
          modelId: FACE_MODEL_ID,
          crop: f.crop,
          source: 'gallery',
          createdAt: Date.now(),
        });
      } catch (e) {
        if (e instanceof SightlineError && e.code === 'cancelled') throw e;
        // Decode errors do not name the file; the report lists many files, so each message starts with its name.
        const msg = (e as Error).message;
        const message = msg.startsWith(file.name) ? msg : `${file.name}: ${msg}`;
        report.errors.push({ file: file.name, code: e instanceof SightlineError ? e.code : 'inference-failed', message });
      }
      onProgress?.(++done, total);
    }
    if (samples.length) {
      const person = await personNamed(name);
      await addSamples(person.id, samples);
      report.people.push({ name: person.name, samples: samples.length });
    }
  }
  return report;
}

export interface GalleryEnrolment {
  report: EnrolReport;
  method: FaceMethod;
  /** The method's threshold in use: the largest distance, or the smallest confidence, accepted. */
  threshold: number;
  /** Why the classifier could not be trained, when it could not (recognition then falls back to distance). */
  note: string | null;
}

/**
 * A gallery (`npm run batch -- --gallery`): `paths` are `person/file.jpg`, one folder per person. Enrols each
 * person's photos, then loads the recogniser (training the classifier when `settings` ask for it).
 */
export async function enrolGallery(engine: Engine, files: File[], paths: string[], settings: RecognitionSettings): Promise<GalleryEnrolment> {
  if (files.length !== paths.length) throw new Error(`${files.length} files but ${paths.length} paths`);
  // Named by their gallery path, so errors say which person's photo failed.
  const named = files.map((f, i) => ({ file: new File([f], paths[i], { type: f.type }), path: paths[i] }));
  const report = await enrolPhotos(engine, named, true);
  const r = await loadRecognizer(settings, (s) => engine.faces.train(s));
  return { report, method: r.method, threshold: r.method === 'classifier' ? settings.minConfidence : settings.distanceThreshold, note: r.note };
}

/** Webcam captures ("hold to record"): descriptors and crops taken from live frames. */
export async function enrolCaptures(
  name: string,
  captures: { descriptor: Float32Array; box: FaceRecord['box']; score: number; crop: Blob }[],
): Promise<number> {
  if (!captures.length) throw new Error('no face was captured: look at the camera while holding the button');
  const person = await personNamed(name);
  await addSamples(
    person.id,
    captures.map((c) => ({
      imageId: null,
      index: 0,
      box: c.box,
      score: c.score,
      descriptor: c.descriptor,
      modelId: FACE_MODEL_ID,
      crop: c.crop,
      source: 'webcam',
      createdAt: Date.now(),
    })),
  );
  return captures.length;
}
