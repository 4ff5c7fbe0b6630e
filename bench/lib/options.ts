// Command-line options of `npm run bench`.
import { parseArgs } from 'node:util';

export const CLASSIFIERS = ['resnet50-keras-fp32', 'resnet50-keras-fp16w', 'resnet50-keras-int8', 'mobilenetv2-12-int8'] as const;
export const DETECTORS = ['yolov8n-int8-640', 'yolov8n-quant-416'] as const;
/** The model the pipeline uses by default; the pipeline/raw-inference ratio divides by its 2-thread browser median. */
export const PIPELINE_MODEL = 'resnet50-keras-fp16w';
/**
 * Parts of the bench, in the order they run. classify: classifier latency (browser/native/PyTorch) and the
 * classify-only UI pipeline (what the bench did before detection); detect: YOLO latency; throughput: classify +
 * detect + store through the UI; memory: 1,000 images through the UI, memory before/after; analytics: the
 * analytics worker's queries at 10k and 100k synthetic records in IndexedDB, clustering and recommendations;
 * faces: face detection + description on still photos (1 and 2 WASM threads); webcam: the live Webcam view on a
 * fake camera (fps, latency, tensors and heap over 500 frames); batch: classifiers on N images per session.run.
 */
export const PARTS = ['classify', 'detect', 'batch', 'throughput', 'memory', 'analytics', 'faces', 'webcam'] as const;
/** Classifiers whose batched runs (N images per session.run) the batch part measures by default. */
export const BATCH_MODELS = ['resnet50-keras-fp16w', 'resnet50-keras-int8'] as const;
export type Part = (typeof PARTS)[number];

export interface BenchOptions {
  build: boolean;
  /** Where the browser latency rows run: WASM (default) or WebGPU (GPU flags on; see lib/browser.ts). */
  backend: 'wasm' | 'webgpu';
  batchSizes: number[];
  batchModels: string[];
  runs: number;
  warmupMs: number;
  threads: number[];
  models: string[];
  pipeline: boolean;
  /** Copies of the 25 ImageNet images fed through the UI (4 → 100 files). */
  copies: number;
  torch: boolean;
  /** Seconds to wait at most for the machine to be idle before measuring (0: do not wait). */
  quietWaitS: number;
  only: Part[];
  detectors: string[];
  throughputFiles: number;
  throughputDetector: string;
  memoryImages: number;
  memoryWarm: number;
  /** null: no classification (`none`: decode, thumbnail and store only, with --memory-detector none). */
  memoryClassifier: string | null;
  /** null: classification only. */
  memoryDetector: string | null;
  memoryBoundMB: number;
  analyticsSizes: number[];
  analyticsEmbeddings: number;
  analyticsRuns: number;
  analyticsTargetMs: number;
  analyticsResponsiveMs: number;
  analyticsAutoK: boolean;
  facesRounds: number;
  facesThreads: number[];
  webcamFrames: number;
  webcamFps: number;
  webcamSecondsPerPhoto: number;
}

