// Installs the ?debug API (src/debug/api.ts) on globalThis.__sightline: test and benchmark hooks into the running
// app. main.ts loads this module only when the URL has ?debug.
import { clearLibrary } from '../db/queries';
import { enrolGallery } from '../pipeline/enrol';
import { analytics } from '../pipeline/clusters';
import { batch } from '../ui/state/batch.svelte';
import { engine, settings } from '../ui/state/engine';
import { watcher } from '../ui/state/watch.svelte';
import { webcam } from '../ui/state/webcam.svelte';
import type { BatchLabels, DebugApi, SentFile, WorkerCounts } from './api';

const counts = (o: WorkerCounts): WorkerCounts => ({ running: o.running, starts: o.starts, restarts: o.restarts });

const bytes = (b64: string) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));

async function writeFolder(folder: string, sent: SentFile[]): Promise<FileSystemDirectoryHandle> {
  const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(folder, { create: true });
  for (const f of sent) {
    const parts = f.name.split('/');
    let dir = root;
    for (const p of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(p, { create: true });
    const w = await (await dir.getFileHandle(parts.at(-1)!, { create: true })).createWritable();
    await w.write(bytes(f.b64));
    await w.close();
  }
  return root;
}

export function createDebugApi(): DebugApi {
  return {
    crash: (w) => engine[w].crash(),
    workers: () => ({
      image: counts(engine.image.owner),
      inference: counts(engine.inference.workerOwner),
      faces: counts(engine.faces.workerOwner),
      analytics: counts(analytics.owner),
    }),
    backend: () => engine.inference.info(),
    benchmark: (modelId, runs, warmupMs, batch) => engine.inference.benchmark(modelId, runs, warmupMs, batch),
    classifyBatch: async (modelId, files) => {
      const spec = engine.manifest.models.find((m) => m.id === modelId)?.preprocess.resize;
      if (!spec) throw new Error(`unknown model ${modelId}`);
      const pixels = async () => Promise.all(files.map(async (f) => (await engine.image.prepare(f, [spec])).inputs[0].rgba));
      const pick = ({ labels, batch }: BatchLabels) => ({ labels, batch });
      const batched = await engine.inference.classifyBatch(modelId, await pixels(), undefined, 5);
      const single = [];
      for (const rgba of await pixels()) single.push(await engine.inference.classify(modelId, rgba, undefined, 5));
      return { batched: batched.map(pick), single: single.map(pick) };
    },
    clearLibrary,
    runFolder: (dir, paused = false) => batch.startFolder(dir, paused),
    watch: (dir) => watcher.start(dir),
    watchLog: () => watcher.log,
    webcam: () => ({
      running: webcam.running,
      fps: webcam.fps,
      latencyMs: webcam.latencyMs,
      frames: webcam.frames,
      dropped: webcam.dropped,
      tensors: webcam.tensors,
      heapBytes: webcam.heapBytes,
      faces: webcam.faces.map((f) => ({ name: f.name, box: f.box })),
    }),
    stopAnalyticsWorker: async () => {
      await analytics.flush();
      analytics.owner.kill();
    },
    faces: {
      info: () => engine.faces.init(),
      stats: () => engine.faces.stats(),
      enrol: (files, paths) => enrolGallery(engine, files, paths, settings.recognition),
    },
    files: (sent) => sent.map((f) => new File([bytes(f.b64)], f.name)),
    writeFolder,
    bench: () => import('../../bench/page/index').then((m) => m.pageBench(engine)),
  };
}

export function installDebugApi(): void {
  globalThis.__sightline = createDebugApi();
}
