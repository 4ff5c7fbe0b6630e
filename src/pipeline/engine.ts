// Wires workers, rules and storage into the runner. The UI talks to this, never to workers or Dexie.
import { defaultModel, findModel, type ModelEntry } from '../shared/manifest';
import type { ContentRules } from '../shared/rules';
import type { ImportedBy } from '../shared/types';
import { findResult, getImage, saveProcessed } from '../db/queries';
import { YOLO_DEFAULTS, type YoloOptions } from '../shared/yolo-options';
import { ImageClient } from '../workers/image.client';
import { FacesClient } from '../workers/faces.client';
import { InferenceClient, manifest, type InferenceConfig } from '../workers/inference.client';
import { loadRecognizer, type RecognitionSettings, type Recognizer } from './people';
import { runBatch, type BatchCallbacks, type BatchItem, type BatchSummary, type RunnerDeps } from './runner';
import { contentRules } from './stages';

export interface RunOptions {
  /** Classifier id; null skips classification; undefined uses the default. */
  classifierId?: string | null;
  /** Detector id; null or undefined skips detection. */
  detectorId?: string | null;
  yolo?: Partial<YoloOptions>;
  /** The profile importing the batch (recorded on each new image); null or undefined: none. */
  importedBy?: ImportedBy | null;
  /** Run the faces stage, recognising with these settings; null or undefined skips it. */
  faces?: RecognitionSettings | null;
}

export { YOLO_DEFAULTS };

export class Engine {
  readonly image = new ImageClient();
  readonly faces: FacesClient;
  readonly inference: InferenceClient;
  rules: ContentRules = contentRules;

  /** `faceThreads`: tfjs WASM threads for the faces worker (1 unless ?facethreads= asks for more). */
  constructor(config: InferenceConfig = { backend: 'auto' }, faceThreads = 1) {
    this.inference = new InferenceClient(config);
    this.faces = new FacesClient('auto', globalThis.location?.origin, faceThreads);
  }

  get manifest() {
    return manifest;
  }

  model(id?: string): ModelEntry {
    return id ? findModel(manifest, id) : defaultModel(manifest, 'classification');
  }

  private deps(recognizer: Recognizer | null): RunnerDeps {
    return {
      detectFaces: async (input, signal) => {
        const g = input.geometry;
        const r = await this.faces.detectStill(input.rgba, g.outW, g.outH, g.scale, signal);
        return { ...r, backend: this.faces.info ? `${this.faces.info.backend}/human` : 'unknown' };
      },
      recognize: async (ds) =>
        recognizer
          ? ds.map((d) => recognizer.identify(d)).map((w) => ({ name: w.personId ? w.name : null, personId: w.personId, distance: w.score }))
          : ds.map(() => ({ name: null, distance: Infinity })),
      recognition: () =>
        recognizer && {
          method: recognizer.method,
          threshold: recognizer.method === 'classifier' ? recognizer.settings.minConfidence : recognizer.settings.distanceThreshold,
        },
      prepare: (file, resizes, signal) => this.image.prepare(file, resizes, signal),
      classify: (model, rgba, signal) => this.inference.classify(model.id, rgba, signal),
      detect: (model, input, size, opts, signal) => this.inference.detect(model.id, input.rgba, input.geometry, size, opts, signal),
      backendName: () => (this.inference.backend ? `${this.inference.backend.backend}/${this.inference.backend.threads}t` : 'unknown'),
      findResult,
      hasImage: async (id) => !!(await getImage(id)),
      save: saveProcessed,
      rules: () => this.rules,
    };
  }

  /** Loads the models first, so a missing or corrupt model is one clear error, not one per file. */
  async run(items: BatchItem[], opts: RunOptions, signal: AbortSignal, cb: BatchCallbacks): Promise<BatchSummary> {
    const classifier = opts.classifierId === null ? null : this.model(opts.classifierId);
    const detector = opts.detectorId ? findModel(manifest, opts.detectorId) : null;
    for (const m of [classifier, detector]) if (m) await this.inference.load(m.id, signal);
    // Face models load (and fail) once, before the first file; the gallery is read once per batch.
    let recognizer: Recognizer | null = null;
    if (opts.faces) {
      await this.faces.init(signal);
      recognizer = await loadRecognizer(opts.faces, (s) => this.faces.train(s));
    }
    const plan = { classifier, detector, yolo: { ...YOLO_DEFAULTS, ...opts.yolo }, importedBy: opts.importedBy, faces: !!opts.faces };
    return runBatch(items, plan, this.deps(recognizer), signal, cb);
  }
}
