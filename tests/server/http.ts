// Plain HTTP calls to a sync server child process (fault and scale-out tests).
import type { JoinResponse, PullResponse, SyncRecord } from '../../src/shared/sync.ts';

export async function api<T>(base: string, path: string, opts: { token?: string; body?: unknown; method?: string } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, {
    method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function setupViaHttp(base: string, setupCode: string, teamName = 'Team'): Promise<JoinResponse> {
  const r = await api<JoinResponse>(base, '/v1/setup', { body: { setupCode, teamName, name: 'Admin' } });
  if (r.status !== 201) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function inviteViaHttp(base: string, adminToken: string): Promise<string> {
  const r = await api<{ code: string }>(base, '/v1/invites', { token: adminToken, body: {} });
  if (r.status !== 201) throw new Error(`invite failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.code;
}

/** Every record of the team, page by page. */
export async function pullAll(base: string, token: string): Promise<{ memberId: string; record: SyncRecord }[]> {
  const out: { memberId: string; record: SyncRecord }[] = [];
  let after: string | null = null;
  do {
    const r: { status: number; body: PullResponse } = await api<PullResponse>(base, `/v1/records?limit=1000${after ? `&after=${after}` : ''}`, { token });
    if (r.status !== 200) throw new Error(`pull failed: ${r.status}`);
    out.push(...r.body.records);
    after = r.body.next;
  } while (after);
  return out;
}
