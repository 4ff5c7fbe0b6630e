// Two members on one sync server, each in their own browser context (own IndexedDB): the admin sets the
// server up with its one-time code and invites the other; both analyse images; the Team view of each
// shows both members' contributions. The member also goes offline and comes back, and reloads.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, startSyncServer, type SyncServerProcess } from '../../scripts/lib/sync-server-process.ts';
import { addFiles, imagenetFiles } from './helpers.ts';

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

async function open(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(`${server.url}/#team`);
  await expect(page.getByTestId('team-view')).toBeVisible();
  return page;
}

async function analyse(page: Page, files: string[]): Promise<void> {
  await page.goto(`${server.url}/#library`);
  await addFiles(page, files);
  await expect(page.getByTestId('batch-status')).toContainText(`${files.length} stored`);
  await page.goto(`${server.url}/#team`);
}

async function expectSynced(page: Page): Promise<void> {
  await expect(page.getByTestId('team-pending')).toHaveText('0', { timeout: 30_000 });
  await expect(page.getByTestId('team-last-sync')).not.toHaveText('never');
}

async function expectMembers(page: Page, counts: Record<string, number>): Promise<void> {
  await expect(async () => {
    await page.getByTestId('team-refresh').click();
    for (const [name, n] of Object.entries(counts))
      await expect(page.locator(`[data-testid=team-member-row][data-name="${name}"]`)).toHaveAttribute('data-records', String(n), { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}

test('two members sync to one server and the Team view shows both', async ({ browser }) => {
  test.setTimeout(300_000);
  const files = imagenetFiles();
  const ann = await open(browser);
  const bob = await open(browser);

  // Ann sets the server up (its URL defaults to the page's origin) and becomes the admin.
  await expect(ann.getByTestId('team-server-url')).toHaveValue(server.url);
  await ann.getByTestId('team-member-name').fill('Ann');
  await ann.getByText('Set up this server').click();
  await ann.getByTestId('team-setup-code').fill(server.setupCode!);
  await ann.getByTestId('team-setup-name').fill('Acme');
  await ann.getByTestId('team-setup').click();
  await expect(ann.getByTestId('team-joined')).toContainText('Acme · you are Ann (admin)');

  await ann.getByTestId('team-create-invite').click();
  const code = (await ann.getByTestId('team-invite-output').textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$/);

  await bob.getByTestId('team-member-name').fill('Bob');
  await bob.getByTestId('team-invite-code').fill(code);
  await bob.getByTestId('team-join').click();
  await expect(bob.getByTestId('team-joined')).toContainText('Acme · you are Bob (member)');

  // What leaves Bob's browser: records only, no image data, no file names (not allowed by default).
  const pushed: string[] = [];
  bob.on('request', (r) => {
    if (r.url().endsWith('/v1/records') && r.method() === 'POST') pushed.push(r.postData() ?? '');
  });

  await analyse(ann, files.slice(0, 2));
  await expectSynced(ann);
  await analyse(bob, files.slice(2, 5));
  await expectSynced(bob);

  await expectMembers(ann, { Ann: 2, Bob: 3 });
  await expectMembers(bob, { Ann: 2, Bob: 3 });
  await expect(bob.getByTestId('team-totals')).toContainText('5 results · 5 distinct images · 2 contributing members');
  await expect(bob.getByTestId('chart-members').locator('canvas')).toBeVisible();
  await expect(bob.getByTestId('chart-labels').locator('[role=img]')).toHaveAttribute('aria-label', /Top labels: .+: 1/);

  const body = pushed.join('\n');
  expect(pushed.length).toBeGreaterThan(0);
  expect(body).not.toMatch(/data:image|base64|thumb/i);
  expect(body).not.toContain('in_dev_');
  expect(JSON.parse(pushed[0]).records[0].classification.labels).toHaveLength(5);

  // Offline: the record waits in the outbox, the error is shown; back online it is pushed once.
  await bob.context().setOffline(true);
  await analyse(bob, files.slice(5, 6));
  await expect(bob.getByTestId('team-pending')).toHaveText('1');
  await expect(bob.getByTestId('team-sync-error')).toBeVisible();
  await bob.context().setOffline(false);
  await expectSynced(bob);

  // A reload keeps the membership; the figures are the same on both sides.
  await bob.reload();
  await expect(bob.getByTestId('team-joined')).toContainText('Bob (member)');
  await expectMembers(bob, { Ann: 2, Bob: 4 });
  await expectMembers(ann, { Ann: 2, Bob: 4 });

  // The admin sees both devices; Bob leaves and his device is revoked on the server.
  await expect(ann.getByTestId('team-devices')).toContainText('Bob');
  await bob.getByTestId('team-leave').click();
  await expect(bob.getByTestId('team-join')).toBeVisible();
  await ann.getByTestId('team-refresh').click();
  await expect(ann.getByTestId('team-devices').locator('tr', { hasText: 'Bob' })).toContainText('revoked');
});
