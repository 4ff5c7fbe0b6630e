import type { BackendPreference } from '../../workers/api';
import { DEFAULT_RECOGNITION, type FaceMethod, type RecognitionSettings } from '../../pipeline/people';

const KEY = 'sightline.settings';
type Theme = 'system' | 'light' | 'dark';

interface Saved {
  modelId?: string;
  detectorId?: string | null;
  scoreThreshold?: number;
  iouThreshold?: number;
  backend?: BackendPreference;
  theme?: Theme;
  faces?: boolean;
  faceMethod?: FaceMethod;
  distanceThreshold?: number;
  minConfidence?: number;
}

function load(): Saved {
  try {
    return JSON.parse(localStorage.getItem(KEY) ?? '{}') as Saved;
  } catch {
    return {};
  }
}

/** User settings, persisted in localStorage. URL parameters (?backend=wasm&threads=1) override for one visit. */
export class SettingsState {
  modelId = $state<string | undefined>(undefined);
  backend = $state<BackendPreference>('auto');
  theme = $state<Theme>('system');
  /** null: no detection. */
  detectorId = $state<string | null>(null);
  scoreThreshold = $state(0.25);
  iouThreshold = $state(0.45);
  readonly threads: number | undefined;
  /** tfjs WASM threads for faces (?facethreads=2; the bench compares, the app uses 1). */
  readonly faceThreads: number;
  /** Run the faces stage on imported photos (?faces=0 turns it off for one visit). */
  faces = $state(true);
  faceMethod = $state<FaceMethod>(DEFAULT_RECOGNITION.method);
  distanceThreshold = $state(DEFAULT_RECOGNITION.distanceThreshold);
  minConfidence = $state(DEFAULT_RECOGNITION.minConfidence);

  constructor() {
    const s = load();
    const q = new URLSearchParams(location.search);
    this.modelId = q.get('model') ?? s.modelId;
    this.backend = (q.get('backend') as BackendPreference | null) ?? s.backend ?? 'auto';
    this.theme = s.theme ?? 'system';
    this.detectorId = q.has('detector') ? q.get('detector') || null : (s.detectorId ?? null);
    this.scoreThreshold = Number(q.get('score') ?? s.scoreThreshold ?? 0.25);
    this.iouThreshold = Number(q.get('iou') ?? s.iouThreshold ?? 0.45);
    this.threads = q.has('threads') ? Number(q.get('threads')) : undefined;
    this.faceThreads = Math.max(1, Math.floor(Number(q.get('facethreads') ?? 1)) || 1);
    this.faces = q.has('faces') ? q.get('faces') !== '0' : (s.faces ?? true);
    this.faceMethod = (q.get('method') as FaceMethod | null) ?? s.faceMethod ?? DEFAULT_RECOGNITION.method;
    this.distanceThreshold = s.distanceThreshold ?? DEFAULT_RECOGNITION.distanceThreshold;
    this.minConfidence = s.minConfidence ?? DEFAULT_RECOGNITION.minConfidence;
    // ?threshold= sets the chosen method's threshold for one visit (max distance, or min classifier confidence).
    const t = Number(q.get('threshold') ?? NaN);
    if (Number.isFinite(t)) {
      if (this.faceMethod === 'classifier') this.minConfidence = t;
      else this.distanceThreshold = t;
    }
  }

  get recognition(): RecognitionSettings {
    return { method: this.faceMethod, distanceThreshold: this.distanceThreshold, minConfidence: this.minConfidence };
  }

  save(): void {
    const saved: Saved = {
      modelId: this.modelId,
      backend: this.backend,
      theme: this.theme,
      detectorId: this.detectorId,
      scoreThreshold: this.scoreThreshold,
      iouThreshold: this.iouThreshold,
      faces: this.faces,
      faceMethod: this.faceMethod,
      distanceThreshold: this.distanceThreshold,
      minConfidence: this.minConfidence,
    };
    localStorage.setItem(KEY, JSON.stringify(saved));
  }
}
