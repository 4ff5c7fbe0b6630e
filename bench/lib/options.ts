// Command-line options of `npm run bench`.
import { parseArgs } from 'node:util';

export const CLASSIFIERS = ['resnet50-keras-fp32', 'resnet50-keras-fp16w', 'mobilenetv2-12-int8'] as const;
/** The model the pipeline uses by default; the pipeline/raw-inference ratio divides by its 2-thread browser median. */
export const PIPELINE_MODEL = 'resnet50-keras-fp16w';

export interface BenchOptions {
  build: boolean;
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
}

const HELP = `Usage: npm run bench -- [options]

  --no-build          use the existing dist/ instead of running \`npx vite build\`
  --runs N            timed runs per configuration (default 30; at least 20 for reported numbers)
  --warmup-ms MS      warm-up time before timing each configuration (default 3000)
  --threads 1,2       thread counts for browser WASM and onnxruntime-node (default 1,2)
  --models a,b        classifier ids (default ${CLASSIFIERS.join(',')})
  --copies N          pipeline run: copies of the 25 ImageNet images (default 4 = 100 files)
  --no-pipeline       skip the end-to-end UI pipeline run
  --no-torch          skip the PyTorch peer even when it is installed
  --quiet-wait S      wait up to S seconds for the machine to be idle (< 15 % CPU) before measuring (default 60; 0 = off)
  -h, --help          this text
`;

function positiveInt(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      'no-build': { type: 'boolean', default: false },
      runs: { type: 'string', default: '30' },
      'warmup-ms': { type: 'string', default: '3000' },
      threads: { type: 'string', default: '1,2' },
      models: { type: 'string', default: CLASSIFIERS.join(',') },
      copies: { type: 'string', default: '4' },
      'no-pipeline': { type: 'boolean', default: false },
      'no-torch': { type: 'boolean', default: false },
      'quiet-wait': { type: 'string', default: '60' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const warmupMs = Number(values['warmup-ms']);
  if (!Number.isFinite(warmupMs) || warmupMs < 0) throw new Error(`--warmup-ms must be a number ≥ 0, got ${values['warmup-ms']}`);
  return {
    build: !values['no-build'],
    runs: positiveInt(values.runs, 'runs'),
    warmupMs,
    threads: values.threads.split(',').map((t) => positiveInt(t.trim(), 'threads')),
    models: values.models
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean),
    pipeline: !values['no-pipeline'],
    copies: positiveInt(values.copies, 'copies'),
    torch: !values['no-torch'],
    quietWaitS: values['quiet-wait'] === '0' ? 0 : positiveInt(values['quiet-wait'], 'quiet-wait'),
  };
}
