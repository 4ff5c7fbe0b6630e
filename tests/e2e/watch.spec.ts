import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { filesForPage } from '../../scripts/lib/debug-api.ts';
import { expect, test } from './fixtures.ts';
import { DATA, imagenetFiles } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

test('a watched folder: files copied in while watching are processed and logged (path, size, channels, tags)', async ({ app, importPanel, library, debug }) => {
  await app.open(undefined, { debug: '', model: 'mobilenetv2-12-int8' });
  const write = (name: string, file: string) => debug.run((a, sent) => a.writeFolder('inbox', sent), filesForPage([file], [name]));
  // One file is there before watching starts: it is the starting point, not new.
  await write('before.jpg', imagenetFiles()[0]);
  await debug.run(async (a) => a.watch(await a.writeFolder('inbox', [])));
  const watch = importPanel.watch;
  await watch.expand();
  await expect(watch.status).toContainText('watching “inbox”');

  await write('beer.jpg', imagenetFiles()[11]);
  await expect(watch.rows).toHaveCount(1, { timeout: 30_000 });
  await expect(watch.rows.first()).toContainText('inbox/beer.jpg');
  await expect(watch.rows.first()).toContainText('beer bottle');
  await write('text.jpg', path.join(DATA, 'bad/gen_text_as.jpg'));
  await write('gray.png', path.join(DATA, 'faces/penny/penny1.png'));
  await expect(watch.rows).toHaveCount(3, { timeout: 30_000 });
  await expect(watch.log).toContainText('not-an-image');
  await expect(watch.rows.filter({ hasText: 'gray.png' })).toContainText('150×150');
  await library.expectCount(2);
  await watch.stopButton.click();
  await expect(watch.status).toHaveCount(0);
});

test('npm run batch --watch processes files that appear while it runs', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-watch-'));
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'sightline-watch-out-')), 'seen.json');
  const child = spawn(
    'node',
    ['--import', 'tsx', 'scripts/batch.ts', '--watch', dir, '--watch-seconds', '45', '--out', out, '--model', 'mobilenetv2-12-int8'],
    { cwd: ROOT },
  );
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stdout += d));
  await expect.poll(() => stdout, { timeout: 60_000 }).toContain('watching');
  copyFileSync(imagenetFiles()[11], path.join(dir, 'late-arrival.jpg'));
  // Taken once unchanged across two 2 s scans, then decoded and classified: on a busy 2-core machine 15–25 s.
  await expect.poll(() => stdout, { timeout: 60_000 }).toMatch(/late-arrival\.jpg\s+500x\d+\s+3 ch\s+beer bottle/);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  expect(code, stdout).toBe(0);
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  expect(doc.images.map((i: { file: string }) => i.file)).toEqual(['watched/late-arrival.jpg']);
});
