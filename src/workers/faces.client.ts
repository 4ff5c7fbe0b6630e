// The one owner of the faces worker. Photos queue like any other model call; live frames never queue: while one
// frame is in the worker, newer ones are dropped (closed), so the overlay stays live rather than lagging.
import { transfer } from 'comlink';
import type { SoftmaxModel } from '../shared/faces-classifier';
import type { DetectedFace, FaceBackend, FaceBackendInfo, FaceStats, FacesApi, StillFace } from './faces-api';
import { unwrap } from './outcome';
import { WorkerOwner } from './owner';

export class FacesClient {
  info: FaceBackendInfo | null = null;
  private owner: WorkerOwner<FacesApi>;
  private frameInFlight = false;
  dropped = 0;

  constructor(
    private pref: FaceBackend | 'auto' = 'auto',
    private origin = globalThis.location?.origin ?? 'http://localhost',
    /** tfjs WASM threads (1 unless ?facethreads= asks for more). */
    private threads = 1,
  ) {
    this.owner = new WorkerOwner<FacesApi>({
      name: 'faces',
      create: () => new Worker(new URL('./faces.worker.ts', import.meta.url), { type: 'module', name: 'faces' }),
      init: async (api) => {
        this.info = unwrap(await api.init(this.pref, this.origin, this.threads));
      },
      idleMs: 3 * 60_000,
      timeoutMs: 120_000,
    });
  }

  get workerOwner(): WorkerOwner<FacesApi> {
    return this.owner;
  }

  async init(signal?: AbortSignal): Promise<FaceBackendInfo> {
    await this.owner.call(async () => undefined, signal);
    return this.info!;
  }

  detectStill(rgba: Uint8ClampedArray, width: number, height: number, scale: number, signal?: AbortSignal): Promise<{ faces: StillFace[]; ms: number }> {
    return this.owner.call(async (api) => unwrap(await api.detectStill(transfer(rgba, [rgba.buffer]), width, height, scale)), signal);
  }

  /** null when a frame is already being processed: this one was dropped. */
  async detectFrame(frame: ImageBitmap): Promise<{ faces: DetectedFace[]; ms: number; stats: FaceStats } | null> {
    if (this.frameInFlight) {
      frame.close();
      this.dropped++;
      return null;
    }
    this.frameInFlight = true;
    try {
      return await this.owner.call(async (api) => unwrap(await api.detectFrame(transfer(frame, [frame]))));
    } finally {
      this.frameInFlight = false;
    }
  }

  train(samples: { label: string; descriptor: Float32Array }[]): Promise<SoftmaxModel> {
    return this.owner.call(async (api) => unwrap(await api.train(samples)));
  }

  stats(): Promise<FaceStats> {
    return this.owner.call((api) => api.stats());
  }

  async crash(): Promise<void> {
    await this.owner.call(async (api) => void api.crash());
  }

  stop(): void {
    this.owner.kill();
  }
}
