// Control flow of runBatch with hand-written deps (the real decode/inference path is covered by the browser e2e tests).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { planGeometry } from '../../src/ml/preprocess';
import { runBatch, type BatchItem, type BatchProgress, type RunnerDeps, type RunPlan } from '../../src/pipeline/runner';
import { YOLO_DEFAULTS } from '../../src/shared/yolo-options';
import { findModel } from '../../src/shared/manifest';
import { SightlineError, type ClassificationResult, type FileError, type FileNotice, type ImageRecord, type Label } from '../../src/shared/types';
import type { Classification, PreparedImage } from '../../src/workers/api';
import { loadManifest, loadRules } from './paths';

const model = findModel(loadManifest(), 'resnet50-keras-fp16w');
const plan: RunPlan = { classifier: model, detector: null, yolo: YOLO_DEFAULTS };
const rules = loadRules();

// The fake deps look up which file a Blob is.
const blobName = new WeakMap<Blob, string>();
const item = (name: string): BatchItem => {
  const file = new Blob([name]);
  blobName.set(file, name);
  return { file, name, source: { kind: 'file' } };
};
const shaOf = (name: string) => name.replace(/\W/g, '').padEnd(64, '0').slice(0, 64);

const prepared = (name: string): PreparedImage => ({
  sha256: shaOf(name),
  format: 'jpeg',
  bytes: name.length,
  width: 500,
  height: 375,
  thumb: new Blob(['thumb']),
  inputs: [{ rgba: new Uint8ClampedArray(224 * 224 * 4).fill(name.length), geometry: planGeometry(500, 375, model.preprocess.resize) }],
  exif: null,
  facts: { channels: 3, megapixels: 0.19, palette: [], histogram: [], dhash: '0'.repeat(16) },
  decodeMs: 3,
});

const WINE: Label[] = [
  { index: 907, label: 'wine bottle', prob: 0.7 },
  { index: 966, label: 'red wine', prob: 0.1 },
];

interface Fake extends RunnerDeps {
  events: string[];
  saved: Map<string, { image: ImageRecord; result: ClassificationResult }>;
  classified: string[];
}

