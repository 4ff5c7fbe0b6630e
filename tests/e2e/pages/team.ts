// The Team view: set up a server or join a team, the outbox and sync state, the team's figures, devices.
import { expect, type Locator, type Page } from '@playwright/test';
import { Chart } from './analytics.ts';

export class Team {
  readonly root: Locator;
  readonly serverUrl: Locator;
  readonly memberName: Locator;
  readonly inviteCode: Locator;
  readonly joinButton: Locator;
  /** "<team> · you are <name> (<role>)" once this device is a member. */
  readonly joined: Locator;
  readonly pending: Locator;
  readonly lastSync: Locator;
  readonly syncError: Locator;
  readonly totals: Locator;
  readonly devices: Locator;
  readonly inviteOutput: Locator;

  constructor(readonly page: Page) {
    const id = (t: string) => page.getByTestId(t);
    this.root = id('team-view');
    this.serverUrl = id('team-server-url');
    this.memberName = id('team-member-name');
    this.inviteCode = id('team-invite-code');
    this.joinButton = id('team-join');
    this.joined = id('team-joined');
    this.pending = id('team-pending');
    this.lastSync = id('team-last-sync');
    this.syncError = id('team-sync-error');
    this.totals = id('team-totals');
    this.devices = id('team-devices');
    this.inviteOutput = id('team-invite-output');
  }

  /** Sets the server up with its one-time code: this device becomes the team's admin. */
  async setUp(member: string, setupCode: string, teamName: string): Promise<void> {
    await this.memberName.fill(member);
    await this.page.getByText('Set up this server').click();
    await this.page.getByTestId('team-setup-code').fill(setupCode);
    await this.page.getByTestId('team-setup-name').fill(teamName);
    await this.page.getByTestId('team-setup').click();
  }

  async createInvite(): Promise<string> {
    await this.page.getByTestId('team-create-invite').click();
    return ((await this.inviteOutput.textContent()) ?? '').trim();
  }

  async join(member: string, code: string): Promise<void> {
    await this.memberName.fill(member);
    await this.inviteCode.fill(code);
    await this.joinButton.click();
  }

  async refresh(): Promise<void> {
    await this.page.getByTestId('team-refresh').click();
  }

  async leave(): Promise<void> {
    await this.page.getByTestId('team-leave').click();
  }

  memberRow(name: string): Locator {
    return this.page.getByTestId('team-member-row').and(this.page.locator(`[data-name="${name}"]`));
  }

  chart(name: string): Chart {
    const testid = `chart-${name}`;
    return new Chart(this.page, this.page.getByTestId(testid), testid);
  }

  /** The outbox is empty and something was pushed. */
  async expectSynced(): Promise<void> {
    await expect(this.pending).toHaveText('0', { timeout: 30_000 });
    await expect(this.lastSync).not.toHaveText('never');
  }

  /** Each member's record count as the server counts them (refreshing until it shows). */
  async expectMembers(counts: Record<string, number>): Promise<void> {
    await expect(async () => {
      await this.refresh();
      for (const [name, n] of Object.entries(counts)) await expect(this.memberRow(name)).toHaveAttribute('data-records', String(n), { timeout: 1000 });
    }).toPass({ timeout: 30_000 });
  }
}
