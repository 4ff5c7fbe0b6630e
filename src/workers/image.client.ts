import type { InputSpec } from '../shared/manifest';
import type { ImageApi, Outcome, PreparedImage } from './api';
import { WorkerOwner } from './owner';
import { unwrap } from './outcome';

export class ImageClient {
  readonly owner = new WorkerOwner<ImageApi>({
    name: 'image',
    create: () => new Worker(new URL('./image.worker.ts', import.meta.url), { type: 'module', name: 'image' }),
    idleMs: 60_000,
    timeoutMs: 60_000,
  });

  async prepare(file: Blob, resizes: InputSpec[], signal?: AbortSignal): Promise<PreparedImage> {
    return unwrap(await this.owner.call((api) => api.prepare(file, resizes) as Promise<Outcome<PreparedImage>>, signal));
  }

  /** Test hook: crash the worker to exercise restart. */
  async crash(): Promise<void> {
    await this.owner.call(async (api) => void api.crash());
  }
}
