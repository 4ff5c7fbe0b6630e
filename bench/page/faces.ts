// Faces accuracy and speed, run in the page (tests/e2e/faces-accuracy.spec.ts, `npm run bench -- --only faces`),
// loaded on demand through the ?debug API's bench() (src/debug/), so the app's own bundle does not carry it.
// Descriptors always come from the real faces worker (same decode and detection as the pipeline); the recognition
// maths runs here in the page with the app's own functions (src/shared/faces.ts, faces-classifier.ts), the
// classifier is trained in the worker.
import { classifyFace, type SoftmaxModel } from '../../src/shared/faces-classifier';
import { calibrateThreshold, rates, recognize, type Identity, type LabelledScore } from '../../src/shared/faces';
import type { Engine } from '../../src/pipeline/engine';
import { DEFAULT_DISTANCE_THRESHOLD, DEFAULT_MIN_CONFIDENCE, type FaceMethod } from '../../src/pipeline/people';
import { FACE_INPUT } from '../../src/pipeline/runner';
import type { PreparedImage } from '../../src/workers/api';

export interface Described {
  faces: { box: [number, number, number, number]; score: number; descriptor: Float32Array }[];
  /** Detection + description in the worker. */
  ms: number;
}

/** Every face of each photo, decoded and scaled exactly as the faces stage does. */
export async function describe(engine: Engine, blobs: Blob[]): Promise<Described[]> {
  await engine.faces.init();
  const out: Described[] = [];
  for (const b of blobs) {
    const img = await engine.image.prepare(b, [FACE_INPUT]);
    const input = img.inputs[0];
    if (!input) throw new Error('no pixels to read');
    const g = input.geometry;
    const r = await engine.faces.detectStill(input.rgba, g.outW, g.outH, g.scale);
    out.push({ faces: r.faces.map((f) => ({ box: f.box, score: f.score, descriptor: f.descriptor })), ms: r.ms });
  }
  return out;
}

export interface LabelledPhoto {
  identity: string;
  file: string;
  blob: Blob;
}

export interface MethodFigures {
  method: FaceMethod;
  /** Largest distance accepted, or smallest confidence accepted. */
  threshold: number;
  accuracy: number;
  far: number;
  genuine: number;
  impostor: number;
}

export interface AccuracyReport {
  photos: { file: string; identity: string; faces: number; ms: number }[];
  identities: Record<string, number>;
  galleries: number;
  /** At the defaults in src/pipeline/people.ts. */
  atDefault: MethodFigures[];
  /** calibrateThreshold over every attempt (max FAR 0): distance threshold, and min confidence (1 − score threshold). */
  calibrated: { distance: number; minConfidence: number };
  atCalibrated: MethodFigures[];
  /** The range of scores (distance, or 1 − confidence) of genuine and impostor attempts. */
  ranges: Record<FaceMethod, { genuine: [number, number]; impostor: [number, number] }>;
  sweep: MethodFigures[];
  classifiersTrained: number;
  trainMs: number;
  defaults: { distance: number; minConfidence: number };
}

interface Attempt {
  /** The probe's identity; null when the gallery does not hold it (an impostor attempt). */
  truth: string | null;
  identity: string;
  nearest: string | null;
  /** Distance to the nearest identity (distance) or 1 − top probability (classifier). */
  score: number;
}

const range = (xs: number[]): [number, number] => (xs.length ? [Math.min(...xs), Math.max(...xs)] : [NaN, NaN]);

/**
 * Enrols one photo per identity (every such choice), identifies the rest by both methods, and for each identity
 * leaves it out of the gallery and counts its photos accepted as someone else (false accepts). A photo's face is
 * its largest, as in enrolment.
 */
