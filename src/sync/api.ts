// HTTP calls to the sync server, with errors turned into one type the push loop can sort: unreachable
// (status 0), refused (4xx) or failing (5xx), with the server's own message and Retry-After.
import type { ErrorBody } from '../shared/sync';

export class SyncHttpError extends Error {
  constructor(
    /** 0 = no answer (offline, server down, timeout). */
    readonly status: number,
    message: string,
    readonly retryAfterMs: number | null = null,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export type Fetch = typeof fetch;

export interface CallOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  token?: string;
  body?: unknown;
  timeoutMs?: number;
}

/** Normalises what a person types: no trailing slash, http(s) only. */
export function normaliseServerUrl(input: string): string {
  const u = new URL(input.trim());
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('the server URL must start with http:// or https://');
  return u.origin + u.pathname.replace(/\/+$/, '');
}

export async function call<T>(fetchFn: Fetch, base: string, path: string, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetchFn(base + path, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? 'timed out' : (e as Error).message;
    throw new SyncHttpError(0, `cannot reach ${base}: ${why}`);
  }
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
  let body: Partial<ErrorBody> = {};
  try {
    body = (await res.json()) as ErrorBody;
  } catch {
    // not JSON (a proxy's error page): the status says enough
  }
  const retryAfter = Number(res.headers.get('Retry-After'));
  throw new SyncHttpError(
    res.status,
    body.message ?? `${res.status} ${res.statusText}`,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : null,
    body.code,
  );
}
