// The content rules in force: the shipped table, or the user's edited copy (localStorage), versioned.
// Saving re-derives every tag from the stored labels and objects; no model runs again.
import defaults from '../../shared/content-rules.json';
import { parseLabels } from '../../shared/labels';
import { validateRules, type ContentRules } from '../../shared/rules';
import { engine } from './engine';
import { library } from './library.svelte';

const KEY = 'sightline.rules';
const shipped = defaults as unknown as ContentRules;

function stored(): ContentRules | null {
  try {
    const r = JSON.parse(localStorage.getItem(KEY) ?? 'null') as ContentRules | null;
    return r && validateRules(r).length === 0 ? r : null;
  } catch {
    return null;
  }
}

async function knownNames(): Promise<{ labels: Set<string>; objects: Set<string> }> {
  const get = async (id: string) => {
    const l = engine.manifest.labels[id];
    const res = await fetch(new URL(`models/${l.file}`, location.href));
    if (!res.ok) throw new Error(`labels file ${l.file}: HTTP ${res.status}`);
    return new Set(parseLabels(await res.text(), l.column, l.count));
  };
  return { labels: await get('imagenet1000'), objects: await get('coco80') };
}

export class RulesState {
  custom = $state(false);
  text = $state('');
  errors = $state<string[]>([]);
  saved = $state<string | null>(null);
  version = $state(engine.rules.version);

  constructor() {
    this.load();
  }

  /** Takes the saved rules (or the built-in ones) as the rules in force. */
  load(): void {
    const r = stored();
    engine.rules = r ?? structuredClone(shipped);
    this.custom = !!r;
    this.text = JSON.stringify(engine.rules, null, 2);
    this.version = engine.rules.version;
    library.rulesEpoch++;
  }

  private apply(r: ContentRules, custom: boolean): void {
    engine.rules = r;
    this.custom = custom;
    this.text = JSON.stringify(r, null, 2);
    this.version = r.version;
    library.rulesEpoch++;
  }

  async save(): Promise<boolean> {
    this.saved = null;
    let r: ContentRules;
    try {
      r = JSON.parse(this.text) as ContentRules;
    } catch (e) {
      this.errors = [`not valid JSON: ${(e as Error).message}`];
      return false;
    }
    let names: Awaited<ReturnType<typeof knownNames>> | undefined;
    try {
      names = await knownNames();
    } catch {
      names = undefined; // offline without label files: check the structure only
    }
    this.errors = validateRules(r, names?.labels, names?.objects);
    if (this.errors.length) return false;
    // Every saved edit is a new rules version, so stored tags say which rules produced them.
    r.version = Math.max(r.version, engine.rules.version + 1);
    localStorage.setItem(KEY, JSON.stringify(r));
    this.apply(r, true);
    this.saved = `Saved as version ${r.version}; tags re-derived for ${library.items.length} images.`;
    return true;
  }

  reset(): void {
    localStorage.removeItem(KEY);
    this.errors = [];
    this.apply(structuredClone(shipped), false);
    this.saved = `Back to the built-in rules (version ${shipped.version}).`;
  }
}

export const rules = new RulesState();
