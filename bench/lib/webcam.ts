// The webcam part of `npm run bench`: the live Webcam view (#webcam) on Chromium's fake camera, fed a y4m made with
// ffmpeg from the face photos (made in a temp dir, deleted after): fps, per-frame latency, dropped frames, and the
// faces worker's tensor count and the page's JS heap over --webcam-frames frames (the tensor count must stay flat).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { debugApi, filesForPage } from '../../scripts/lib/debug-api.ts';
import { launchBrowser, openApp } from './browser.ts';
import { cpuMeter, type CpuReading } from './cpu.ts';
import { facePhotos } from './faces.ts';
import { log, pct, round, roundSummary, summarize, type Summary } from './stats.ts';

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

declare global {
  // The in-page sampler's state (one sample per finished frame), read back from Node.
  var __benchWebcam: { samples: WebcamSample[]; timer: ReturnType<typeof setInterval>; t0: number };
}

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
      const api = debugApi(page);
      // Enrol each person's first photo, so the live view names people (as a user with a gallery sees it).
      const paths = gallery.map((g) => `${g.person}/${path.basename(g.file)}`);
      const enrolled = await api.run(async (a, [sent, paths]) => (await a.faces.enrol(a.files(sent), paths)).report.people.map((p) => p.name), [
        filesForPage(
          gallery.map((g) => g.file),
          paths,
        ),
        paths,
      ] as const);
      await page.getByTestId('webcam-start').click();
      await api.waitFor((a) => a.webcam().frames >= 10, { timeout: 120_000 });
      // Every frame the view finishes is sampled in the page (a 10 ms poll of its state: frames arrive every ~100 ms).
      await api.run((a) => {
        const t0 = performance.now();
        const first = a.webcam();
        const samples: WebcamSample[] = [];
        let last = first.frames;
        const timer = setInterval(() => {
          const s = a.webcam();
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
        globalThis.__benchWebcam = { samples, timer, t0 };
      });
      const meter = cpuMeter();
      const t0 = Date.now();
      const deadline = t0 + Math.max(120_000, o.frames * 2000);
      for (;;) {
        await page.waitForTimeout(1000);
        const s = await api.run((a) => a.webcam());
        const n = await page.evaluate(() => globalThis.__benchWebcam.samples.at(-1)?.frames ?? 0);
        if (n >= o.frames) break;
        if (!s.running) throw new Error(`the webcam view stopped after ${n} measured frames`);
        if (Date.now() > deadline) throw new Error(`only ${n} of ${o.frames} frames in ${Math.round((Date.now() - t0) / 1000)} s`);
      }
      const samples = await page.evaluate(() => {
        const b = globalThis.__benchWebcam;
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
