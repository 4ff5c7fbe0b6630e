import { SightlineError, type ErrorCode } from '../shared/types';
import type { Outcome } from './api';

/** Runs `fn` in a worker and turns a thrown error into an Outcome (comlink would lose its code). */
export async function outcome<T>(fn: () => Promise<T>, fallback: ErrorCode): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    if (e instanceof SightlineError) return { ok: false, code: e.code, message: e.message };
    return { ok: false, code: fallback, message: (e as Error)?.message ?? String(e) };
  }
}

/** Back on the calling side: the value, or a SightlineError carrying the worker's code. */
export function unwrap<T>(o: Outcome<T>): T {
  if (o.ok) return o.value;
  throw new SightlineError(o.code, o.message);
}