const HELP = `Usage: npm run bench -- [options]

  --only a,b          parts to run (default all): ${PARTS.join(',')}
                        classify   classifier latency, browser WASM vs onnxruntime-node (+ PyTorch) and the classify-only UI pipeline
                        detect     YOLO latency, browser WASM vs onnxruntime-node
                        batch      classifiers on N images per session.run (--batch-sizes), browser at the highest --threads
                        throughput classify + detect + store through the UI (images/min)
                        memory     memory growth over 1,000 images through the UI (fails above --memory-bound-mb)
                        analytics  analytics queries at 10k/100k synthetic records in IndexedDB, k-means/PCA, recommendations
                        faces      faces on the 11 face photos (stills, warm): ms/photo and faces/s, WASM 1 and 2 threads
                        webcam     live Webcam view on a fake camera (y4m from the face photos): fps, latency, tensors, heap
  --no-build          use the existing dist/ instead of running \`npx vite build\`
  --backend wasm|webgpu  browser backend of the latency rows (default wasm); webgpu keeps the GPU on (BENCH_CHROMIUM_ARGS adds flags)
  --batch-sizes 1,2,4,8  images per session.run in the batch part (default 1,2,4,8)
  --batch-models a,b     classifiers of the batch part (default ${BATCH_MODELS.join(',')})
  --runs N            timed runs per latency configuration (default 30; at least 20 for reported numbers)
  --warmup-ms MS      warm-up time before timing each latency configuration (default 3000)
  --threads 1,2       thread counts for browser WASM and onnxruntime-node (default 1,2)
  --models a,b        classifier ids (default ${CLASSIFIERS.join(',')})
  --copies N          classify pipeline run: copies of the 25 ImageNet images (default 4 = 100 files)
  --no-pipeline       skip the classify-only UI pipeline run
  --no-torch          skip the PyTorch peer even when it is installed
  --detectors a,b     detector ids for the detect part (default ${DETECTORS.join(',')})
  --throughput-files N        files through classify + detect + store (default 200)
  --throughput-detector ID    detector of the throughput run (default ${DETECTORS[0]})
  --memory-images N           images in the memory run (default 1000)
  --memory-warm N             of which the first N warm up before the "before" snapshot (default 20)
  --memory-classifier ID|none classifier of the memory run (default mobilenetv2-12-int8)
  --memory-detector ID|none   detector of the memory run (default ${DETECTORS[1]}; none = classification only)
  --memory-bound-mb MB        fail when measureUserAgentSpecificMemory grows more than this (default 50)
  --analytics-sizes a,b        library sizes for the analytics queries (default 10000,100000)
  --analytics-embeddings N     embeddings (2,048-d) for clustering and recommendations, at the first size (default 10000)
  --analytics-runs N           repeated queries per size and filter (default 7)
  --analytics-target-ms MS     fail when a repeated query at the biggest size takes this long (default 500)
  --analytics-responsive-ms MS fail when a main-thread task takes this long while those queries run (default 100)
  --no-analytics-auto-k        skip clustering with k chosen by silhouette (seven more k-means runs)
  --faces-rounds N             rounds over the 11 face photos per thread count (default 5; warm-up: --warmup-ms)
  --faces-threads 1,2          tfjs WASM threads asked for (?facethreads=; default 1,2)
  --webcam-frames N            frames the Webcam view processes while measured (default 500)
  --webcam-fps N               frame rate of the fake camera's y4m (default 15)
  --webcam-seconds-per-photo S how long each face photo stays in the video (default 1)
  --quiet-wait S      wait up to S seconds for the machine to be idle (< 15 % CPU) before measuring (default 60; 0 = off)
  -h, --help          this text
`;

