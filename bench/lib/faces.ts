// The faces part of `npm run bench` (the webcam part is in webcam.ts).
// Still photos through the app's real faces worker (human 3.3.6: blazeface + facemesh + faceres on tfjs
// WASM): the 11 photos of ../shared/data/faces decoded once as the faces stage decodes them, warmed up, then run
// --faces-rounds times; median ms per photo and faces per second, with 1 WASM thread and with ?facethreads=2.
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { debugApi, filesForPage } from '../../scripts/lib/debug-api.ts';
import type { FaceBackendInfo } from '../../src/debug/api.ts';
import { openApp } from './browser.ts';
import { cpuMeter, type CpuReading } from './cpu.ts';
import { ROOT } from './server.ts';
import { log, pct, round, roundSummary, summarize, withTimeout, type Summary } from './stats.ts';

const FACES = path.resolve(ROOT, '..', 'shared', 'data', 'faces');

/** The photos (sorted paths) and, per person folder, its first photo (the gallery the webcam step enrols). */
export function facePhotos(): { files: string[]; gallery: { person: string; file: string }[] } {
  const files: string[] = [];
  const gallery: { person: string; file: string }[] = [];
  for (const person of readdirSync(FACES).sort()) {
    const dir = path.join(FACES, person);
    if (!statSync(dir).isDirectory()) continue;
    const photos = readdirSync(dir)
      .filter((f) => /\.(png|jpe?g)$/i.test(f))
      .sort();
    files.push(...photos.map((f) => path.join(dir, f)));
    if (photos.length) gallery.push({ person, file: path.join(dir, photos[0]) });
  }
  return { files, gallery };
}

export interface StillsRow {
  requestedThreads: number;
  status: 'ok' | 'not available';
  /** Why not, or what the thread count means. */
  note: string | null;
  info: FaceBackendInfo | null;
  photos: number;
  runs: number;
  faces: number;
  summary: Summary | null;
  facesPerSecond: number | null;
  photosPerSecond: number | null;
  tensorsBefore: number | null;
  tensorsAfter: number | null;
  cpu: CpuReading | null;
}

export interface FacesResult {
  photos: string[];
  rounds: number;
  warmupMs: number;
  rows: StillsRow[];
}

export interface FacesOptions {
  rounds: number;
  warmupMs: number;
  threads: number[];
}

const INFO_TIMEOUT_MS = 60_000;

async function stillsRow(browser: Browser, baseUrl: string, files: string[], threads: number, o: FacesOptions, problems: string[]): Promise<StillsRow> {
  const empty = {
    info: null,
    photos: files.length,
    runs: 0,
    faces: 0,
    summary: null,
    facesPerSecond: null,
    photosPerSecond: null,
    tensorsBefore: null,
    tensorsAfter: null,
  };
  const { context, page, errors } = await openApp(browser, baseUrl, `/?debug&faces=0&facethreads=${threads}`);
  const meter = cpuMeter();
  try {
    const api = debugApi(page);
    let info: FaceBackendInfo;
    try {
      // A hung pthread start never answers: give up after a minute and say so.
      info = await withTimeout(
        api.run((a) => a.faces.info()),
        INFO_TIMEOUT_MS,
        `faces worker start with ${threads} thread(s)`,
      );
    } catch (e) {
      const why = `${(e as Error).message.split('\n')[0]}${errors.length ? ` (${errors.slice(0, 2).join('; ')})` : ''}`;
      return { requestedThreads: threads, status: 'not available', note: why, ...empty, cpu: meter.stop() };
    }
    const r = await withTimeout(
      api.run(async (a, [sent, rounds, warmupMs]) => (await a.bench()).faces.stills(a.files(sent), rounds, warmupMs), [
        filesForPage(files),
        o.rounds,
        o.warmupMs,
      ] as const),
      600_000,
      `faces stills with ${threads} thread(s)`,
    );
    const cpu = meter.stop();
    if (r.tensorsAfter !== r.tensorsBefore)
      problems.push(`faces ${threads}t: tfjs tensors ${r.tensorsBefore} → ${r.tensorsAfter} over ${r.runs} photos (a leak)`);
    if (errors.length) problems.push(`faces ${threads}t: page errors: ${errors.slice(0, 3).join('; ')}`);
    // tfjs sizes its pool itself (at most navigator.hardwareConcurrency / 2): say when the threads asked for are not the threads used.
    const note =
      threads > 1 && info.threads < threads
        ? `tfjs-wasm's thread pool has ${info.threads} thread(s): it caps the pool at navigator.hardwareConcurrency / 2 (${os.cpus().length} CPUs here); the threaded build ran with that`
        : null;
    return {
      requestedThreads: threads,
      status: threads > 1 && info.threads < 2 ? 'not available' : 'ok',
      note,
      info,
      photos: r.photos,
      runs: r.runs,
      faces: r.faces,
      summary: roundSummary(summarize(r.msPerPhoto)),
      facesPerSecond: round((r.faces * 1000) / r.totalMs),
      photosPerSecond: round((r.runs * 1000) / r.totalMs),
      tensorsBefore: r.tensorsBefore,
      tensorsAfter: r.tensorsAfter,
      cpu,
    };
  } finally {
    await context.close().catch(() => {});
  }
}

export async function benchFaces(
  browser: Browser,
  baseUrl: string,
  o: FacesOptions,
  settle: (label: string) => Promise<void>,
  problems: string[],
): Promise<FacesResult> {
  const { files } = facePhotos();
  if (!files.length) throw new Error(`no face photos in ${FACES}`);
  const rows: StillsRow[] = [];
  for (const t of o.threads) {
    await settle(`faces ${t}t`);
    log(`faces: ${files.length} photos × ${o.rounds} rounds, warm-up ${o.warmupMs} ms, ${t} WASM thread(s) requested`);
    const row = await stillsRow(browser, baseUrl, files, t, o, problems);
    log(
      row.summary
        ? `  ${row.info!.backend} ${row.info!.threads}t: median ${row.summary.median.toFixed(1)} ms/photo, ${row.facesPerSecond} faces/s${row.note ? ` (${row.note})` : ''}`
        : `  not available: ${row.note}`,
    );
    rows.push(row);
  }
  return { photos: files.map((f) => path.relative(FACES, f)), rounds: o.rounds, warmupMs: o.warmupMs, rows };
}

export function formatFaces(r: FacesResult | null): string[] {
  if (!r) return ['faces: skipped'];
  const out = [
    `faces on stills (app's faces worker: human blazeface + facemesh + faceres, decoded once, warm-up ${r.warmupMs} ms, ${r.photos.length} photos × ${r.rounds} rounds):`,
  ];
  for (const x of r.rows) {
    const head = `  WASM ${x.requestedThreads} thread${x.requestedThreads > 1 ? 's' : ''}:`;
    if (!x.summary) {
      out.push(`${head} not available: ${x.note}`);
      continue;
    }
    const s = x.summary;
    const fig = `median ${s.median.toFixed(1)} ms/photo (p90 ${s.p90.toFixed(1)}, n=${s.runs}), ${x.facesPerSecond} faces/s, ${x.photosPerSecond} photos/s, tensors ${x.tensorsBefore} → ${x.tensorsAfter}, others CPU ${pct(x.cpu?.others ?? null)}`;
    out.push(x.status === 'ok' ? `${head} ${fig}` : `${head} not available: ${x.note}. Measured anyway: ${fig}`);
  }
  return out;
}
