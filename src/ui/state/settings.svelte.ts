import type { BackendPreference } from '../../workers/api';

const KEY = 'sightline.settings';
type Theme = 'system' | 'light' | 'dark';

interface Saved {
  modelId?: string;
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
  readonly threads: number | undefined;

  constructor() {
    const s = load();
    const q = new URLSearchParams(location.search);
    this.modelId = q.get('model') ?? s.modelId;
    this.backend = (q.get('backend') as BackendPreference | null) ?? s.backend ?? 'auto';
    this.theme = s.theme ?? 'system';
    this.threads = q.has('threads') ? Number(q.get('threads')) : undefined;
  }

  save(): void {
    localStorage.setItem(KEY, JSON.stringify({ modelId: this.modelId, backend: this.backend, theme: this.theme }));
  }
}
