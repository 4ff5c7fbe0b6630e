// Two members on one sync server, each in their own browser context (own IndexedDB): the admin sets the
// server up with its one-time code and invites the other; both analyse images; the Team view of each
// shows both members' contributions. The member also goes offline and comes back, and reloads.
import type { Browser } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startSyncServer, type SyncServerProcess } from '../../scripts/lib/sync-server-process.ts';
import { expect, test } from './fixtures.ts';
import { imagenetFiles } from './helpers.ts';
import { sightline, type Sightline } from './pages/index.ts';

let server: SyncServerProcess;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'sightline-e2e-sync-'));
  // The real server serving the built app and the API on one port, like `npm start`.
  server = await startSyncServer({ env: { DATA_DIR: dataDir, STATIC_DIR: path.join(ROOT, 'dist') } });
});
test.afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A member's browser: its own context (own IndexedDB) on the sync server's origin, at the Team view. */
async function open(browser: Browser): Promise<Sightline> {
  const s = sightline(await (await browser.newContext()).newPage(), server.url);
  await s.app.open('team');
  await expect(s.team.root).toBeVisible();
  return s;
}

async function analyse(s: Sightline, files: string[]): Promise<void> {
  await s.app.open('library');
  await s.importPanel.addFiles(files);
  await s.importPanel.expectStatus(`${files.length} stored`);
  await s.app.open('team');
}

test('two members sync to one server and the Team view shows both', async ({ browser }) => {
  test.setTimeout(300_000);
  const files = imagenetFiles();
  const ann = await open(browser);
  const bob = await open(browser);

  // Ann sets the server up (its URL defaults to the page's origin) and becomes the admin.
  await expect(ann.team.serverUrl).toHaveValue(server.url);
  await ann.team.setUp('Ann', server.setupCode!, 'Acme');
  await expect(ann.team.joined).toContainText('Acme · you are Ann (admin)');

  const code = await ann.team.createInvite();
  expect(code).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$/);

  await bob.team.join('Bob', code);
  await expect(bob.team.joined).toContainText('Acme · you are Bob (member)');

  // What leaves Bob's browser: records only, no image data, no file names (not allowed by default).
  const pushed: string[] = [];
  bob.app.page.on('request', (r) => {
    if (r.url().endsWith('/v1/records') && r.method() === 'POST') pushed.push(r.postData() ?? '');
  });

  await analyse(ann, files.slice(0, 2));
  await ann.team.expectSynced();
  await analyse(bob, files.slice(2, 5));
  await bob.team.expectSynced();

  await ann.team.expectMembers({ Ann: 2, Bob: 3 });
  await bob.team.expectMembers({ Ann: 2, Bob: 3 });
  await expect(bob.team.totals).toContainText('5 results · 5 distinct images · 2 contributing members');
  await expect(bob.team.chart('members').canvas).toBeVisible();
  await bob.team.chart('labels').expectCounts(/Top labels: .+: 1/);

  const body = pushed.join('\n');
  expect(pushed.length).toBeGreaterThan(0);
  expect(body).not.toMatch(/data:image|base64|thumb/i);
  expect(body).not.toContain('in_dev_');
  expect(JSON.parse(pushed[0]).records[0].classification.labels).toHaveLength(5);

  // Offline: the record waits in the outbox, the error is shown; back online it is pushed once.
  await bob.app.page.context().setOffline(true);
  await analyse(bob, files.slice(5, 6));
  await expect(bob.team.pending).toHaveText('1');
  await expect(bob.team.syncError).toBeVisible();
  await bob.app.page.context().setOffline(false);
  await bob.team.expectSynced();

  // A reload keeps the membership; the figures are the same on both sides.
  await bob.app.page.reload();
  await expect(bob.team.joined).toContainText('Bob (member)');
  await bob.team.expectMembers({ Ann: 2, Bob: 4 });
  await ann.team.expectMembers({ Ann: 2, Bob: 4 });

  // The admin sees both devices; Bob leaves and his device is revoked on the server.
  await expect(ann.team.devices).toContainText('Bob');
  await bob.team.leave();
  await expect(bob.team.joinButton).toBeVisible();
  await ann.team.refresh();
  await expect(ann.team.devices.locator('tr', { hasText: 'Bob' })).toContainText('revoked');
});
