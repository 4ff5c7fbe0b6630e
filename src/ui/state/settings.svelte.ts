import type { BackendPreference } from '../../workers/api';

const KEY = 'sightline.settings';
type Theme = 'system' | 'light' | 'dark';

interface Saved {
  modelId?: string;
  detectorId?: string | null;
  scoreThreshold?: number;
  iouThreshold?: number;
  backend?: BackendPreference;
  theme?: Theme;
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
  }

  save(): void {
    const saved: Saved = {
      modelId: this.modelId,
      backend: this.backend,
      theme: this.theme,
      detectorId: this.detectorId,
      scoreThreshold: this.scoreThreshold,
      iouThreshold: this.iouThreshold,
    };
    localStorage.setItem(KEY, JSON.stringify(saved));
  }
}
