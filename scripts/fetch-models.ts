// npm run models [-- --all | --only id,id]: fetch model files into models/files/ and verify them.
// MODELS_MIRROR=<dir> copies from a local folder; without it, ../shared/data/models is used when present.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelManifest } from '../src/shared/manifest.ts';
import { validateManifest } from '../src/shared/manifest.ts';
import { fetchModels } from './lib/models.ts';
import { deriveIn } from './lib/quantize/recipe.ts';

const root = path.resolve(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'models/manifest.json'), 'utf8')) as ModelManifest;
const problems = validateManifest(manifest);
if (problems.length) {
  console.error(`models/manifest.json is invalid:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

const args = process.argv.slice(2);
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? (args[onlyIdx + 1] ?? '').split(',').filter(Boolean) : undefined;
const fallbackMirror = path.resolve(root, '../shared/data/models');
const mirror = process.env.MODELS_MIRROR ? path.resolve(process.env.MODELS_MIRROR) : existsSync(fallbackMirror) ? fallbackMirror : undefined;
if (process.env.MODELS_MIRROR && !existsSync(mirror!)) {
  console.error(`MODELS_MIRROR=${process.env.MODELS_MIRROR} does not exist`);
  process.exit(1);
}
console.log(mirror ? `Model mirror: ${mirror}` : 'No local mirror: downloading from the URLs in models/manifest.json');

const tty = process.stdout.isTTY;
let lastPct = -1;
const reports = await fetchModels({
  manifest,
  dir: path.join(root, 'models/files'),
  mirror,
  only,
  all: args.includes('--all'),
  derive: deriveIn(root),
  log: (l) => {
    if (tty) process.stdout.write('\r\x1b[K');
    console.log(l);
  },
  progress: (file, done, total) => {
    const pct = Math.floor((done / total) * 100);
    if (pct === lastPct) return;
    lastPct = pct;
    const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
    if (tty) process.stdout.write(`\r\x1b[K${file} [${bar}] ${pct}% of ${(total / 1048576).toFixed(1)} MB`);
  },
});
const failed = reports.filter((r) => r.status === 'failed');
console.log(
  `Models: ${reports.filter((r) => r.status !== 'failed' && r.status !== 'skipped').length} ready, ${reports.filter((r) => r.status === 'skipped').length} optional skipped, ${failed.length} failed`,
);
if (failed.length) process.exit(1);