/** Deps that succeed unless told otherwise; every call is logged in `events`. */
function fakeDeps(
  over: {
    failPrepare?: Record<string, unknown>;
    stored?: string[];
    storedVersion?: number;
    classify?: (name: string, signal: AbortSignal) => Promise<Classification> | Classification;
  } = {},
): Fake {
  const saved = new Map<string, { image: ImageRecord; result: ClassificationResult }>();
  const events: string[] = [];
  const classified: string[] = [];
  const nameOfRgba = new Map<Uint8ClampedArray, string>();
  return {
    events,
    saved,
    classified,
    async prepare(file) {
      const name = blobName.get(file)!;
      events.push(`prepare ${name}`);
      await new Promise((r) => setTimeout(r, 1)); // decoding takes a while
      if (over.failPrepare && name in over.failPrepare) throw over.failPrepare[name];
      const p = prepared(name);
      nameOfRgba.set(p.inputs[0].rgba, name);
      return p;
    },
    async classify(m, rgba, signal) {
      expect(m).toBe(model);
      const name = nameOfRgba.get(rgba)!;
      events.push(`classify ${name}`);
      classified.push(name);
      const c = over.classify ? await over.classify(name, signal) : { labels: WINE, features: new Float32Array(4), inferenceMs: 42 };
      events.push(`classified ${name}`);
      return c;
    },
    async detect() {
      throw new Error('no detector in these plans');
    },
    backendName: () => 'wasm',
    async hasImage(imageId) {
      return !!over.stored?.some((n) => shaOf(n) === imageId);
    },
    async findResult(imageId, stage, modelId) {
      expect([stage, modelId]).toEqual(['classify', model.id]);
      const hit = over.stored?.find((n) => shaOf(n) === imageId);
      return hit ? ({ imageId, modelId, stage, stageVersion: over.storedVersion ?? 1 } as ClassificationResult) : undefined;
    },
    async save({ image, results }) {
      events.push(`save ${image.name}`);
      saved.set(image.name, { image, result: results[0] as ClassificationResult });
    },
    rules: () => rules,
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('runBatch', () => {
  it('a failing prepare fails that file only, with its code; the others are stored', async () => {
    const deps = fakeDeps({ failPrepare: { 'b.jpg': new SightlineError('truncated', 'JPEG is truncated (no end-of-image marker after the image data)') } });
    const errors: FileError[] = [];
    const stored: string[] = [];
    const s = await runBatch([item('a.jpg'), item('b.jpg'), item('c.jpg')], plan, deps, new AbortController().signal, {
      onError: (e) => errors.push(e),
      onStored: (img) => stored.push(img.name),
    });
    const fe = { file: 'b.jpg', code: 'truncated', message: 'JPEG is truncated (no end-of-image marker after the image data)' };
    expect(s).toMatchObject({ total: 3, done: 2, failed: 1, skipped: 0, cancelled: false, current: null, errors: [fe] });
    expect(errors).toEqual([fe]);
    expect(stored).toEqual(['a.jpg', 'c.jpg']);
    expect([...deps.saved.keys()]).toEqual(['a.jpg', 'c.jpg']);
    expect(deps.classified).toEqual(['a.jpg', 'c.jpg']);
  });

  it('prepares the next file while the current one is classified', async () => {
    const deps = fakeDeps();
    await runBatch([item('a'), item('b'), item('c')], plan, deps, new AbortController().signal);
    expect(deps.events).toEqual([
      'prepare a',
      'prepare b', // started before a is classified
      'classify a',
      'classified a',
      'save a',
      'prepare c',
      'classify b',
      'classified b',
      'save b',
      'classify c',
      'classified c',
      'save c',
    ]);
  });

  it('an already-stored result is skipped without classifying', async () => {
    const deps = fakeDeps({ stored: ['b.jpg'] });
    const s = await runBatch([item('a.jpg'), item('b.jpg')], plan, deps, new AbortController().signal);
    expect(s).toMatchObject({ done: 1, skipped: 1, failed: 0, errors: [] });
    expect(deps.classified).toEqual(['a.jpg']);
    expect(deps.saved.has('b.jpg')).toBe(false);
  });

  it('abort after the first file stops the batch; what was stored stays', async () => {
    const ctl = new AbortController();
    const deps = fakeDeps();
    let firstResult: ClassificationResult | undefined;
    const s = await runBatch([item('a'), item('b'), item('c')], plan, deps, ctl.signal, {
      onStored: (_img, r) => {
        firstResult = r[0] as ClassificationResult;
        ctl.abort();
      },
    });
    expect(s).toMatchObject({ cancelled: true, done: 1, failed: 0, skipped: 0, errors: [], current: null });
    expect(deps.classified).toEqual(['a']);
    expect([...deps.saved.keys()]).toEqual(['a']);
    expect(deps.saved.get('a')!.result).toBe(firstResult);
    // c is never even prepared
    expect(deps.events.filter((e) => e.startsWith('prepare'))).toEqual(['prepare a', 'prepare b']);
  });

  it('an abort that interrupts classify is a cancel, not a file error', async () => {
    const ctl = new AbortController();
    const deps = fakeDeps({
      classify: (name) => {
        if (name === 'b') {
          ctl.abort();
          throw new DOMException('The operation was aborted', 'AbortError');
        }
        return { labels: WINE, features: null, inferenceMs: 1 };
      },
    });
    const s = await runBatch([item('a'), item('b'), item('c')], plan, deps, ctl.signal);
    expect(s).toMatchObject({ cancelled: true, done: 1, failed: 0, errors: [] });
    expect([...deps.saved.keys()]).toEqual(['a']);
  });

  it('an empty batch finishes at once', async () => {
    const deps = fakeDeps();
    const s = await runBatch([], plan, deps, new AbortController().signal);
    expect(s).toMatchObject({ total: 0, done: 0, failed: 0, skipped: 0, cancelled: false, errors: [], etaMs: null });
    expect(deps.events).toEqual([]);
  });

  it('progress reports totals, the current file and an ETA once a file has finished', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
    const deps = fakeDeps({
      failPrepare: { c: new SightlineError('not-an-image', 'this is a text file, not an image') },
      stored: ['b'],
      classify: () => {
        vi.setSystemTime(Date.now() + 1000); // each inference takes 1 s
        return { labels: WINE, features: null, inferenceMs: 1000 };
      },
    });
    const seen: BatchProgress[] = [];
    const s = await runBatch([item('a'), item('b'), item('c'), item('d')], plan, deps, new AbortController().signal, { onProgress: (p) => seen.push(p) });
    expect(seen[0]).toEqual({ total: 4, done: 0, failed: 0, skipped: 0, current: null, startedAt: 1_000_000, etaMs: null });
    expect(seen[1]).toMatchObject({ current: 'a', etaMs: null });
    // after a: 1 finished in 1000 ms, 3 left -> 3000 ms
    expect(seen[2]).toMatchObject({ done: 1, current: 'a', etaMs: 3000 });
    const tail = seen.slice(3).map((p) => [p.current, p.done, p.skipped, p.failed, p.etaMs]);
    expect(tail).toEqual([
      ['b', 1, 0, 0, 3000],
      ['b', 1, 1, 0, 1000], // 2 finished in 1000 ms, 2 left
      ['c', 1, 1, 0, 1000],
      ['c', 1, 1, 1, (1000 / 3) * 1],
      ['d', 1, 1, 1, (1000 / 3) * 1],
      ['d', 2, 1, 1, 0], // 4 finished in 2000 ms
      [null, 2, 1, 1, 0],
    ]);
    expect(s).toMatchObject({ total: 4, done: 2, skipped: 1, failed: 1, elapsedMs: 2000, cancelled: false });
    // snapshots, not the live object
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('the stored result carries model id/version, stage version and the tag from the rules', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_000);
    const deps = fakeDeps();
    const src = { kind: 'product-list' as const, product: { product_id: '7', product_name: 'Wine', placeholder_image_url: '', local_image_path: 'w.jpg' } };
    await runBatch([{ ...item('w.jpg'), source: src }], plan, deps, new AbortController().signal);
    const { image, result } = deps.saved.get('w.jpg')!;
    expect(image).toEqual({
      id: shaOf('w.jpg'),
      name: 'w.jpg',
      bytes: 5,
      format: 'jpeg',
      width: 500,
      height: 375,
      addedAt: 1_700_000_000_000,
      source: src,
      exif: null,
      facts: prepared('w.jpg').facts,
    });
    expect(result).toEqual({
      imageId: shaOf('w.jpg'),
      stage: 'classify',
      stageVersion: 1,
      modelId: 'resnet50-keras-fp16w',
      modelVersion: '1.0.0',
      labels: WINE,
      tag: {
        tag: 'alcohol',
        tags: ['alcohol'],
        evidence: [{ category: 'alcohol', source: 'label', label: 'wine bottle', prob: 0.7, threshold: 0.2, weight: 1 }],
        rulesVersion: 2,
      },
      backend: 'wasm',
      inferenceMs: 42,
      createdAt: 1_700_000_000_000,
    });
  });

  it('uses the rules the deps give it at the time of the file', async () => {
    const deps = fakeDeps();
    const strict = loadRules();
    strict.categories.find((c) => c.id === 'alcohol')!.threshold = 0.9;
    deps.rules = () => strict;
    await runBatch([item('a')], plan, deps, new AbortController().signal);
    expect(deps.saved.get('a')!.result.tag.tag).toBe('safe');
  });

  it('a non-SightlineError from classify becomes inference-failed; SightlineError codes are kept', async () => {
    const deps = fakeDeps({
      classify: (name) => {
        if (name === 'oom') throw new Error('ORT: failed to allocate a buffer');
        if (name === 'str') throw 'plain string';
        if (name === 'corrupt') throw new SightlineError('model-corrupt', 'model file is damaged');
        return { labels: WINE, features: null, inferenceMs: 1 };
      },
    });
    const s = await runBatch([item('oom'), item('str'), item('ok'), item('corrupt')], plan, deps, new AbortController().signal);
    expect(s.errors).toEqual([
      { file: 'oom', code: 'inference-failed', message: 'ORT: failed to allocate a buffer' },
      { file: 'str', code: 'inference-failed', message: 'plain string' },
      { file: 'corrupt', code: 'model-corrupt', message: 'model file is damaged' },
    ]);
    expect(s).toMatchObject({ done: 1, failed: 3, cancelled: false });
    expect([...deps.saved.keys()]).toEqual(['ok']);
  });

  it('a failing save fails the file and does not count it as done', async () => {
    const deps = fakeDeps();
    deps.save = async () => {
      throw new SightlineError('storage-failed', 'the browser refused to store more data');
    };
    const stored: string[] = [];
    const s = await runBatch([item('a')], plan, deps, new AbortController().signal, { onStored: (i) => stored.push(i.name) });
    expect(s).toMatchObject({ done: 0, failed: 1, errors: [{ file: 'a', code: 'storage-failed', message: 'the browser refused to store more data' }] });
    expect(stored).toEqual([]);
  });

  it('with no model in the plan, files are stored with their metadata only; known images are skipped', async () => {
    const deps = fakeDeps({ stored: ['b'] });
    const s = await runBatch([item('a'), item('b')], { classifier: null, detector: null, yolo: YOLO_DEFAULTS }, deps, new AbortController().signal);
    expect(s).toMatchObject({ done: 1, skipped: 1, failed: 0 });
    expect(deps.classified).toEqual([]);
    expect(deps.saved.get('a')!.image.facts).toEqual(prepared('a').facts);
  });

  it('a metadata-only image (HEIC, TIFF) runs no model, is stored with its note and reported as a notice, not a failure', async () => {
    const note = 'This browser cannot decode HEIC; metadata only — convert to JPEG to analyse it.';
    const deps = fakeDeps({ stored: ['old.heic'] });
    const decodable = deps.prepare;
    deps.prepare = async (file, resizes, signal) => {
      const name = blobName.get(file)!;
      if (!name.endsWith('.heic')) return decodable(file, resizes, signal);
      return {
        ...prepared(name),
        facts: undefined,
        format: 'heic',
        width: 4032,
        height: 3024,
        inputs: [],
        exif: { make: 'Apple', raw: { Make: 'Apple' } },
        metadataOnly: note,
      };
    };
    const notices: FileNotice[] = [];
    const stored: string[] = [];
    const s = await runBatch([item('a.jpg'), item('p.heic'), item('old.heic')], plan, deps, new AbortController().signal, {
      onNotice: (n) => notices.push(n),
      onStored: (i) => stored.push(i.name),
    });
    expect(s).toMatchObject({ total: 3, done: 2, failed: 0, skipped: 1, errors: [] });
    expect(s.notices).toEqual([{ file: 'p.heic', code: 'metadata-only', message: note }]);
    expect(notices).toEqual(s.notices);
    expect(stored).toEqual(['a.jpg', 'p.heic']);
    expect(deps.classified).toEqual(['a.jpg']);
    const { image, result } = deps.saved.get('p.heic')!;
    expect(image).toMatchObject({ format: 'heic', width: 4032, height: 3024, metadataOnly: true, note, exif: { make: 'Apple' } });
    expect(image.facts).toBeUndefined();
    expect(result).toBeUndefined();
    // A decodable image carries no flag.
    expect(deps.saved.get('a.jpg')!.image).not.toHaveProperty('metadataOnly');
  });
});
