// npm run audit: Lighthouse (Performance, Accessibility, Best Practices) on the built app, served with
// COOP/COEP like `npm start`, with Debian's Chromium; plus the installability checks. Lighthouse 12 dropped
// its PWA category and the installable-manifest / service-worker audits, so those come from Chromium itself
// over CDP (Page.getInstallabilityErrors, Page.getAppManifest) in a normal (non-incognito) profile, and from
// an offline reload. Writes bench/results/lighthouse.json (summary) and lighthouse-report-<preset>.json (full).
//   npm run build && npm run audit        AUDIT_DIST=<dir> audits another build; AUDIT_PRESETS=mobile|desktop
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serveStatic } from '../sync-server/src/static.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../tests/e2e/chromium.ts';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.resolve(root, process.env.AUDIT_DIST ?? 'dist');
const out = path.join(root, 'bench/results');
const presets = (process.env.AUDIT_PRESETS ?? 'mobile,desktop').split(',') as ('mobile' | 'desktop')[];
mkdirSync(out, { recursive: true });

const server = createServer((req, res) => {
  void serveStatic(req, res, {
    mounts: [
      { prefix: '/models/', dir: path.join(root, 'models') },
      { prefix: '/', dir: dist },
    ],
    spaIndex: path.join(dist, 'index.html'),
  });
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

// 1. Lighthouse, through its CLI exactly as a person would run it: mobile (its default) and desktop.
interface Lhr {
  lighthouseVersion: string;
  userAgent: string;
  categories: Record<string, { title: string; score: number | null; auditRefs: { id: string; weight: number }[] }>;
  audits: Record<string, { title: string; score: number | null; displayValue?: string }>;
}
const CHROME_FLAGS = '--headless=new --no-sandbox --disable-gpu --no-first-run --disable-background-networking --disable-component-update --disable-sync';

async function lighthouse(preset: 'mobile' | 'desktop') {
  const reportPath = path.join(out, `lighthouse-report-${preset}.json`);
  const args = [
    'lighthouse',
    url,
    '--only-categories=performance,accessibility,best-practices',
    '--output=json',
    `--output-path=${reportPath}`,
    `--chrome-flags=${CHROME_FLAGS}`,
    '--quiet',
    ...(preset === 'desktop' ? ['--preset=desktop'] : []),
  ];
  const command = `CHROME_PATH=${CHROMIUM_PATH} npx ${args.map((a) => (a.includes(' ') ? `"${a}"` : a)).join(' ')}`;
  console.log(`$ ${command}`);
  // Not spawnSync: this process serves the app while Lighthouse loads it.
  const status = await new Promise<number | null>((resolve) =>
    spawn('npx', args, { cwd: root, stdio: 'inherit', env: { ...process.env, CHROME_PATH: CHROMIUM_PATH } }).on('exit', resolve),
  );
  if (status !== 0) throw new Error(`lighthouse (${preset}) failed with exit code ${status}`);
  const lhr = JSON.parse(readFileSync(reportPath, 'utf8')) as Lhr;
  const score = (v: number | null) => (v === null ? null : Math.round(v * 100));
  return {
    preset,
    command,
    lighthouse: lhr.lighthouseVersion,
    userAgent: lhr.userAgent,
    scores: Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, score(c.score)])),
    metrics: Object.fromEntries(
      ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'].map((id) => [
        id,
        lhr.audits[id]?.displayValue ?? null,
      ]),
    ),
    /** Scored audits below 0.9, per category: what to look at first. */
    belowNinety: Object.fromEntries(
      Object.entries(lhr.categories).map(([id, c]) => [
        id,
        c.auditRefs
          .filter((r) => r.weight > 0 && lhr.audits[r.id]?.score != null && lhr.audits[r.id].score! < 0.9)
          .map((r) => `${r.id}: ${lhr.audits[r.id].title}${lhr.audits[r.id].displayValue ? ` (${lhr.audits[r.id].displayValue})` : ''}`),
      ]),
    ),
    titles: Object.fromEntries(Object.entries(lhr.categories).map(([id, c]) => [id, c.title])),
  };
}

const t0 = Date.now();
const runs: Awaited<ReturnType<typeof lighthouse>>[] = [];
try {
  for (const preset of presets) runs.push(await lighthouse(preset));
} catch (e) {
  server.close();
  console.error((e as Error).message);
  process.exit(1);
}

// 2. Installability and offline, from Chromium itself.
const profile = mkdtempSync(path.join(tmpdir(), 'sightline-audit-'));
const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
let installability: Record<string, unknown>;
try {
  const page = await context.newPage();
  await page.goto(url);
  await page.locator('[data-testid=net-status][data-offline-ready=true]').waitFor({ timeout: 60_000 });
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
  const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string }[] };
  const sw = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return { scope: reg?.scope ?? null, active: !!reg?.active, controlling: !!navigator.serviceWorker.controller };
  });
  await context.setOffline(true);
  server.close();
  server.closeAllConnections();
  const offline = await page.reload().then(
    (r) => ({
      status: r?.status() ?? null,
      coop: r?.headers()['cross-origin-opener-policy'] ?? null,
      coep: r?.headers()['cross-origin-embedder-policy'] ?? null,
    }),
    (e: Error) => ({ status: null, error: e.message }),
  );
  const offlineIsolated = await page.evaluate(() => crossOriginIsolated).catch(() => false);
  installability = {
    source: 'Chromium CDP Page.getInstallabilityErrors / Page.getAppManifest (Lighthouse 12 has no PWA category)',
    installable: installabilityErrors.length === 0 && manifest.errors.length === 0,
    installabilityErrors: installabilityErrors.map((e) => e.errorId),
    manifestUrl: manifest.url,
    manifestErrors: manifest.errors.map((e) => e.message),
    serviceWorker: sw,
    offlineReload: { ...offline, crossOriginIsolated: offlineIsolated },
  };
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  server.close();
}

const summary = {
  date: new Date().toISOString(),
  url,
  seconds: Math.round((Date.now() - t0) / 1000),
  runs: runs.map(({ titles: _titles, ...r }) => r),
  installability,
};
writeFileSync(path.join(out, 'lighthouse.json'), JSON.stringify(summary, null, 2) + '\n');

for (const r of runs) {
  console.log(`\nLighthouse ${r.lighthouse} (${r.preset}) on ${url}`);
  for (const [id, v] of Object.entries(r.scores)) console.log(`  ${r.titles[id].padEnd(16)} ${v}`);
  for (const [id, list] of Object.entries(r.belowNinety)) for (const f of list) console.log(`    ${id} < 90: ${f}`);
  console.log(
    `  Metrics: ${Object.entries(r.metrics)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  );
}
console.log(
  `\nInstallable (Chromium): ${installability.installable ? 'yes' : 'no'} ${JSON.stringify(installability.installabilityErrors)}; service worker ${JSON.stringify(installability.serviceWorker)}; offline reload ${JSON.stringify(installability.offlineReload)}`,
);
console.log('Wrote bench/results/lighthouse.json (summary) and bench/results/lighthouse-report-{mobile,desktop}.json');
