// The live webcam view: frames go to the faces worker as transferable ImageBitmaps, one at a time; while one is
// in the worker newer frames are skipped (dropped, never queued), so boxes follow the video instead of lagging.
import { addSighting, recentSightings } from '../../db/faces';
import { enrolCaptures } from '../../pipeline/enrol';
import { loadRecognizer, type Recognizer } from '../../pipeline/people';
import type { DetectedFace } from '../../workers/faces-api';
import { faceCrop } from '../../shared/face-crop';
import type { SightingRecord } from '../../shared/types';
import { engine, settings } from './engine';
import { people } from './people.svelte';

export interface LiveFace {
  box: DetectedFace['box'];
  personId: string | null;
  name: string;
  known: boolean;
  score: number;
}

export interface Capture {
  descriptor: Float32Array;
  box: DetectedFace['box'];
  score: number;
  crop: Blob;
}

/** What getUserMedia's errors mean to a person. */
export function cameraError(e: unknown): string {
  const name = (e as DOMException)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'Camera permission was denied. Allow the camera for this site in the browser (address bar → site settings) and start again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found. Connect a camera and start again.';
  if (name === 'NotReadableError' || name === 'AbortError')
    return 'The camera is busy or could not be started: close other apps or tabs using it and start again.';
  return `The camera could not be started: ${(e as Error)?.message ?? String(e)}`;
}

const SIGHTING_GAP_MS = 10_000;
const CAPTURE_GAP_MS = 200;
const MAX_CAPTURES = 20;

export class WebcamState {
  running = $state(false);
  starting = $state(false);
  error = $state<string | null>(null);
  faces = $state.raw<LiveFace[]>([]);
  fps = $state(0);
  latencyMs = $state(0);
  frames = $state(0);
  dropped = $state(0);
  tensors = $state(0);
  heapBytes = $state(0);
  recording = $state(false);
  sightings = $state.raw<SightingRecord[]>([]);
  capturing = $state(false);
  captures = $state(0);
  enrolMessage = $state<string | null>(null);
  size = $state({ width: 0, height: 0 });

  private stream: MediaStream | null = null;
  private video: HTMLVideoElement | null = null;
  private recognizer: Recognizer | null = null;
  private inFlight = false;
  private stamps: number[] = [];
  private lastSeen = new Map<string, number>();
  private pending: Capture[] = [];
  private lastCapture = 0;
  private frameHandle = 0;

