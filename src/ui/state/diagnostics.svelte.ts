import { libraryCounts } from '../../db/queries';
import { STAGES } from '../../pipeline/stages';
import type { BackendInfo } from '../../workers/api';
import type { FaceBackendInfo } from '../../workers/faces-api';
import { engine } from './engine';

export class DiagnosticsState {
  backend = $state<BackendInfo | null>(null);
  /** null until the faces worker has started (first photo with faces on, People or Webcam). */
  faces = $state.raw<FaceBackendInfo | null>(null);
  error = $state<string | null>(null);
  storage = $state<{ usage: number; quota: number; persisted: boolean } | null>(null);
  counts = $state<{ images: number; results: number } | null>(null);
  loaded = $state.raw<{ id: string; version: string; bytes: number; loadMs: number }[]>([]);
  workers = $state<{ name: string; running: boolean; starts: number; restarts: number }[]>([]);
  readonly stages = STAGES;
  readonly crossOriginIsolated = globalThis.crossOriginIsolated === true;
  readonly hardwareConcurrency = navigator.hardwareConcurrency;

  async refresh(): Promise<void> {
    this.error = null;
    try {
      this.backend = await engine.inference.info();
    } catch (e) {
      this.error = (e as Error).message;
    }
    this.loaded = [...engine.inference.loaded.values()];
    this.faces = engine.faces.info;
    const est = await navigator.storage?.estimate?.();
    const persisted = (await navigator.storage?.persisted?.()) ?? false;
    if (est) this.storage = { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted };
    this.counts = await libraryCounts();
    this.workers = [
      { name: 'inference', owner: engine.inference.workerOwner },
      { name: 'image', owner: engine.image.owner },
      { name: 'faces', owner: engine.faces.workerOwner },
    ].map(({ name, owner }) => ({ name, running: owner.running, starts: owner.starts, restarts: owner.restarts }));
  }
}

export const diagnostics = new DiagnosticsState();