export async function accuracy(
  engine: Engine,
  photos: LabelledPhoto[],
  sweepDistances: number[] = [0.3, 0.35, 0.4, 0.45, 0.47, 0.5, 0.55, 0.6, 0.65],
  sweepConfidences: number[] = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
): Promise<AccuracyReport> {
  const described = await describe(
    engine,
    photos.map((p) => p.blob),
  );
  const probes = photos.map((p, i) => {
    const fs = described[i].faces;
    const largest = fs.length ? fs.reduce((a, b) => (b.box[2] * b.box[3] > a.box[2] * a.box[3] ? b : a)) : null;
    return { ...p, index: i, descriptor: largest?.descriptor ?? null };
  });
  const ids = [...new Set(photos.map((p) => p.identity))].sort();
  const byId = new Map(ids.map((id) => [id, probes.filter((p) => p.identity === id)]));
  // Every choice of one enrolment photo per identity.
  let galleries: number[][] = [[]];
  for (const id of ids) galleries = galleries.flatMap((g) => byId.get(id)!.map((p) => [...g, p.index]));

  const models = new Map<string, SoftmaxModel>();
  let trainMs = 0;
  const classifier = async (members: number[]): Promise<SoftmaxModel> => {
    const key = [...members].sort((a, b) => a - b).join(',');
    let m = models.get(key);
    if (!m) {
      const t0 = performance.now();
      m = await engine.faces.train(members.map((i) => ({ label: probes[i].identity, descriptor: probes[i].descriptor! })));
      trainMs += performance.now() - t0;
      models.set(key, m);
    }
    return m;
  };

  const attempts: Record<FaceMethod, Attempt[]> = { distance: [], classifier: [] };
  const run = async (members: number[], probeSet: typeof probes, inGallery: boolean) => {
    const usable = members.filter((i) => probes[i].descriptor);
    const gallery: Identity[] = usable.map((i) => ({ personId: probes[i].identity, name: probes[i].identity, descriptors: [probes[i].descriptor!] }));
    const model = new Set(usable.map((i) => probes[i].identity)).size >= 2 ? await classifier(usable) : null;
    for (const p of probeSet) {
      const truth = inGallery ? p.identity : null;
      if (!p.descriptor) {
        // No face found: a miss for both methods (never a false accept).
        for (const method of ['distance', 'classifier'] as const) attempts[method].push({ truth, identity: p.identity, nearest: null, score: Infinity });
        continue;
      }
      const m = recognize(p.descriptor, gallery, Infinity);
      attempts.distance.push({ truth, identity: p.identity, nearest: m.nearest, score: m.distance });
      if (model) {
        const c = classifyFace(model, p.descriptor, 0);
        attempts.classifier.push({ truth, identity: p.identity, nearest: c.nearest, score: 1 - c.confidence });
      }
    }
  };
  for (const g of galleries) {
    await run(
      g,
      probes.filter((p) => !g.includes(p.index)),
      true,
    );
    for (const left of ids) {
      await run(
        g.filter((i) => probes[i].identity !== left),
        byId.get(left)!,
        false,
      );
    }
  }

  // A decision at a threshold (on the score: distance, or 1 − confidence).
  const figures = (method: FaceMethod, scoreThreshold: number, threshold: number): MethodFigures => ({
    method,
    threshold,
    ...rates(attempts[method].map((a) => ({ truth: a.truth, predicted: a.score <= scoreThreshold ? a.nearest : null }))),
  });
  const labelled = (method: FaceMethod): LabelledScore[] =>
    attempts[method].filter((a) => Number.isFinite(a.score)).map((a) => ({ score: a.score, genuine: a.truth !== null && a.nearest === a.truth }));
  const calDistance = calibrateThreshold(labelled('distance'), 0, DEFAULT_DISTANCE_THRESHOLD);
  const calConfidence = 1 - calibrateThreshold(labelled('classifier'), 0, 1 - DEFAULT_MIN_CONFIDENCE);
  const scores = (method: FaceMethod, genuine: boolean) =>
    labelled(method)
      .filter((a) => a.genuine === genuine)
      .map((a) => a.score);
  const round = (x: number) => Math.round(x * 1e4) / 1e4;
  const rangesOf = (method: FaceMethod, flip: boolean) => {
    const tr = (r: [number, number]): [number, number] => (flip ? [round(1 - r[1]), round(1 - r[0])] : [round(r[0]), round(r[1])]);
    return { genuine: tr(range(scores(method, true))), impostor: tr(range(scores(method, false))) };
  };
  return {
    photos: probes.map((p, i) => ({ file: p.file, identity: p.identity, faces: described[i].faces.length, ms: Math.round(described[i].ms) })),
    identities: Object.fromEntries(ids.map((id) => [id, byId.get(id)!.length])),
    galleries: galleries.length,
    atDefault: [
      figures('distance', DEFAULT_DISTANCE_THRESHOLD, DEFAULT_DISTANCE_THRESHOLD),
      figures('classifier', 1 - DEFAULT_MIN_CONFIDENCE, DEFAULT_MIN_CONFIDENCE),
    ],
    calibrated: { distance: round(calDistance), minConfidence: round(calConfidence) },
    atCalibrated: [figures('distance', calDistance, round(calDistance)), figures('classifier', 1 - calConfidence, round(calConfidence))],
    // Classifier ranges are given as confidences (1 − score).
    ranges: { distance: rangesOf('distance', false), classifier: rangesOf('classifier', true) },
    sweep: [...sweepDistances.map((t) => figures('distance', t, t)), ...sweepConfidences.map((c) => figures('classifier', 1 - c, c))],
    classifiersTrained: models.size,
    trainMs: Math.round(trainMs),
    defaults: { distance: DEFAULT_DISTANCE_THRESHOLD, minConfidence: DEFAULT_MIN_CONFIDENCE },
  };
}