  async start(video: HTMLVideoElement): Promise<void> {
    if (this.running || this.starting) return;
    this.error = null;
    this.starting = true;
    try {
      if (!navigator.mediaDevices?.getUserMedia)
        throw Object.assign(new Error('this page has no camera access (it needs https or localhost)'), { name: 'TypeError' });
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 640 }, height: { ideal: 480 } }, audio: false });
      video.srcObject = this.stream;
      await video.play();
      this.video = video;
      this.size = { width: video.videoWidth, height: video.videoHeight };
      [this.recognizer] = await Promise.all([loadRecognizer(settings.recognition, (s) => engine.faces.train(s)), engine.faces.init()]);
      this.sightings = await recentSightings();
      Object.assign(this, { frames: 0, dropped: 0, fps: 0 });
      this.stamps = [];
      this.running = true;
      this.schedule();
    } catch (e) {
      this.error = cameraError(e);
      this.release();
    } finally {
      this.starting = false;
    }
  }

  stop(): void {
    this.running = false;
    this.capturing = false;
    this.release();
    this.faces = [];
  }

  private release(): void {
    const v = this.video as (HTMLVideoElement & { cancelVideoFrameCallback?(h: number): void }) | null;
    v?.cancelVideoFrameCallback?.(this.frameHandle);
    this.stream?.getTracks().forEach((t) => t.stop());
    if (v) v.srcObject = null;
    this.stream = null;
    this.video = null;
  }

  /** One callback per presented video frame; each either goes to the worker or is dropped. */
  private schedule(): void {
    const v = this.video;
    if (!v || !this.running) return;
    this.frameHandle = v.requestVideoFrameCallback(() => {
      void this.onFrame();
      this.schedule();
    });
  }

  private async onFrame(): Promise<void> {
    const v = this.video;
    if (!v || !this.running) return;
    if (this.inFlight) {
      this.dropped++;
      return;
    }
    this.inFlight = true;
    try {
      const t0 = performance.now();
      const bitmap = await createImageBitmap(v);
      const r = await engine.faces.detectFrame(bitmap);
      if (!r || !this.running) return;
      const now = performance.now();
      this.latencyMs = now - t0;
      this.frames++;
      this.stamps = [...this.stamps.filter((s) => now - s < 2000), now];
      this.fps = this.stamps.length > 1 ? ((this.stamps.length - 1) * 1000) / (now - this.stamps[0]) : 0;
      this.tensors = r.stats.tensors;
      this.heapBytes = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
      this.faces = r.faces.map((f) => {
        const who = this.recognizer!.identify(f.descriptor);
        return { box: f.box, personId: who.personId, name: who.name, known: !!who.personId, score: who.score };
      });
      if (this.recording) await this.record();
      if (this.capturing && r.faces.length === 1) await this.capture(v, r.faces[0]);
    } catch (e) {
      this.error = `Face detection failed on a frame: ${(e as Error).message}`;
    } finally {
      this.inFlight = false;
    }
  }

  private async record(): Promise<void> {
    const now = Date.now();
    for (const f of this.faces) {
      if (now - (this.lastSeen.get(f.name) ?? 0) < SIGHTING_GAP_MS) continue;
      this.lastSeen.set(f.name, now);
      const s: SightingRecord = { personId: f.personId, name: f.name, distance: f.score, at: now };
      await addSighting(s);
      this.sightings = [s, ...this.sightings].slice(0, 50);
    }
  }

  /** Hold-to-record enrolment: while held, each frame with exactly one face adds a sample (at most 5/s, 20 in all). */
  private async capture(v: HTMLVideoElement, f: DetectedFace): Promise<void> {
    const now = performance.now();
    if (now - this.lastCapture < CAPTURE_GAP_MS || this.pending.length >= MAX_CAPTURES) return;
    this.lastCapture = now;
    this.pending.push({ descriptor: f.descriptor, box: f.box, score: f.score, crop: await faceCrop(v, f.box) });
    this.captures = this.pending.length;
  }

  beginCapture(): void {
    if (!this.running) return;
    this.pending = [];
    this.captures = 0;
    this.enrolMessage = null;
    this.capturing = true;
  }

  async endCapture(name: string): Promise<void> {
    if (!this.capturing) return;
    this.capturing = false;
    const taken = this.pending;
    this.pending = [];
    try {
      const n = await enrolCaptures(name, taken);
      this.enrolMessage = `Enrolled ${n} samples of ${name.trim()}.`;
      this.recognizer = await loadRecognizer(settings.recognition, (s) => engine.faces.train(s));
      await people.refresh();
    } catch (e) {
      this.enrolMessage = (e as Error).message;
    }
  }

  /** The current frame with its labelled boxes, as a PNG. */
  async snapshot(): Promise<Blob | null> {
    const v = this.video;
    if (!v) return null;
    const c = new OffscreenCanvas(v.videoWidth, v.videoHeight);
    const ctx = c.getContext('2d')!;
    ctx.drawImage(v, 0, 0);
    drawFaces(ctx, this.faces);
    return c.convertToBlob({ type: 'image/png' });
  }
}

/** Shared by the live overlay and snapshots. */
export function drawFaces(ctx: OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D, faces: readonly LiveFace[]): void {
  ctx.lineWidth = 3;
  ctx.font = '16px system-ui, sans-serif';
  for (const f of faces) {
    const [x, y, w, h] = f.box;
    const colour = f.known ? '#3ddc84' : '#ffb020';
    ctx.strokeStyle = colour;
    ctx.strokeRect(x, y, w, h);
    const label = f.known ? `${f.name} ${f.score.toFixed(2)}` : 'Unknown';
    const tw = ctx.measureText(label).width + 8;
    ctx.fillStyle = colour;
    ctx.fillRect(x - 1.5, Math.max(0, y - 22), tw, 22);
    ctx.fillStyle = '#000';
    ctx.fillText(label, x + 3, Math.max(16, y - 6));
  }
}

export const webcam = new WebcamState();
