import { mount } from 'svelte';
import App from './ui/App.svelte';
import { engine, settings } from './ui/state/engine';
import { clearLibrary } from './db/queries';
import { batch } from './ui/state/batch.svelte';
import { watcher } from './ui/state/watch.svelte';
import { webcam } from './ui/state/webcam.svelte';
import './app.css';

mount(App, { target: document.getElementById('app')! });

// Test and benchmark hooks (?debug): crash a worker to check restarts; time raw inference in the real worker.
if (new URLSearchParams(location.search).has('debug')) {
  Object.assign(globalThis, {
    __sightline: {
      crash: (w: 'image' | 'inference') => engine[w].crash(),
      backend: () => engine.inference.info(),
      benchmark: (modelId: string, runs: number, warmupMs: number, batch?: number) => engine.inference.benchmark(modelId, runs, warmupMs, batch),
      clearLibrary,
      // Batched classification (not yet used by the runner): each file decoded as for classify, then one run for all,
      // and each file alone, so a test can compare the two.
      classifyBatch: async (modelId: string, files: Blob[]) => {
        const spec = engine.manifest.models.find((m) => m.id === modelId)?.preprocess.resize;
        if (!spec) throw new Error(`unknown model ${modelId}`);
        const pixels = async () => Promise.all(files.map(async (f) => (await engine.image.prepare(f, [spec])).inputs[0].rgba));
        const batched = await engine.inference.classifyBatch(modelId, await pixels(), undefined, 5);
        const single = [];
        for (const rgba of await pixels()) single.push(await engine.inference.classify(modelId, rgba, undefined, 5));
        return { batched: batched.map(({ labels, batch }) => ({ labels, batch })), single: single.map(({ labels, batch }) => ({ labels, batch })) };
      },
      runFolder: (dir: FileSystemDirectoryHandle, paused = false) => batch.startFolder(dir, paused),
      watch: (dir: FileSystemDirectoryHandle) => watcher.start(dir),
      watchLog: () => watcher.log,
      // npm run bench -- --only analytics: seeds a synthetic library and times the analytics views' work (loaded on demand).
      analyticsBench: () => import('./pipeline/analytics-bench'),
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
      // Faces: gallery enrolment (npm run batch -- --gallery), descriptors, the accuracy test and the bench (loaded on demand).
      facesBench: () => import('./pipeline/faces-bench').then((m) => m.hooks(engine, () => settings.recognition)),
    },
  });
}