export interface StillsBench {
  backend: string;
  threads: number;
  photos: number;
  runs: number;
  faces: number;
  /** Per photo, detection + description + crop in the worker, on pixels decoded beforehand. */
  msPerPhoto: number[];
  totalMs: number;
  tensorsBefore: number;
  tensorsAfter: number;
}

/** Faces on still photos, warm: decodes each once, warms up for `warmupMs`, then runs the set `rounds` times. */
export async function stills(engine: Engine, blobs: Blob[], rounds: number, warmupMs: number): Promise<StillsBench> {
  const info = await engine.faces.init();
  const inputs: PreparedImage['inputs'] = [];
  for (const b of blobs) inputs.push((await engine.image.prepare(b, [FACE_INPUT])).inputs[0]);
  const once = async (i: number) => {
    const inp = inputs[i % inputs.length];
    const g = inp.geometry;
    // The client transfers the pixels: send a copy each time.
    return engine.faces.detectStill(inp.rgba.slice(), g.outW, g.outH, g.scale);
  };
  const w0 = performance.now();
  for (let i = 0; performance.now() - w0 < warmupMs || i < inputs.length; i++) await once(i);
  const tensorsBefore = (await engine.faces.stats()).tensors;
  const msPerPhoto: number[] = [];
  let faces = 0;
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < inputs.length; i++) {
      const s = performance.now();
      const res = await once(i);
      msPerPhoto.push(performance.now() - s);
      faces += res.faces.length;
    }
  }
  const totalMs = performance.now() - t0;
  const tensorsAfter = (await engine.faces.stats()).tensors;
  return {
    backend: info.backend,
    threads: info.threads,
    photos: inputs.length,
    runs: msPerPhoto.length,
    faces,
    msPerPhoto,
    totalMs,
    tensorsBefore,
    tensorsAfter,
  };
}

/** The page's faces bench, bound to the app's engine. */
export function facesBench(engine: Engine) {
  return {
    describe: (blobs: Blob[]) => describe(engine, blobs),
    accuracy: (photos: LabelledPhoto[]) => accuracy(engine, photos),
    stills: (blobs: Blob[], rounds: number, warmupMs: number) => stills(engine, blobs, rounds, warmupMs),
  };
}
