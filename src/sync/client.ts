// Team sync on the device: the account (join, leave), the outbox in IndexedDB and the background push with
// retry and exponential backoff. The outbox survives reloads and offline periods; record ids are made once,
// at enqueue, so a push retried after a lost answer is stored once by the server.
import { OutboxStore, type SyncAccount, type SyncLog, type SyncPrefs } from '../db/outbox';
import type { Analytics, DeviceInfo, InviteResponse, JoinResponse, MeResponse, PushResponse, Role, TeamInfo } from '../shared/sync';
import { PROTOCOL_VERSION } from '../shared/sync-constants';
import { call, normaliseServerUrl, SyncHttpError, type CallOptions, type Fetch } from './api';
import { buildSyncRecord, type ImageLike, type ResultLike } from './record';

export interface SyncStatus {
  /** Null when this device is in no team. */
  account: Omit<SyncAccount, 'token'> | null;
  prefs: SyncPrefs;
  pending: number;
  syncing: boolean;
  lastSyncAt: number | null;
  lastError: string | null;
  nextRetryAt: number | null;
  rejected: number;
}

export interface SyncClientOptions {
  store?: OutboxStore;
  fetch?: Fetch;
  /** First retry delay; doubles per failure up to maxDelayMs (with jitter). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  batchSize?: number;
  /** Wait after an enqueue so one push carries the records of a burst. */
  debounceMs?: number;
}

const DEFAULT_PREFS: SyncPrefs = { shareFileNames: false, exifFields: [] };

/** Views get the account without its token. */
function withoutToken(a: SyncAccount | null): SyncStatus['account'] {
  return a && { serverUrl: a.serverUrl, deviceId: a.deviceId, team: a.team, member: a.member, joinedAt: a.joinedAt };
}

export class SyncClient {
  private readonly store: OutboxStore;
  private readonly opts: Required<Omit<SyncClientOptions, 'store'>>;
  private account: SyncAccount | null = null;
  private prefs: SyncPrefs = DEFAULT_PREFS;
  private log: SyncLog = { lastSyncAt: null, lastError: null, rejected: 0 };
  private pending = 0;
  private syncing = false;
  private nextRetryAt: number | null = null;
  private failures = 0;
  private batch: number;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private ready: Promise<void> | null = null;
  private readonly listeners = new Set<(s: SyncStatus) => void>();
  private readonly onOnline = () => this.schedule(0);

  constructor(opts: SyncClientOptions = {}) {
    this.store = opts.store ?? new OutboxStore();
    this.opts = {
      fetch: opts.fetch ?? ((...a) => fetch(...a)),
      baseDelayMs: opts.baseDelayMs ?? 1000,
      maxDelayMs: opts.maxDelayMs ?? 60_000,
      batchSize: opts.batchSize ?? 100,
      debounceMs: opts.debounceMs ?? 500,
    };
    this.batch = this.opts.batchSize;
  }

  /** Loads the saved state and pushes whatever a previous session left. Idempotent. */
  start(): Promise<void> {
    this.ready ??= (async () => {
      this.account = (await this.store.get<SyncAccount>('account')) ?? null;
      this.prefs = { ...DEFAULT_PREFS, ...(await this.store.get<SyncPrefs>('prefs')) };
      this.log = { ...this.log, ...(await this.store.get<SyncLog>('log')) };
      this.pending = await this.store.count();
      globalThis.addEventListener?.('online', this.onOnline);
      this.emit();
      if (this.account && this.pending) this.schedule(0);
    })();
    return this.ready;
  }

