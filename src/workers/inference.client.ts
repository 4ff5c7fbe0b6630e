import { transfer } from 'comlink';
import manifestJson from '../../models/manifest.json';
import { findModel, type ModelManifest } from '../shared/manifest';
import { SightlineError } from '../shared/types';
import type { Geometry } from '../ml/preprocess';
import type { YoloOptions } from '../ml/yolo';
import type { BackendInfo, BackendPreference, Classification, Detections, InferenceApi, LoadedModel } from './api';
import { WorkerOwner } from './owner';
import { unwrap } from './outcome';

export const manifest = manifestJson as unknown as ModelManifest;

export interface InferenceConfig {
  backend: BackendPreference;
  threads?: number;
}

/** The one owner of the inference worker. Models load lazily, and again after a restart. */
export class InferenceClient {
  backend: BackendInfo | null = null;
  readonly loaded = new Map<string, LoadedModel>();
  private owner: WorkerOwner<InferenceApi>;

  constructor(
    private config: InferenceConfig = { backend: 'auto' },
    private baseUrl = globalThis.location?.href ?? 'http://localhost/',
  ) {
    this.owner = this.makeOwner();
  }

  private makeOwner(): WorkerOwner<InferenceApi> {
    return new WorkerOwner<InferenceApi>({
      name: 'inference',
      create: () => new Worker(new URL('./inference.worker.ts', import.meta.url), { type: 'module', name: 'inference' }),
      init: async (api) => {
        this.loaded.clear();
        this.backend = await api.init(this.config.backend, this.config.threads);
      },
      idleMs: 5 * 60_000,
      timeoutMs: 180_000,
    });
  }

  get workerOwner(): WorkerOwner<InferenceApi> {
    return this.owner;
  }

  /** Backend or thread changes need a fresh worker: ORT fixes them at its first session. */
  reconfigure(config: InferenceConfig): void {
    this.owner.kill();
    this.config = config;
    this.owner = this.makeOwner();
    this.loaded.clear();
  }

  modelUrl(file: string): string {
    return new URL(`models/${file}`, this.baseUrl).href;
  }

  private async ensure(api: Parameters<Parameters<WorkerOwner<InferenceApi>['call']>[0]>[0], modelId: string): Promise<void> {
    if (this.loaded.has(modelId)) return;
    const entry = findModel(manifest, modelId);
    const labels = manifest.labels[entry.labels];
    const info = unwrap(await api.loadModel(entry, this.modelUrl(`files/${entry.file}`), this.modelUrl(labels.file), labels.column));
    this.loaded.set(modelId, info);
  }

  async load(modelId: string, signal?: AbortSignal): Promise<LoadedModel> {
    return this.owner.call(async (api) => {
      await this.ensure(api, modelId);
      return this.loaded.get(modelId)!;
    }, signal);
  }

  async classify(modelId: string, rgba: Uint8ClampedArray, signal?: AbortSignal, k = 20): Promise<Classification> {
    return this.owner.call(async (api) => {
      await this.ensure(api, modelId);
      return unwrap(await api.classify(modelId, transfer(rgba, [rgba.buffer]), k));
    }, signal);
  }

  /**
   * Several images in one session.run (ResNet50: N = 2–8 runs faster per image than N = 1; see bench/README.md).
   * For a batch with several decoded images ready; a single image should go through classify() so it is not held back.
   * Results come back in input order. Refused (SightlineError 'inference-failed') beyond the model's input.maxBatch.
   */
  async classifyBatch(modelId: string, images: Uint8ClampedArray[], signal?: AbortSignal, k = 20): Promise<Classification[]> {
    const max = findModel(manifest, modelId).input.maxBatch ?? 1;
    if (images.length > max) throw new SightlineError('inference-failed', `${modelId} takes at most ${max} image(s) per run, got ${images.length}`);
    if (!images.length) return [];
    return this.owner.call(async (api) => {
      await this.ensure(api, modelId);
      return unwrap(
        await api.classifyBatch(
          modelId,
          transfer(
            images,
            images.map((i) => i.buffer as ArrayBuffer),
          ),
          k,
        ),
      );
    }, signal);
  }

  /** How many images one classifyBatch() call may take for this model (1: no batching). */
  maxBatch(modelId: string): number {
    return findModel(manifest, modelId).input.maxBatch ?? 1;
  }

  async detect(
    modelId: string,
    rgba: Uint8ClampedArray,
    geometry: Geometry,
    size: { width: number; height: number },
    opts: YoloOptions,
    signal?: AbortSignal,
  ): Promise<Detections> {
    return this.owner.call(async (api) => {
      await this.ensure(api, modelId);
      return unwrap(await api.detect(modelId, transfer(rgba, [rgba.buffer]), geometry, size, opts));
    }, signal);
  }

  async benchmark(modelId: string, runs: number, warmupMs: number, batch = 1): Promise<number[]> {
    return this.owner.call(
      async (api) => {
        await this.ensure(api, modelId);
        return api.benchmark(modelId, runs, warmupMs, batch);
      },
      undefined,
      600_000,
    );
  }

  async info(): Promise<BackendInfo> {
    return this.owner.call(async (api) => (this.backend = await api.init(this.config.backend, this.config.threads)));
  }

  async crash(): Promise<void> {
    await this.owner.call(async (api) => void api.crash());
  }
}
