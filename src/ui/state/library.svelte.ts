import { deleteImage, getThumb, listLibrary, type LibraryItem } from '../../db/queries';

export class LibraryState {
  items = $state.raw<LibraryItem[]>([]);
  tagFilter = $state<string>('all');
  selectedId = $state<string | null>(null);
  loaded = $state(false);

  readonly visible = $derived(this.tagFilter === 'all' ? this.items : this.items.filter((i) => i.result?.tag.tag === this.tagFilter));
  readonly tagCounts = $derived.by(() => {
    const c = new Map<string, number>();
    for (const i of this.items) if (i.result) c.set(i.result.tag.tag, (c.get(i.result.tag.tag) ?? 0) + 1);
    return [...c.entries()].sort((a, b) => b[1] - a[1]);
  });
  readonly selected = $derived(this.items.find((i) => i.image.id === this.selectedId) ?? null);

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

export const library = new LibraryState();
