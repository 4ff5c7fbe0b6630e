import { deleteImage, getThumb, listLibrary, type LibraryItem } from '../../db/queries';
import { deriveTag, type TagResult } from '../../shared/rules';
import { engine } from './engine';

/** A library item with its tag under the current rules (labels and objects together). */
export interface TaggedItem extends LibraryItem {
  tag: TagResult | undefined;
}

export class LibraryState {
  items = $state.raw<LibraryItem[]>([]);
  tagFilter = $state<string>('all');
  objectFilter = $state<string>('all');
  selectedId = $state<string | null>(null);
  loaded = $state(false);
  /** Bumped when the rules change: tags are re-derived, models are not re-run. */
  rulesEpoch = $state(0);

  readonly tagged: TaggedItem[] = $derived.by(() => {
    void this.rulesEpoch;
    return this.items.map((i) => ({
      ...i,
      tag: i.result || i.detection ? deriveTag(engine.rules, i.result?.labels ?? [], i.detection?.objects ?? []) : undefined,
    }));
  });
  readonly visible = $derived(
    this.tagged.filter(
      (i) =>
        (this.tagFilter === 'all' || i.tag?.tag === this.tagFilter) &&
        (this.objectFilter === 'all' || !!i.detection?.objects.some((o) => o.label === this.objectFilter)),
    ),
  );
  readonly tagCounts = $derived(count(this.tagged.flatMap((i) => (i.tag ? [i.tag.tag] : []))));
  /** Images containing each object class. */
  readonly objectCounts = $derived(count(this.tagged.flatMap((i) => [...new Set(i.detection?.objects.map((o) => o.label) ?? [])])));
  readonly selected = $derived(this.tagged.find((i) => i.image.id === this.selectedId) ?? null);

  async refresh(): Promise<void> {
    this.items = await listLibrary();
    this.loaded = true;
  }

  async remove(id: string): Promise<void> {
    await deleteImage(id);
    if (this.selectedId === id) this.selectedId = null;
    await this.refresh();
  }

  thumb(id: string): Promise<Blob | undefined> {
    return getThumb(id);
  }
}

function count(values: string[]): [string, number][] {
  const c = new Map<string, number>();
  for (const v of values) c.set(v, (c.get(v) ?? 0) + 1);
  return [...c.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export const library = new LibraryState();
