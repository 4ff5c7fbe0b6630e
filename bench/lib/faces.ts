// The faces and webcam parts of `npm run bench`.
// faces: still photos through the app's real faces worker (human 3.3.6: blazeface + facemesh + faceres on tfjs
// WASM): the 11 photos of ../shared/data/faces decoded once as the faces stage decodes them, warmed up, then run
// --faces-rounds times; median ms per photo and faces per second, with 1 WASM thread and with ?facethreads=2.
// webcam: the live Webcam view (#webcam) on Chromium's fake camera, fed a y4m made with ffmpeg from the same photos
// (made in a temp dir, deleted after): fps, per-frame latency, dropped frames, and the faces worker's tensor count
// and the page's JS heap over --webcam-frames frames (the tensor count must stay flat).
// The hooks' result types are restated here (the bench is type-checked with Node's module resolution).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, openApp } from './browser.ts';
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

interface FaceInfo {
  backend: string;
  reason: string;
  threads: number;
  tfjsVersion: string;
  humanVersion: string;
}
interface StillsBench {
  backend: string;
  threads: number;
  photos: number;
  runs: number;
  faces: number;
  msPerPhoto: number[];
  totalMs: number;
  tensorsBefore: number;
  tensorsAfter: number;
}
/** src/pipeline/faces-bench.ts hooks(). */
interface FacesHooks {
  info(): Promise<FaceInfo>;
  stills(blobs: Blob[], rounds: number, warmupMs: number): Promise<StillsBench>;
  enrol(files: File[], paths: string[]): Promise<{ report: { people: { name: string; samples: number }[]; errors: { file: string; message: string }[] } }>;
}

export interface StillsRow {
  requestedThreads: number;
  status: 'ok' | 'not available';
  /** Why not, or what the thread count means. */
  note: string | null;
  info: FaceInfo | null;
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
    await page.waitForFunction(() => 'facesBench' in ((globalThis as { __sightline?: object }).__sightline ?? {}));
    let info: FaceInfo;
    try {
      // A hung pthread start never answers: give up after a minute and say so.
      info = await withTimeout(
        page.evaluate(async () => (await (globalThis as unknown as { __sightline: { facesBench(): Promise<FacesHooks> } }).__sightline.facesBench()).info()),
        INFO_TIMEOUT_MS,
        `faces worker start with ${threads} thread(s)`,
      );
    } catch (e) {
      const why = `${(e as Error).message.split('\n')[0]}${errors.length ? ` (${errors.slice(0, 2).join('; ')})` : ''}`;
      return { requestedThreads: threads, status: 'not available', note: why, ...empty, cpu: meter.stop() };
    }
    const b64 = files.map((f) => readFileSync(f).toString('base64'));
    const r = await withTimeout(
      page.evaluate(
        async ([b64, rounds, warmupMs]) => {
          const hooks = await (globalThis as unknown as { __sightline: { facesBench(): Promise<FacesHooks> } }).__sightline.facesBench();
          const blobs = b64.map((s) => new Blob([Uint8Array.from(atob(s), (c) => c.charCodeAt(0))]));
          return hooks.stills(blobs, rounds, warmupMs);
        },
        [b64, o.rounds, o.warmupMs] as const,
      ),
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

// ---------------------------------------------------------------------------------------------------------------
// webcam

interface WebcamState {
  running: boolean;
  fps: number;
  latencyMs: number;
  frames: number;
  dropped: number;
  tensors: number;
  heapBytes: number;
  faces: { name: string; box: number[] }[];
}

export interface WebcamSample {
  t: number;
  frames: number;
  dropped: number;
  fps: number;
  latencyMs: number;
  tensors: number;
  heapBytes: number;
  faces: number;
  named: number;
}

export interface WebcamResult {
  video: { photos: number; secondsPerPhoto: number; fps: number; width: number; height: number; bytes: number };
  enrolled: string[];
  framesTarget: number;
  frames: number;
  dropped: number;
  wallMs: number;
  /** Frames processed per second over the whole measurement (not the view's 2 s window). */
  fps: number;
  /** Latency of each frame the view finished (grab → worker → faces; sampled in the page, one per frame). */
  latency: Summary | null;
  tensors: { first: number; last: number; min: number; max: number; flat: boolean };
  heap: { firstBytes: number; lastBytes: number; maxBytes: number; deltaBytes: number };
  /** Share of frames with a face, and with a face the view named (enrolled: first photo per person). */
  faceShare: number;
  namedShare: number;
  samples: WebcamSample[];
  cpu: CpuReading | null;
  pageErrors: string[];
}

export interface WebcamOptions {
  frames: number;
  secondsPerPhoto: number;
  fps: number;
}

/** One y4m cycling through the photos (each letterboxed to 640×480), as the notes' ffmpeg command does for one. */
function makeY4m(files: string[], dir: string, o: WebcamOptions): { file: string; bytes: number } {
  const out = path.join(dir, 'faces.y4m');
  const inputs = files.flatMap((f) => ['-loop', '1', '-t', String(o.secondsPerPhoto), '-i', f]);
  const scale = 'scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,setsar=1,format=yuv420p';
  const chains = files.map((_, i) => `[${i}:v]${scale},fps=${o.fps}[v${i}]`).join(';');
  const concat = `${files.map((_, i) => `[v${i}]`).join('')}concat=n=${files.length}:v=1:a=0[out]`;
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...inputs, '-filter_complex', `${chains};${concat}`, '-map', '[out]', '-f', 'yuv4mpegpipe', out]);
  return { file: out, bytes: statSync(out).size };
}

