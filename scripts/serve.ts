// Serves the built app (dist/) and the model store (models/) on one origin with COOP/COEP.
import { createServer } from 'node:http';
import path from 'node:path';
import { serveStatic } from '../sync-server/src/static.ts';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

const server = createServer((req, res) => {
  serveStatic(req, res, {
    mounts: [
      { prefix: '/models/', dir: path.join(root, 'models') },
      { prefix: '/', dir: path.join(root, 'dist') },
    ],
    spaIndex: path.join(root, 'dist', 'index.html'),
  }).catch((e: unknown) => {
    console.error('serve error', e);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});

server.listen(port, host, () => console.log(`Sightline is running at http://${host === '0.0.0.0' ? 'localhost' : host}:${port}/`));
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
