// Storage care: persistence (so the browser does not evict models and the library under pressure),
// usage/quota, and a message a person can act on when the quota is full.

export interface StorageInfo {
  usage: number;
  quota: number;
  persisted: boolean;
}

export async function storageInfo(): Promise<StorageInfo | null> {
  const s = navigator.storage;
  if (!s?.estimate) return null;
  const est = await s.estimate();
  const persisted = (await s.persisted?.()) ?? false;
  return { usage: est.usage ?? 0, quota: est.quota ?? 0, persisted };
}

export type PersistResult = 'granted' | 'denied' | 'unsupported';

/** Asks the browser to keep this site's data (it decides; Chromium grants it to installed or engaged sites). */
export async function requestPersistence(): Promise<PersistResult> {
  const s = navigator.storage;
  if (!s?.persist) return 'unsupported';
  if (await s.persisted?.()) return 'granted';
  return (await s.persist()) ? 'granted' : 'denied';
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1073741824) return `${(n / 1048576).toFixed(1)} MB`;
  return `${(n / 1073741824).toFixed(2)} GB`;
}

export function quotaMessage(what: string, needed: number | null, info: StorageInfo | null): string {
  const room = info ? ` (${formatBytes(info.usage)} of ${formatBytes(info.quota)} used${needed ? `, ${formatBytes(needed)} needed` : ''})` : '';
  return `Not enough storage to keep ${what}: the browser's storage quota for this site is full${room}. Nothing partial was kept. Remove offline models you do not need, or free disk space, then try again.`;
}