  /** Stops timers and listeners (tests; the app keeps one client for its lifetime). */
  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    globalThis.removeEventListener?.('online', this.onOnline);
    await this.running;
  }

  status(): SyncStatus {
    return { account: withoutToken(this.account), prefs: this.prefs, pending: this.pending, syncing: this.syncing, nextRetryAt: this.nextRetryAt, ...this.log };
  }

  subscribe(fn: (s: SyncStatus) => void): () => void {
    this.listeners.add(fn);
    fn(this.status());
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    const s = this.status();
    for (const fn of this.listeners) fn(s);
  }

  private async setLog(patch: Partial<SyncLog>): Promise<void> {
    this.log = { ...this.log, ...patch };
    await this.store.set('log', this.log);
    this.emit();
  }

  // ---- account ----------------------------------------------------------------------------------------
  /** First start of a server: the one-time setup code makes this device the admin of a new team. */
  async setupServer(serverUrl: string, setupCode: string, teamName: string, name: string): Promise<void> {
    const base = normaliseServerUrl(serverUrl);
    await this.saveAccount(base, await call<JoinResponse>(this.opts.fetch, base, '/v1/setup', { body: { setupCode: setupCode.trim(), teamName, name } }));
  }

  async join(serverUrl: string, inviteCode: string, name: string): Promise<void> {
    const base = normaliseServerUrl(serverUrl);
    await this.saveAccount(base, await call<JoinResponse>(this.opts.fetch, base, '/v1/join', { body: { inviteCode: inviteCode.trim(), name } }));
  }

  private async saveAccount(serverUrl: string, r: JoinResponse): Promise<void> {
    await this.start();
    this.account = { serverUrl, token: r.token, deviceId: r.deviceId, team: r.team, member: r.member, joinedAt: Date.now() };
    await this.store.set('account', this.account);
    this.failures = 0;
    await this.setLog({ lastError: null });
    if (this.pending) this.schedule(0);
  }

  /** Revokes this device's token (when the server is reachable) and forgets the account and unsent records. */
  async leave(): Promise<void> {
    await this.start();
    const acct = this.account;
    if (!acct) return;
    this.account = null;
    if (this.timer) clearTimeout(this.timer);
    this.nextRetryAt = null;
    await this.store.set('account', undefined);
    await this.store.clear();
    this.pending = 0;
    await this.setLog({ lastError: null, lastSyncAt: null, rejected: 0 });
    try {
      await call(this.opts.fetch, acct.serverUrl, '/v1/leave', { method: 'POST', token: acct.token, timeoutMs: 5000 });
    } catch {
      // Offline or already revoked: the token is gone from this device; an admin can revoke it too.
    }
  }

  async setPrefs(p: Partial<SyncPrefs>): Promise<void> {
    await this.start();
    this.prefs = { ...this.prefs, ...p };
    await this.store.set('prefs', this.prefs);
    this.emit();
  }

  /** Calls the API as this device. */
  private async api<T>(path: string, opts: CallOptions = {}): Promise<T> {
    await this.start();
    if (!this.account) throw new Error('this device is not in a team');
    return call<T>(this.opts.fetch, this.account.serverUrl, path, { ...opts, token: this.account.token });
  }

  /** Re-reads team and role (an admin may have changed them); a revoked token shows up here. */
  async refreshAccount(): Promise<void> {
    const me = await this.api<MeResponse>('/v1/me');
    if (!this.account) return;
    this.account = { ...this.account, team: me.team, member: me.member };
    await this.store.set('account', this.account);
    this.emit();
  }

  analytics = (days: number) => this.api<Analytics>(`/v1/analytics?days=${days}`);
  createInvite = (role: Role) => this.api<InviteResponse>('/v1/invites', { body: { role } });
  listDevices = () => this.api<DeviceInfo[]>('/v1/devices');
  revokeDevice = (id: string) => this.api<void>(`/v1/devices/${encodeURIComponent(id)}`, { method: 'DELETE' });
  updateTeam = (patch: { shareFaceDescriptors?: boolean }) => this.api<TeamInfo>('/v1/team', { method: 'PATCH', body: patch });

  // ---- outbox -----------------------------------------------------------------------------------------
  /** Queues one stored image's results; false when this device is in no team or there is nothing to share. */
  async enqueue(image: ImageLike, results: ResultLike | readonly ResultLike[]): Promise<boolean> {
    await this.start();
    const acct = this.account;
    if (!acct) return false;
    const list = Array.isArray(results) ? (results as readonly ResultLike[]) : [results as ResultLike];
    const record = buildSyncRecord(image, list, { ...this.prefs, shareFaceDescriptors: acct.team.shareFaceDescriptors });
    if (!record) return false;
    await this.store.add([{ id: record.id, record, enqueuedAt: Date.now() }]);
    this.pending = await this.store.count();
    this.emit();
    if (!this.timer && !this.nextRetryAt) this.schedule(this.opts.debounceMs);
    return true;
  }

  /** Push now, ignoring any backoff; resolves when the outbox is empty or a push failed. */
  async syncNow(): Promise<void> {
    await this.start();
    this.failures = 0;
    this.nextRetryAt = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.run();
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, ms);
  }

  private run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    // One pusher per browser: other tabs wait for the lock, then find the records gone.
    const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
    const work = locks ? locks.request('sightline-sync-push', () => this.drain()).then(() => {}) : this.drain();
    const running = work.finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        if (!this.nextRetryAt) this.schedule(0);
      }
    });
    this.running = running;
    return running;
  }

  private backoff(): number {
    const exp = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** Math.min(30, this.failures - 1));
    return Math.round(exp * (0.5 + Math.random() / 2));
  }

  private async drain(): Promise<void> {
    this.syncing = true;
    this.emit();
    try {
      for (;;) {
        const acct = this.account;
        if (!acct) return;
        const rows = await this.store.peek(this.batch);
        if (!rows.length) return;
        try {
          await call<PushResponse>(this.opts.fetch, acct.serverUrl, '/v1/records', {
            token: acct.token,
            body: { protocol: PROTOCOL_VERSION, records: rows.map((r) => r.record) },
          });
          // Stored now or before (duplicates): either way the server has every id we sent.
          await this.store.remove(rows.map((r) => r.id));
          this.failures = 0;
          this.nextRetryAt = null;
          this.batch = this.opts.batchSize;
          this.pending = await this.store.count();
          await this.setLog({ lastSyncAt: Date.now(), lastError: null });
        } catch (e) {
          const err = e instanceof SyncHttpError ? e : new SyncHttpError(0, (e as Error).message);
          if (err.status === 401 || err.code === 'PROTOCOL_MISMATCH') {
            // Needs a person: join again, or update. Keep the records.
            await this.setLog({ lastError: err.message });
            return;
          }
          if ([400, 403, 413, 422].includes(err.status)) {
            // The batch itself is refused: halve it until the bad record is alone, then drop only that one.
            if (rows.length > 1) {
              this.batch = Math.max(1, Math.floor(rows.length / 2));
              continue;
            }
            await this.store.remove([rows[0].id]);
            this.pending = await this.store.count();
            await this.setLog({ rejected: this.log.rejected + 1, lastError: `a record was refused and dropped: ${err.message}` });
            continue;
          }
          // Unreachable, overloaded or failing (or a wrong URL): keep everything, try again later.
          this.failures++;
          const delay = err.retryAfterMs ?? this.backoff();
          this.nextRetryAt = Date.now() + delay;
          await this.setLog({ lastError: err.message });
          this.schedule(delay);
          return;
        }
      }
    } finally {
      this.syncing = false;
      this.emit();
    }
  }
}

/** The app's client. */
export const sync = new SyncClient();

/** Call when an image's results have been stored; a no-op unless this device is in a team. */
export function enqueueForSync(image: ImageLike, results: ResultLike | readonly ResultLike[]): Promise<boolean> {
  return sync.enqueue(image, results).catch((e: unknown) => {
    console.warn('team sync: could not queue a record', e);
    return false;
  });
}
