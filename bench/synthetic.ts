// Synthetic library records for benchmarks (and the analytics-cache unit test): images with EXIF, facts, source and importer, their classification
// and detection results, and embeddings with planted clusters. Deterministic: record i is the same whatever
// the chunking, so the browser bench (seeded into IndexedDB) and the Node baseline see the same data.
import { rng } from '../src/ml/analytics/vectors';
import type { ClassificationResult, DetectionResult, ImageRecord, ImageSource, StageResult } from '../src/shared/types';

export const SYNTHETIC_CLASSIFIER = 'resnet50-keras-fp16w';
export const SYNTHETIC_DETECTOR = 'yolov8n-int8-640';
/** 2,048 floats per embedding, as ResNet50's pooled features. */
export const SYNTHETIC_DIM = 2048;
const LABELS = Array.from({ length: 300 }, (_, i) => `label-${i}`);
const OBJECTS = ['person', 'car', 'dog', 'cup', 'bottle', 'chair', 'bicycle', 'wine glass'];
const TAGS = ['safe', 'safe', 'safe', 'safe', 'alcohol', 'violence', 'nudity-risk', 'drugs-tobacco'];
const CAMERAS: [string, string][] = [
  ['Canon', 'EOS 40D'],
  ['NIKON CORPORATION', 'NIKON D70'],
  ['Google', 'Pixel 8'],
  ['Apple', 'iPhone 15'],
];
const LENSES = ['50mm f/1.8', '24-70mm f/2.8', '18-55mm'];
const PEOPLE = ['jdoe', 'amy', 'lee', 'kofi', 'mira'];
/** The profiles that "imported" the synthetic images (seed them too, so their names resolve). */
export const SYNTHETIC_PROFILES = [
  { profileId: 'synthetic-alice', name: 'Alice' },
  { profileId: 'synthetic-bob', name: 'Bob' },
];
const SIZES: [number, number][] = [
  [640, 480],
  [1920, 1080],
  [4032, 3024],
  [6000, 4000],
  [224, 224],
];
/** 1 January 2026, 00:00 UTC: addedAt of record 0 (record i was added i seconds later). */
const ADDED_BASE = Date.UTC(2026, 0, 1);

export const syntheticId = (i: number): string => i.toString(16).padStart(64, '0');

export interface SyntheticChunk {
  images: ImageRecord[];
  results: StageResult[];
}

/** Records start … start + count − 1 of the synthetic library `seed`. */
export function syntheticRecords(start: number, count: number, seed = 42): SyntheticChunk {
  const images: ImageRecord[] = [];
  const results: StageResult[] = [];
  for (let i = start; i < start + count; i++) {
    const r = rng(seed * 1_000_003 + i);
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)];
    const id = syntheticId(i);
    const [width, height] = pick(SIZES);
    const camera = r() < 0.7 ? pick(CAMERAS) : null;
    const month = `${2010 + Math.floor(r() * 16)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}`;
    const kind = r();
    const source: ImageSource =
      kind < 0.4
        ? { kind: 'file' }
        : kind < 0.7
          ? { kind: 'folder', path: `photos/${month}/${i}.jpg` }
          : { kind: 'url', url: `https://images.example/${i}.jpg`, meta: r() < 0.8 ? { photographer_username: pick(PEOPLE) } : {} };
    const importedBy = r() < 0.6 ? pick(SYNTHETIC_PROFILES) : undefined;
    const hex = Array.from({ length: 3 }, () =>
      Math.floor(r() * 256)
        .toString(16)
        .padStart(2, '0'),
    ).join('');
    images.push({
      id,
      name: `synthetic-${i}.jpg`,
      bytes: Math.floor(50_000 + r() * 5_000_000),
      format: 'jpeg',
      width,
      height,
      addedAt: ADDED_BASE + i * 1000,
      source,
      exif:
        r() < 0.8
          ? {
              ...(camera ? { make: camera[0], model: camera[1] } : {}),
              ...(r() < 0.5 ? { lens: pick(LENSES) } : {}),
              dateTaken: `${month}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}T12:00:00`,
              ...(r() < 0.15 ? { artist: pick(['Ann Artist', 'B. Photographer']) } : {}),
              iso: pick([100, 200, 400, 800]),
              fNumber: pick([1.8, 2.8, 4, 8]),
              raw: {},
            }
          : null,
      facts: {
        channels: 3,
        megapixels: (width * height) / 1e6,
        palette: [{ hex: `#${hex}`, share: 0.4 }],
        histogram: Array.from({ length: 24 }, () => 1 / 8),
        dhash: Math.floor(r() * 2 ** 32)
          .toString(16)
          .padStart(16, '0'),
      },
      ...(importedBy ? { importedBy } : {}),
    });
    const tag = pick(TAGS);
    // 20 labels, as the app stores; probabilities falling off from the top one.
    let p = 0.3 + r() * 0.6;
    const labels = Array.from({ length: 20 }, () => {
      const index = Math.floor(r() * LABELS.length);
      const l = { index, label: LABELS[index], prob: p };
      p *= 0.5;
      return l;
    });
    const c: ClassificationResult = {
      imageId: id,
      stage: 'classify',
      stageVersion: 1,
      modelId: SYNTHETIC_CLASSIFIER,
      modelVersion: 'synthetic',
      labels,
      tag: { tag, tags: tag === 'safe' ? [] : [tag], evidence: [], rulesVersion: 1 },
      backend: 'wasm/2t',
      inferenceMs: 100,
      createdAt: ADDED_BASE + i * 1000,
    };
    const d: DetectionResult = {
      imageId: id,
      stage: 'detect',
      stageVersion: 1,
      modelId: SYNTHETIC_DETECTOR,
      modelVersion: 'synthetic',
      objects: Array.from({ length: Math.floor(r() * 5) }, () => {
        const classIndex = Math.floor(r() * OBJECTS.length);
        return {
          x: r() * width,
          y: r() * height,
          width: 10 + r() * 200,
          height: 10 + r() * 200,
          classIndex,
          label: OBJECTS[classIndex],
          score: 0.25 + r() * 0.7,
        };
      }),
      scoreThreshold: 0.25,
      iouThreshold: 0.45,
      backend: 'wasm/2t',
      inferenceMs: 80,
      createdAt: ADDED_BASE + i * 1000,
    };
    results.push(c, d);
  }
  return { images, results };
}

/** Embeddings of records start … start + count − 1: one of `clusters` planted centres plus noise, all positive like CNN features. */
export function syntheticEmbeddings(start: number, count: number, seed = 42, dim = SYNTHETIC_DIM, clusters = 8): Float32Array[] {
  const c = rng(seed);
  const centres = Array.from({ length: clusters }, () => Float32Array.from({ length: dim }, () => c()));
  return Array.from({ length: count }, (_, j) => {
    const i = start + j;
    const r = rng(seed * 7_919 + i);
    const centre = centres[i % clusters];
    return Float32Array.from(centre, (x) => Math.max(0, x + (r() - 0.5) * 0.5));
  });
}
