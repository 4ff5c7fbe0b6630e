// The one owner of a worker: starts it lazily, runs calls one at a time, cancels queued or running calls
// through an AbortSignal, restarts it after a crash or a hung call, and terminates it when idle so the
// browser can take back its WASM memory.
import { wrap, releaseProxy, type Remote } from 'comlink';
import { SightlineError } from '../shared/types';

export interface OwnerOptions<Api> {
  name: string;
  create: () => Worker;
  /** Runs after every (re)start, before the first call: re-create sessions etc. */
  init?: (api: Remote<Api>) => Promise<void>;
  idleMs?: number;
  timeoutMs?: number;
}

export class WorkerOwner<Api> {
  private worker: Worker | null = null;
  private api: Remote<Api> | null = null;
  private ready: Promise<Remote<Api>> | null = null;
  private tail: Promise<unknown> = Promise.resolve();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private died: Promise<void> = new Promise(() => {});
  private markDied: () => void = () => {};
  private crashListeners = new Set<(e: SightlineError) => void>();
  restarts = 0;
  starts = 0;

  constructor(private readonly opts: OwnerOptions<Api>) {}

  get running(): boolean {
    return this.worker !== null;
  }

  private start(): Promise<Remote<Api>> {
    if (this.ready) return this.ready;
    const worker = this.opts.create();
    this.worker = worker;
    this.starts++;
    const api = wrap<Api>(worker);
    this.died = new Promise((r) => (this.markDied = r));
    this.api = api;
    const onDeath = (ev: Event) => {
      const msg = ev instanceof ErrorEvent && ev.message ? ev.message : 'the worker stopped unexpectedly';
      this.kill(new SightlineError('worker-crashed', `${this.opts.name} worker crashed (${msg}); it will be restarted`));
    };
    worker.addEventListener('error', onDeath);
    worker.addEventListener('messageerror', onDeath);
    this.ready = (async () => {
      if (this.opts.init) await this.opts.init(api);
      return api;
    })();
    this.ready.catch(() => this.kill());
    return this.ready;
  }

  /** Stops the worker now; calls in flight fail with `reason`. */
  kill(reason?: SightlineError): void {
    if (!this.worker) return;
    if (reason) {
      this.restarts++;
      for (const l of this.crashListeners) l(reason);
    }
    this.api?.[releaseProxy]();
    this.worker.terminate();
    this.markDied();
    this.worker = null;
    this.api = null;
    this.ready = null;
    clearTimeout(this.idleTimer);
  }

  onCrash(listener: (e: SightlineError) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  /** Queues `fn`; it runs when every earlier call has finished in the worker (not merely been cancelled). */
  call<R>(fn: (api: Remote<Api>) => Promise<R>, signal?: AbortSignal, timeoutMs = this.opts.timeoutMs ?? 120_000): Promise<R> {
    let finished: Promise<unknown> = Promise.resolve();
    const run = async (): Promise<R> => {
      if (signal?.aborted) throw new SightlineError('cancelled', 'cancelled');
      clearTimeout(this.idleTimer);
      const api = await this.start();
      const died = this.died;
      return new Promise<R>((resolve, reject) => {
        const off = this.onCrash(reject);
        const timer = setTimeout(() => {
          const e = new SightlineError('timeout', `${this.opts.name} worker did not answer within ${timeoutMs / 1000} s; restarted it`);
          reject(e);
          this.kill(e);
        }, timeoutMs);
        const abort = () => reject(new SightlineError('cancelled', 'cancelled'));
        signal?.addEventListener('abort', abort, { once: true });
        const work = fn(api);
        // A killed worker never answers: the queue moves on when the work ends or the worker dies.
        finished = Promise.race([work.catch(() => undefined), died]);
        work.then(resolve, reject);
        void finished.then(() => {
          clearTimeout(timer);
          off();
          signal?.removeEventListener('abort', abort);
          this.armIdle();
        });
      });
    };
    const p = this.tail.then(run);
    this.tail = p.then(
      () => finished,
      () => finished,
    );
    return p;
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    const ms = this.opts.idleMs;
    if (ms) this.idleTimer = setTimeout(() => this.kill(), ms);
  }
}