function positiveInt(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

const list = (v: string): string[] =>
  v
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'no-build': { type: 'boolean', default: false },
      backend: { type: 'string', default: 'wasm' },
      'batch-sizes': { type: 'string', default: '1,2,4,8' },
      'batch-models': { type: 'string', default: BATCH_MODELS.join(',') },
      runs: { type: 'string', default: '30' },
      'warmup-ms': { type: 'string', default: '3000' },
      threads: { type: 'string', default: '1,2' },
      models: { type: 'string', default: CLASSIFIERS.join(',') },
      copies: { type: 'string', default: '4' },
      'no-pipeline': { type: 'boolean', default: false },
      'no-torch': { type: 'boolean', default: false },
      'quiet-wait': { type: 'string', default: '60' },
      only: { type: 'string', default: PARTS.join(',') },
      detectors: { type: 'string', default: DETECTORS.join(',') },
      'throughput-files': { type: 'string', default: '200' },
      'throughput-detector': { type: 'string', default: DETECTORS[0] },
      'memory-images': { type: 'string', default: '1000' },
      'memory-warm': { type: 'string', default: '20' },
      'memory-classifier': { type: 'string', default: 'mobilenetv2-12-int8' },
      'memory-detector': { type: 'string', default: DETECTORS[1] },
      'memory-bound-mb': { type: 'string', default: '50' },
      'analytics-sizes': { type: 'string', default: '10000,100000' },
      'analytics-embeddings': { type: 'string', default: '10000' },
      'analytics-runs': { type: 'string', default: '7' },
      'analytics-target-ms': { type: 'string', default: '500' },
      'analytics-responsive-ms': { type: 'string', default: '100' },
      'no-analytics-auto-k': { type: 'boolean', default: false },
      'faces-rounds': { type: 'string', default: '5' },
      'faces-threads': { type: 'string', default: '1,2' },
      'webcam-frames': { type: 'string', default: '500' },
      'webcam-fps': { type: 'string', default: '15' },
      'webcam-seconds-per-photo': { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const warmupMs = Number(values['warmup-ms']);
  if (!Number.isFinite(warmupMs) || warmupMs < 0) throw new Error(`--warmup-ms must be a number ≥ 0, got ${values['warmup-ms']}`);
  const only = list(values.only);
  for (const p of only)
    if (!(PARTS as readonly string[]).includes(p)) throw new Error(`--only: unknown part ${JSON.stringify(p)} (parts: ${PARTS.join(', ')})`);
  const memoryImages = positiveInt(values['memory-images'], 'memory-images');
  const memoryWarm = positiveInt(values['memory-warm'], 'memory-warm');
  if (memoryWarm >= memoryImages) throw new Error('--memory-warm must be below --memory-images');
  const memoryBoundMB = Number(values['memory-bound-mb']);
  if (!Number.isFinite(memoryBoundMB) || memoryBoundMB <= 0) throw new Error(`--memory-bound-mb must be a number > 0, got ${values['memory-bound-mb']}`);
  if (values.backend !== 'wasm' && values.backend !== 'webgpu') throw new Error(`--backend must be wasm or webgpu, got ${JSON.stringify(values.backend)}`);
  return {
    build: !values['no-build'],
    backend: values.backend,
    batchSizes: list(values['batch-sizes']).map((x) => positiveInt(x, 'batch-sizes')),
    batchModels: list(values['batch-models']),
    runs: positiveInt(values.runs, 'runs'),
    warmupMs,
    threads: values.threads.split(',').map((t) => positiveInt(t.trim(), 'threads')),
    models: list(values.models),
    pipeline: !values['no-pipeline'],
    copies: positiveInt(values.copies, 'copies'),
    torch: !values['no-torch'],
    quietWaitS: values['quiet-wait'] === '0' ? 0 : positiveInt(values['quiet-wait'], 'quiet-wait'),
    only: PARTS.filter((p) => only.includes(p)),
    detectors: list(values.detectors),
    throughputFiles: positiveInt(values['throughput-files'], 'throughput-files'),
    throughputDetector: values['throughput-detector'].trim(),
    memoryImages,
    memoryWarm,
    memoryClassifier: ['none', ''].includes(values['memory-classifier'].trim()) ? null : values['memory-classifier'].trim(),
    memoryDetector: ['none', ''].includes(values['memory-detector'].trim()) ? null : values['memory-detector'].trim(),
    memoryBoundMB,
    analyticsSizes: list(values['analytics-sizes']).map((x) => positiveInt(x, 'analytics-sizes')),
    analyticsEmbeddings: positiveInt(values['analytics-embeddings'], 'analytics-embeddings'),
    analyticsRuns: positiveInt(values['analytics-runs'], 'analytics-runs'),
    analyticsTargetMs: positiveInt(values['analytics-target-ms'], 'analytics-target-ms'),
    analyticsResponsiveMs: positiveInt(values['analytics-responsive-ms'], 'analytics-responsive-ms'),
    analyticsAutoK: !values['no-analytics-auto-k'],
    facesRounds: positiveInt(values['faces-rounds'], 'faces-rounds'),
    facesThreads: list(values['faces-threads']).map((x) => positiveInt(x, 'faces-threads')),
    webcamFrames: positiveInt(values['webcam-frames'], 'webcam-frames'),
    webcamFps: positiveInt(values['webcam-fps'], 'webcam-fps'),
    webcamSecondsPerPhoto: positiveInt(values['webcam-seconds-per-photo'], 'webcam-seconds-per-photo'),
  };
}
