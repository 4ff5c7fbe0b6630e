// Static file serving for the built app and the model store, with the headers WASM threads need
// (cross-origin isolation) and no SPA fallback for asset requests: a missing .wasm/.onnx is a 404,
// never index.html parsed as a binary.
import { createReadStream, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.onnx': 'application/octet-stream',
  '.bin': 'application/octet-stream',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** Extensions that are never answered with the SPA's index.html. */
const ASSET_EXT = /\.(wasm|onnx|bin|json|mjs|js|css|csv|png|jpe?g|webp|svg|ico|txt|map|webmanifest)$/i;

export interface Mount {
  /** URL prefix, with leading and trailing slash. */
  prefix: string;
  dir: string;
}

export interface StaticOptions {
  mounts: Mount[];
  /** Served for navigations that match no file (client-side routes). */
  spaIndex?: string;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...ISOLATION_HEADERS, ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

async function fileAt(dir: string, rel: string): Promise<{ file: string; size: number; mtime: Date } | null> {
  const file = path.resolve(dir, '.' + rel);
  if (file !== dir && !file.startsWith(dir + path.sep)) return null; // path traversal
  try {
    const st = await fs.stat(file);
    return st.isFile() ? { file, size: st.size, mtime: st.mtime } : null;
  } catch {
    return null;
  }
}

/** Returns false when nothing matched and `spaIndex` is unset, so a caller (e.g. Vite) can go on. */
export async function serveStatic(req: IncomingMessage, res: ServerResponse, opts: StaticOptions): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    send(res, 400, 'Bad request: malformed URL');
    return true;
  }
  if (pathname.includes('\0')) {
    send(res, 400, 'Bad request');
    return true;
  }
  for (const m of opts.mounts) {
    if (!pathname.startsWith(m.prefix)) continue;
    const rel = '/' + pathname.slice(m.prefix.length);
    const hit = await fileAt(path.resolve(m.dir), rel.endsWith('/') ? rel + 'index.html' : rel);
    if (hit) {
      const etag = `"${hit.size.toString(16)}-${hit.mtime.getTime().toString(16)}"`;
      const immutable = /\/assets\/.+-[\w-]{8,}\.\w+$/.test(pathname);
      const headers = {
        ...ISOLATION_HEADERS,
        ...SECURITY_HEADERS,
        'Content-Type': MIME[path.extname(hit.file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': String(hit.size),
        ETag: etag,
        'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      };
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, headers);
        res.end();
        return true;
      }
      res.writeHead(200, headers);
      if (req.method === 'HEAD') res.end();
      // A file that vanished or became unreadable after stat() ends this response, not the server.
      else pipeline(createReadStream(hit.file), res).catch(() => res.destroy());
      return true;
    }
  }
  if (ASSET_EXT.test(pathname)) {
    send(res, 404, `Not found: ${pathname}`);
    return true;
  }
  if (!opts.spaIndex) return false;
  const html = await fs.readFile(opts.spaIndex, 'utf8');
  send(res, 200, html, MIME['.html']);
  return true;
}
