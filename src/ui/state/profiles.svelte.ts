import { createProfile, deleteProfile, listProfiles, profileSignals, recordEvent, removeEvent, renameProfile, type ProfileRow } from '../../db/profiles';
import type { Recommendation } from '../../pipeline/recommendations';
import { recommendFor } from '../../pipeline/recommendations';
import type { ImportedBy } from '../../shared/types';
import { library } from './library.svelte';

const KEY = 'sightline.profile';

export class ProfilesState {
  list = $state.raw<ProfileRow[]>([]);
  activeId = $state<string | null>(localStorage.getItem(KEY));
  liked = $state.raw<Set<string>>(new Set());
  hidden = $state.raw<Set<string>>(new Set());
  seen = $state.raw<Set<string>>(new Set());
  recs = $state.raw<Recommendation[]>([]);
  readonly active = $derived(this.list.find((p) => p.id === this.activeId) ?? null);

  async refresh(): Promise<void> {
    this.list = await listProfiles();
    if (this.activeId && !this.list.some((p) => p.id === this.activeId)) this.activeId = null;
    if (!this.activeId && this.list.length) this.activeId = this.list[0].id;
    await this.reload();
  }

  /** Signals and recommendations of the active profile; called after every like/hide so the list updates at once. */
  async reload(): Promise<void> {
    if (!this.activeId) {
      [this.liked, this.hidden, this.seen, this.recs] = [new Set(), new Set(), new Set(), []];
      return;
    }
    localStorage.setItem(KEY, this.activeId);
    const s = await profileSignals(this.activeId);
    [this.liked, this.hidden, this.seen] = [new Set(s.liked), new Set(s.hidden), new Set(s.seen)];
    if (!library.loaded) await library.refresh();
    this.recs = await recommendFor(s, 20);
  }

  async create(name: string): Promise<void> {
    this.activeId = (await createProfile(name)).id;
    await this.refresh();
  }
  async rename(name: string): Promise<void> {
    if (this.activeId) await renameProfile(this.activeId, name);
    await this.refresh();
  }
  async remove(): Promise<void> {
    if (this.activeId) await deleteProfile(this.activeId);
    this.activeId = null;
    localStorage.removeItem(KEY);
    await this.refresh();
  }
  async switchTo(id: string): Promise<void> {
    this.activeId = id;
    await this.reload();
  }

  /** Who is importing now, recorded on new images: the active profile (as refresh() would choose it), or null when there is none. */
  async importer(): Promise<ImportedBy | null> {
    const list = await listProfiles();
    const p = list.find((x) => x.id === this.activeId) ?? list[0];
    return p ? { profileId: p.id, name: p.name } : null;
  }

  private async ensureProfile(): Promise<string> {
    if (!this.activeId) await this.create('Me');
    return this.activeId!;
  }
  async toggle(imageId: string, kind: 'like' | 'hide'): Promise<void> {
    const id = await this.ensureProfile();
    const on = (kind === 'like' ? this.liked : this.hidden).has(imageId);
    await (on ? removeEvent(id, imageId, kind) : recordEvent(id, imageId, kind));
    await this.reload();
  }
  async view(imageId: string): Promise<void> {
    if (!this.activeId || this.seen.has(imageId)) return;
    await recordEvent(this.activeId, imageId, 'view');
    this.seen = new Set([...this.seen, imageId]);
  }

  /** Demo profiles as the seed made them: each likes a few images of one or two random top labels and hides one. */
  async generateDemo(n = 3, seed = Date.now()): Promise<void> {
    let s = seed >>> 0;
    const rand = () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
    const byLabel = new Map<string, string[]>();
    for (const i of library.items) {
      const l = i.result?.labels[0]?.label;
      if (l) byLabel.set(l, [...(byLabel.get(l) ?? []), i.image.id]);
    }
    const labels = [...byLabel.keys()];
    if (!labels.length) return;
    for (let p = 0; p < n; p++) {
      const fav = [labels[Math.floor(rand() * labels.length)], labels[Math.floor(rand() * labels.length)]];
      const prof = await createProfile(`Demo ${fav[0]}`);
      for (const l of new Set(fav)) for (const id of byLabel.get(l)!.slice(0, 3)) await recordEvent(prof.id, id, 'like');
      const all = library.items.map((i) => i.image.id).filter((id) => !fav.some((l) => byLabel.get(l)!.includes(id)));
      if (all.length) await recordEvent(prof.id, all[Math.floor(rand() * all.length)], 'hide');
    }
    await this.refresh();
  }
}

export const profiles = new ProfilesState();
