// Service worker registration and the update handshake, through workbox-window.
// The first installation takes control at once (clientsClaim in src/sw.ts). A later version installs in
// the background and waits; the page shows "Update available — Reload", and only when the person reloads
// (and no batch is mid-file) does it ask the waiting worker to take over, then reloads into the new version.
import { Workbox } from 'workbox-window';

export interface SwEvents {
  /** The app shell is cached and a service worker is active: the app opens without a network. */
  ready(): void;
  /** A new version is installed and waiting for the page to let it take over. */
  updateWaiting(): void;
  /** A different service worker took control of this page (after our SKIP_WAITING, or another tab's). */
  controllerChanged(requestedHere: boolean): void;
  failed(message: string): void;
}

export interface SwHandle {
  /** Asks the browser to look for a new sw.js now; resolves when the check is done. */
  checkForUpdate(): Promise<void>;
  /** Lets the waiting version take over; `controllerChanged(true)` follows. */
  activateWaiting(): void;
  registration(): Promise<ServiceWorkerRegistration | undefined>;
}

export const swSupported = (): boolean => typeof navigator !== 'undefined' && 'serviceWorker' in navigator && window.isSecureContext;

export function registerServiceWorker(on: SwEvents, url = '/sw.js'): SwHandle | null {
  if (!swSupported()) return null;
  const wb = new Workbox(url, { scope: '/' });
  let requested = false;
  let ready = false;
  const markReady = () => {
    if (!ready) {
      ready = true;
      on.ready();
    }
  };
  wb.addEventListener('waiting', () => on.updateWaiting());
  wb.addEventListener('activated', (e) => {
    if (!e.isUpdate) markReady();
  });
  wb.addEventListener('controlling', (e) => {
    if (e.isUpdate || requested) on.controllerChanged(requested);
  });
  const registered = wb.register({ immediate: true }).then(
    (reg) => {
      if (reg?.active && navigator.serviceWorker.controller) markReady();
      return reg;
    },
    (e: unknown) => {
      on.failed((e as Error)?.message ?? String(e));
      return undefined;
    },
  );
  return {
    checkForUpdate: async () => {
      await registered;
      await wb.update();
    },
    activateWaiting: () => {
      requested = true;
      wb.messageSkipWaiting();
    },
    registration: () => registered,
  };
}
