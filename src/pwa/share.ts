// Images opened with the installed app: the Web Share Target (the service worker keeps the posted files in
// SHARE_CACHE and redirects to /?share-target=<id>) and File Handling (`launchQueue`, desktop Chromium).
import { SHARE_CACHE, SHARE_TARGET_PATH } from './sw-shared';

export const SHARE_PARAM = 'share-target';

/** Takes (and forgets) the files the service worker received for this share. */
export async function takeSharedFiles(id: string): Promise<File[]> {
  if (typeof caches === 'undefined') return [];
  const cache = await caches.open(SHARE_CACHE);
  const prefix = `${SHARE_TARGET_PATH}/${id}/`;
  const reqs = (await cache.keys()).filter((r) => new URL(r.url).pathname.startsWith(prefix));
  reqs.sort((a, b) => Number(a.url.split('/').pop()) - Number(b.url.split('/').pop()));
  const files: File[] = [];
  for (const req of reqs) {
    const res = await cache.match(req);
    if (!res) continue;
    const name = decodeURIComponent(res.headers.get('X-File-Name') ?? 'shared');
    files.push(new File([await res.blob()], name, { type: res.headers.get('Content-Type') ?? '' }));
    await cache.delete(req);
  }
  return files;
}

interface LaunchParams {
  files: FileSystemFileHandle[];
}
interface LaunchQueue {
  setConsumer(cb: (p: LaunchParams) => void): void;
}

/**
 * Calls `take` with the files the OS opened the installed app with (File Handling API), where supported. A file
 * that cannot be read any more (moved, permission gone) is left out and logged; the others still open.
 */
export function onLaunchFiles(take: (files: File[]) => void): void {
  const q = (window as unknown as { launchQueue?: LaunchQueue }).launchQueue;
  q?.setConsumer((p) => {
    if (!p.files?.length) return;
    Promise.allSettled(p.files.map((h) => h.getFile()))
      .then((rs) => {
        rs.forEach((r, i) => r.status === 'rejected' && console.warn(`could not open ${p.files[i].name}:`, r.reason));
        take(rs.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : [])));
      })
      .catch((e: unknown) => console.error('opening the launched files failed', e));
  });
}
