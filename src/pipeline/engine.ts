// Wires workers, rules and storage into the runner. The UI talks to this, never to workers or Dexie.
import { defaultModel, findModel, type ModelEntry } from '../shared/manifest';
import type { ContentRules } from '../shared/rules';
import { findResult, saveProcessed } from '../db/queries';
import { ImageClient } from '../workers/image.client';
import { InferenceClient, manifest, type InferenceConfig } from '../workers/inference.client';
import { runBatch, type BatchCallbacks, type BatchItem, type BatchSummary, type RunnerDeps } from './runner';
import { contentRules } from './stages';

export class Engine {
  readonly image = new ImageClient();
  readonly inference: InferenceClient;
  rules: ContentRules = contentRules;

  constructor(config: InferenceConfig = { backend: 'auto' }) {
    this.inference = new InferenceClient(config);
  }

  get manifest() {
    return manifest;
  }

  model(id?: string): ModelEntry {
    return id ? findModel(manifest, id) : defaultModel(manifest, 'classification');
  }

  private deps(): RunnerDeps {
    return {
      prepare: (file, model, signal) => this.image.prepare(file, model.preprocess.resize, signal),
      classify: (model, rgba, signal) => this.inference.classify(model.id, rgba, signal),
      backendName: () => (this.inference.backend ? `${this.inference.backend.backend}/${this.inference.backend.threads}t` : 'unknown'),
      findResult,
      save: saveProcessed,
      rules: () => this.rules,
    };
  }

  /** Loads the model first, so a missing or corrupt model is one clear error, not one per file. */
  async run(items: BatchItem[], modelId: string | undefined, signal: AbortSignal, cb: BatchCallbacks): Promise<BatchSummary> {
    const model = this.model(modelId);
    await this.inference.load(model.id, signal);
    return runBatch(items, model, this.deps(), signal, cb);
  }
}
