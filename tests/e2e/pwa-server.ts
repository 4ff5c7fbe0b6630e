// A private server for the offline/update tests: the built app and the model store on one origin with
// COOP/COEP (sync-server/src/static.ts), a root that can be switched to a second build (same origin, so
// the browser sees an update), a "network down" switch, and a log of every request that reached it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { serveStatic } from '../../sync-server/src/static.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** The build under test: `dist/` unless PWA_DIST names another (e.g. a build made for one run). */
export const DIST = path.resolve(ROOT, process.env.PWA_DIST ?? 'dist');

export class PwaServer {
  root: string;
  /** While true every connection is dropped unanswered: to the browser the network is gone. */
  down = false;
  readonly requests: string[] = [];
  private server: Server;

  private constructor(root: string) {
    this.root = root;
    this.server = createServer((req, res) => {
      if (this.down) {
        req.socket.destroy();
        return;
      }
      this.requests.push(req.url ?? '');
      serveStatic(req, res, {
        mounts: [
          { prefix: '/models/', dir: path.join(ROOT, 'models') },
          { prefix: '/', dir: this.root },
        ],
        spaIndex: path.join(this.root, 'index.html'),
      }).catch(() => res.destroy());
    });
    // Keep-alive sockets would outlive "down": close them between requests.
    this.server.keepAliveTimeout = 1;
  }

  static async start(root = DIST): Promise<PwaServer> {
    const s = new PwaServer(root);
    await new Promise<void>((resolve) => s.server.listen(0, '127.0.0.1', resolve));
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
