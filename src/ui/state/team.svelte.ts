// Team view state: mirrors the sync client's status and holds the team aggregates and admin lists.
import type { Analytics, DeviceInfo, InviteResponse, Role } from '../../shared/sync';
import type { ExifField } from '../../shared/sync-constants';
import { sync, type SyncStatus } from '../../sync/client';

export class TeamState {
  status = $state.raw<SyncStatus>(sync.status());
  analytics = $state.raw<Analytics | null>(null);
  devices = $state.raw<DeviceInfo[]>([]);
  invite = $state.raw<InviteResponse | null>(null);
  days = $state(30);
  busy = $state(false);
  /** The last failed action (join, setup, invite, …); push errors are in status.lastError. */
  error = $state<string | null>(null);
  /** Set while the Team view is on screen: only then are aggregates re-read after each push. */
  visible = false;

  readonly joined = $derived(this.status.account !== null);
  readonly isAdmin = $derived(this.status.account?.member.role === 'admin');

  constructor() {
    sync.subscribe((s) => {
      const synced = s.lastSyncAt !== this.status.lastSyncAt;
      this.status = s;
      if (synced && s.account && this.visible) void this.refresh();
    });
    void sync.start().then(() => (this.status.account ? sync.refreshAccount().catch(() => {}) : undefined));
  }

  private async act(fn: () => Promise<void>): Promise<boolean> {
    this.busy = true;
    this.error = null;
    try {
      await fn();
      return true;
    } catch (e) {
      this.error = (e as Error).message;
      return false;
    } finally {
      this.busy = false;
    }
  }

  join = (serverUrl: string, inviteCode: string, name: string) =>
    this.act(() => sync.join(serverUrl, inviteCode, name)).then(async (ok) => {
      if (ok) await this.refresh();
    });
  setup = (serverUrl: string, setupCode: string, teamName: string, name: string) =>
    this.act(() => sync.setupServer(serverUrl, setupCode, teamName, name)).then(async (ok) => {
      if (ok) await this.refresh();
    });

  leave = () =>
    this.act(async () => {
      await sync.leave();
      this.analytics = null;
      this.devices = [];
      this.invite = null;
    });

  syncNow = () => this.act(() => sync.syncNow());
  createInvite = (role: Role) =>
    this.act(async () => {
      this.invite = await sync.createInvite(role);
    });
  revoke = (id: string) =>
    this.act(async () => {
      await sync.revokeDevice(id);
      this.devices = await sync.listDevices();
    });
  setShareNames = (on: boolean) => sync.setPrefs({ shareFileNames: on });
  setExif = (fields: ExifField[]) => sync.setPrefs({ exifFields: fields });
  setDescriptors = (on: boolean) => this.act(() => sync.updateTeam({ shareFaceDescriptors: on }).then(() => sync.refreshAccount()));

  /** Re-reads the aggregates (and, for admins, the devices). */
  async refresh(): Promise<void> {
    if (!this.status.account) return;
    await this.act(async () => {
      this.analytics = await sync.analytics(this.days);
      if (this.isAdmin) this.devices = await sync.listDevices();
    });
  }
}

export const team = new TeamState();
