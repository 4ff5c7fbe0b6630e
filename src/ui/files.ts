// Turning picked, dropped or folder files into batch items (no workers or storage here).
import type { BatchItem } from '../pipeline/runner';

/** One file processed from a watched folder (the Watch panel's log, newest first; also read by the ?debug API). */
export interface WatchLogEntry {
  path: string;
  time: number;
  width?: number;
  height?: number;
  channels?: number;
  tags: string;
  error?: string;
}

const IMAGE_EXT = /\.(jpe?g|png|gif|webp|bmp|avif|heic|heif|tiff?)$/i;

/** Files the user picked one by one are all tried (a wrong one gets its own error); folders keep images only. */
export function itemsFromFiles(files: Iterable<File>, fromFolder: boolean): { items: BatchItem[]; ignored: number } {
  const items: BatchItem[] = [];
  let ignored = 0;
  for (const f of files) {
    const path = f.webkitRelativePath || f.name;
    if (fromFolder && (!IMAGE_EXT.test(f.name) || f.name.startsWith('.'))) {
      ignored++;
      continue;
    }
    items.push({ file: f, name: path, source: fromFolder ? { kind: 'folder', path } : { kind: 'file' } });
  }
  return { items, ignored };
}

async function readEntry(entry: FileSystemEntry, prefix: string, out: File[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    out.push(new File([file], prefix + file.name, { type: file.type, lastModified: file.lastModified }));
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
      if (!batch.length) break;
      for (const e of batch) await readEntry(e, `${prefix}${entry.name}/`, out);
    }
  }
}

/** Dropped items, walking into dropped folders. */
export async function itemsFromDrop(dt: DataTransfer): Promise<{ items: BatchItem[]; ignored: number }> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => !!e);
  const hasDir = entries.some((e) => e.isDirectory);
  if (!hasDir) return itemsFromFiles(dt.files, false);
  const files: File[] = [];
  for (const e of entries) await readEntry(e, '', files);
  return itemsFromFiles(files, true);
}

export function download(name: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function formatMs(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1073741824) return `${(n / 1048576).toFixed(1)} MB`;
  return `${(n / 1073741824).toFixed(2)} GB`;
}

/** Every file below a File System Access directory handle, named by its path inside the folder. */
export async function filesFromDirectory(dir: FileSystemDirectoryHandle, prefix = `${dir.name}/`): Promise<File[]> {
  const out: File[] = [];
  for await (const entry of dir.values()) {
    if (entry.kind === 'file') {
      const f = await (entry as FileSystemFileHandle).getFile();
      out.push(new File([f], prefix + f.name, { type: f.type, lastModified: f.lastModified }));
    } else out.push(...(await filesFromDirectory(entry as FileSystemDirectoryHandle, `${prefix}${entry.name}/`)));
  }
  return out;
}

/** The native folder picker where the browser has one (Chromium); null means: use <input webkitdirectory>. */
export async function pickDirectory(): Promise<FileSystemDirectoryHandle | null> {
  const w = window as unknown as { showDirectoryPicker?: (o?: { mode: 'read' }) => Promise<FileSystemDirectoryHandle> };
  if (!w.showDirectoryPicker) return null;
  return w.showDirectoryPicker({ mode: 'read' });
}
