import { listProfiles } from '../../db/profiles';
import { deleteImage, getThumb, listLibrary, type LibraryItem } from '../../db/queries';
import { MP_BUCKETS, toRecord } from '../../shared/aggregate';
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
  /** Set by clicking a chart bar in Analytics: only images with this value of that field. */
  pick = $state<{ field: PickField; value: string } | null>(null);
  selectedId = $state<string | null>(null);
  loaded = $state(false);
  /** Bumped when the rules change: tags are re-derived, models are not re-run. */
  rulesEpoch = $state(0);
  /** Profile id → name, for "imported by <name>" (the creator chart and its bar clicks). */
  profileNames = $state.raw<ReadonlyMap<string, string>>(new Map());

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
        (this.objectFilter === 'all' || !!i.detection?.objects.some((o) => o.label === this.objectFilter)) &&
        (!this.pick || fieldValues(i, this.pick.field, this.profileNames).includes(this.pick.value)),
    ),
  );
  readonly tagCounts = $derived(count(this.tagged.flatMap((i) => (i.tag ? [i.tag.tag] : []))));
  /** Images containing each object class. */
  readonly objectCounts = $derived(count(this.tagged.flatMap((i) => [...new Set(i.detection?.objects.map((o) => o.label) ?? [])])));
  readonly selected = $derived(this.tagged.find((i) => i.image.id === this.selectedId) ?? null);

  async refresh(): Promise<void> {
    const [items, profiles] = await Promise.all([listLibrary(), listProfiles()]);
    [this.items, this.profileNames] = [items, new Map(profiles.map((p) => [p.id, p.name]))];
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

export type PickField = 'label' | 'tag' | 'object' | 'person' | 'camera' | 'lens' | 'creator' | 'month' | 'source' | 'megapixels';

/** The values an item has for a chart's field, computed as the analytics worker does. */
function fieldValues(i: TaggedItem, field: PickField, profileNames: ReadonlyMap<string, string>): string[] {
  const r = toRecord(i.image, i.result, i.detection, profileNames, i.faces);
  if (field === 'tag') return [i.tag?.tag ?? r.tag];
  if (field === 'object') return r.objects;
  if (field === 'person') return r.people;
  if (field === 'megapixels') return [MP_BUCKETS.find(([max]) => r.megapixels < max)![1]];
  return [r[field]];
}

function count(values: string[]): [string, number][] {
  const c = new Map<string, number>();
  for (const v of values) c.set(v, (c.get(v) ?? 0) + 1);
  return [...c.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

export const library = new LibraryState();