const webcamState = (page: Page): Promise<WebcamState> =>
  page.evaluate(() => (globalThis as unknown as { __sightline: { webcam(): WebcamState } }).__sightline.webcam());

/** Launches its own Chromium (fake camera flags), so run it with no other browser open. */
export async function benchWebcam(baseUrl: string, o: WebcamOptions, problems: string[], onBrowser: (b: Browser | null) => void): Promise<WebcamResult> {
  const { files, gallery } = facePhotos();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sightline-webcam-'));
  let browser: Browser | null = null;
  try {
    const y4m = makeY4m(files, dir, o);
    log(
      `webcam: fake camera from ${path.basename(y4m.file)} (${files.length} photos × ${o.secondsPerPhoto} s at ${o.fps} fps, ${(y4m.bytes / 1e6).toFixed(0)} MB), ${o.frames} frames`,
    );
    browser = await launchBrowser([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m.file}`,
      '--enable-precise-memory-info',
    ]);
    onBrowser(browser);
    const { context, page, errors } = await openApp(browser, baseUrl, '/?debug&faces=1#webcam');
    try {
      await page.waitForFunction(() => 'facesBench' in ((globalThis as { __sightline?: object }).__sightline ?? {}));
      // Enrol each person's first photo, so the live view names people (as a user with a gallery sees it).
      await page.evaluate(() => {
        const input = document.createElement('input');
        input.type = 'file';
        input.multiple = true;
        input.hidden = true;
        input.id = 'bench-gallery';
        document.body.append(input);
      });
      await page.setInputFiles(
        '#bench-gallery',
        gallery.map((g) => g.file),
      );
      const enrolled = await page.evaluate(
        async (paths) => {
          const hooks = await (globalThis as unknown as { __sightline: { facesBench(): Promise<FacesHooks> } }).__sightline.facesBench();
          const input = document.getElementById('bench-gallery') as HTMLInputElement;
          const r = await hooks.enrol([...input.files!], paths);
          input.remove();
          return r.report.people.map((p) => p.name);
        },
        gallery.map((g) => `${g.person}/${path.basename(g.file)}`),
      );
      await page.getByTestId('webcam-start').click();
      await page.waitForFunction(() => (globalThis as unknown as { __sightline: { webcam(): WebcamState } }).__sightline.webcam().frames >= 10, undefined, {
        timeout: 120_000,
      });
      // Every frame the view finishes is sampled in the page (a 10 ms poll of its state: frames arrive every ~100 ms).
      await page.evaluate(() => {
        const g = globalThis as unknown as {
          __sightline: { webcam(): WebcamState };
          __benchWebcam: { samples: unknown[]; timer: ReturnType<typeof setInterval>; t0: number };
        };
        const t0 = performance.now();
        const first = g.__sightline.webcam();
        const samples: WebcamSample[] = [];
        let last = first.frames;
        const timer = setInterval(() => {
          const s = g.__sightline.webcam();
          if (s.frames === last) return;
          last = s.frames;
          samples.push({
            t: Math.round(performance.now() - t0),
            frames: s.frames - first.frames,
            dropped: s.dropped - first.dropped,
            fps: Math.round(s.fps * 100) / 100,
            latencyMs: Math.round(s.latencyMs * 100) / 100,
            tensors: s.tensors,
            heapBytes: s.heapBytes,
            faces: s.faces.length,
            named: s.faces.filter((f) => f.name !== 'Unknown').length,
          });
        }, 10);
        g.__benchWebcam = { samples, timer, t0 };
      });
      const meter = cpuMeter();
      const t0 = Date.now();
      const deadline = t0 + Math.max(120_000, o.frames * 2000);
      for (;;) {
        await page.waitForTimeout(1000);
        const s = await webcamState(page);
        const n = await page.evaluate(
          () => (globalThis as unknown as { __benchWebcam: { samples: { frames: number }[] } }).__benchWebcam.samples.at(-1)?.frames ?? 0,
        );
        if (n >= o.frames) break;
        if (!s.running) throw new Error(`the webcam view stopped after ${n} measured frames`);
        if (Date.now() > deadline) throw new Error(`only ${n} of ${o.frames} frames in ${Math.round((Date.now() - t0) / 1000)} s`);
      }
      const samples = await page.evaluate(() => {
        const b = (globalThis as unknown as { __benchWebcam: { samples: WebcamSample[]; timer: ReturnType<typeof setInterval> } }).__benchWebcam;
        clearInterval(b.timer);
        return b.samples;
      });
      const cpu = meter.stop();
      const last = samples[samples.length - 1];
      const wallMs = last.t;
      await page.getByTestId('webcam-stop').click();
      const tensors = samples.map((s) => s.tensors);
      const heaps = samples.map((s) => s.heapBytes);
      const flat = Math.min(...tensors) === Math.max(...tensors);
      if (!flat) problems.push(`webcam: tfjs tensors not flat over ${last.frames} frames (${Math.min(...tensors)}–${Math.max(...tensors)})`);
      if (errors.length) problems.push(`webcam: page errors: ${errors.slice(0, 3).join('; ')}`);
      return {
        video: { photos: files.length, secondsPerPhoto: o.secondsPerPhoto, fps: o.fps, width: 640, height: 480, bytes: y4m.bytes },
        enrolled,
        framesTarget: o.frames,
        frames: last.frames,
        dropped: last.dropped,
        wallMs,
        fps: round((last.frames * 1000) / wallMs),
        latency: samples.length ? roundSummary(summarize(samples.map((s) => s.latencyMs))) : null,
        tensors: { first: tensors[0], last: tensors[tensors.length - 1], min: Math.min(...tensors), max: Math.max(...tensors), flat },
        heap: { firstBytes: heaps[0], lastBytes: heaps[heaps.length - 1], maxBytes: Math.max(...heaps), deltaBytes: heaps[heaps.length - 1] - heaps[0] },
        faceShare: round(samples.filter((s) => s.faces > 0).length / samples.length),
        namedShare: round(samples.filter((s) => s.named > 0).length / samples.length),
        samples,
        cpu,
        pageErrors: errors,
      };
    } finally {
      await context.close().catch(() => {});
    }
  } finally {
    await browser?.close().catch(() => {});
    onBrowser(null);
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatWebcam(r: WebcamResult | null): string[] {
  if (!r) return ['webcam: skipped'];
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  const l = r.latency;
  return [
    `webcam (Webcam view, fake camera: ${r.video.photos} face photos × ${r.video.secondsPerPhoto} s, ${r.video.width}×${r.video.height} at ${r.video.fps} fps; enrolled ${r.enrolled.join(', ')}):`,
    `  ${r.frames} frames in ${(r.wallMs / 1000).toFixed(1)} s = ${r.fps} fps processed, ${r.dropped} camera frames dropped while busy; ` +
      (l ? `latency per frame (grab → worker → faces) median ${l.median.toFixed(1)} ms, p90 ${l.p90.toFixed(1)} ms (n=${l.runs})` : 'no latency samples'),
    `  tfjs tensors ${r.tensors.first} → ${r.tensors.last} (min ${r.tensors.min}, max ${r.tensors.max}: ${r.tensors.flat ? 'flat' : 'NOT FLAT'}); ` +
      `page JS heap ${mb(r.heap.firstBytes)} → ${mb(r.heap.lastBytes)} (max ${mb(r.heap.maxBytes)}); frames with a face ${pct(r.faceShare)}, with a named face ${pct(r.namedShare)}; others CPU ${pct(r.cpu?.others ?? null)}`,
  ];
}
