// Fetching images listed by URL: a bounded window of concurrent downloads ahead of the batch, retries with
// exponential backoff for transient failures, and a specific error for each way a URL can fail.
import { SightlineError } from '../shared/types';

export interface DownloadOptions {
  concurrency: number;
  retries: number;
  backoffMs: number;
  timeoutMs: number;
  maxBytes: number;
  fetchImpl?: typeof fetch;
}

export const DOWNLOAD_DEFAULTS: DownloadOptions = { concurrency: 4, retries: 2, backoffMs: 500, timeoutMs: 30_000, maxBytes: 50 * 1024 * 1024 };

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(new SightlineError('cancelled', 'cancelled'))), { once: true });
  });

class Retryable extends Error {}

async function attempt(url: string, o: DownloadOptions, signal?: AbortSignal): Promise<Blob> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(new Retryable(`no answer within ${o.timeoutMs / 1000} s`)), o.timeoutMs);
  const onAbort = () => ctl.abort(new SightlineError('cancelled', 'cancelled'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    let res: Response;
    try {
      res = await (o.fetchImpl ?? fetch)(url, { signal: ctl.signal, mode: 'cors', credentials: 'omit', redirect: 'follow' });
    } catch (e) {
      if (ctl.signal.aborted) throw ctl.signal.reason;
      // Browsers report a CORS refusal and a dropped connection the same way, on purpose.
      throw new Retryable(`network error or CORS refusal (the server may not allow other sites to read its images): ${(e as Error).message}`);
    }
    if (!res.ok) {
      const msg = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
      if (RETRYABLE.has(res.status)) throw new Retryable(msg);
      throw new SightlineError('http-error', msg);
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (type && !type.startsWith('image/') && type !== 'application/octet-stream' && type !== 'binary/octet-stream')
      throw new SightlineError('not-an-image', `the server sent ${type}, not an image`);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    const limit = `the limit is ${Math.round(o.maxBytes / 1048576)} MB`;
    if (declared > o.maxBytes) throw new SightlineError('file-too-large', `the server declares ${Math.round(declared / 1048576)} MB; ${limit}`);
    // Count bytes as they arrive: a missing or false Content-Length must not let a huge body through.
    const reader = res.body?.getReader();
    if (!reader) return res.blob();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > o.maxBytes) {
        await reader.cancel();
        throw new SightlineError('file-too-large', `the download passed ${Math.round(o.maxBytes / 1048576)} MB; ${limit}`);
      }
      chunks.push(value);
    }
    return new Blob(chunks as BlobPart[], { type });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** One URL, retried with exponential backoff (500 ms, 1 s, …) on timeouts, network errors and 5xx/429. */
export async function fetchImage(url: string, o: DownloadOptions = DOWNLOAD_DEFAULTS, signal?: AbortSignal): Promise<Blob> {
  for (let i = 0; ; i++) {
    try {
      return await attempt(url, o, signal);
    } catch (e) {
      if (!(e instanceof Retryable)) throw e;
      if (i >= o.retries) throw new SightlineError('download-failed', `${e.message} (after ${i + 1} attempts)`);
      await sleep(o.backoffMs * 2 ** i, signal);
    }
  }
}

/** Downloads ahead of the consumer, at most `concurrency` at once, each blob released once taken. */
export class DownloadQueue {
  private started = new Map<number, Promise<Blob>>();
  private next = 0;

  constructor(
    private readonly urls: string[],
    private readonly o: DownloadOptions = DOWNLOAD_DEFAULTS,
  ) {}

  /** `signal` cancels the downloads this call starts (the batch's signal). */
  take(i: number, signal?: AbortSignal): Promise<Blob> {
    while (this.next < this.urls.length && this.next < i + this.o.concurrency) {
      const p = fetchImage(this.urls[this.next], this.o, signal);
      p.catch(() => undefined); // failures surface when taken
      this.started.set(this.next++, p);
    }
    const p = this.started.get(i) ?? fetchImage(this.urls[i], this.o, signal);
    this.started.delete(i);
    return p;
  }
}
