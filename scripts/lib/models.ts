// The model fetch step: copy from a local mirror or download, with a progress bar, then verify sha256.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ModelEntry, ModelManifest } from '../../src/shared/manifest.ts';

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(file), h);
  return h.digest('hex');
}

export type FetchStatus = 'cached' | 'copied' | 'downloaded' | 'built' | 'skipped' | 'failed';
export interface FetchReport {
  id: string;
  file: string;
  status: FetchStatus;
  message: string;
}

export interface FetchOptions {
  manifest: ModelManifest;
  dir: string;
  mirror?: string;
  /** Ids to fetch; default: every non-optional model. */
  only?: string[];
  all?: boolean;
  fetchImpl?: typeof fetch;
  /** Builds a model that has `derive` in the manifest from its source file (already fetched and verified). */
  derive?: (e: ModelEntry, sourceFile: string, source: ModelEntry) => Promise<Uint8Array>;
  log?: (line: string) => void;
  progress?: (file: string, done: number, total: number) => void;
}

async function isValid(file: string, e: ModelEntry): Promise<boolean> {
  const st = await fs.stat(file).catch(() => null);
  return !!st && st.size === e.size && (await sha256File(file)) === e.sha256;
}

/** Streams `source` into `dest` through a counter, then checks size and sha256 before the atomic rename. */
async function writeVerified(source: Readable, dest: string, e: ModelEntry, progress?: FetchOptions['progress']): Promise<void> {
  const part = `${dest}.part`;
  let done = 0;
  source.on('data', (c: Buffer) => {
    done += c.length;
    progress?.(e.file, done, e.size);
  });
  try {
    await pipeline(source, createWriteStream(part)).catch((err: Error) => {
      throw new Error(`${e.file}: transfer failed (${err.message})`);
    });
    const size = (await fs.stat(part)).size;
    if (size !== e.size) throw new Error(`${e.file}: got ${size} bytes, the manifest says ${e.size}`);
    const sha = await sha256File(part);
    if (sha !== e.sha256) throw new Error(`${e.file}: sha256 ${sha} does not match the manifest's ${e.sha256} (corrupt or wrong file)`);
    await fs.rename(part, dest);
  } finally {
    await fs.rm(part, { force: true });
  }
}

export async function fetchModels(o: FetchOptions): Promise<FetchReport[]> {
  await fs.mkdir(o.dir, { recursive: true });
  const reports: FetchReport[] = [];
  const picked = o.manifest.models.filter((m) => (o.only?.length ? o.only.includes(m.id) : o.all || !m.optional));
  // A derived model needs its source first: add it (in manifest order) when it was not asked for.
  const want = o.manifest.models.filter((m) => picked.includes(m) || picked.some((p) => p.derive?.from === m.id));
  for (const id of o.only ?? [])
    if (!o.manifest.models.some((m) => m.id === id)) reports.push({ id, file: '', status: 'failed', message: `unknown model id '${id}'` });
  for (const e of want) {
    const dest = path.join(o.dir, e.file);
    const report = (status: FetchStatus, message: string) => {
      reports.push({ id: e.id, file: e.file, status, message });
      o.log?.(`${status.padEnd(10)} ${e.file}: ${message}`);
    };
    try {
      if (await isValid(dest, e)) {
        report('cached', 'present, sha256 verified');
        continue;
      }
      const mirrored = o.mirror ? path.join(o.mirror, e.file) : null;
      if (mirrored && existsSync(mirrored)) {
        await writeVerified(createReadStream(mirrored), dest, e, o.progress);
        report('copied', `from mirror ${o.mirror}, sha256 verified`);
      } else if (e.url) {
        const res = await (o.fetchImpl ?? fetch)(e.url).catch((err: Error) => {
          throw new Error(`${e.file}: download from ${e.url} failed (${err.message})`);
        });
        if (!res.ok || !res.body) throw new Error(`${e.file}: download failed (HTTP ${res.status}) from ${e.url}`);
        await writeVerified(Readable.fromWeb(res.body as never), dest, e, o.progress);
        report('downloaded', `from ${e.url}, sha256 verified`);
      } else if (e.derive && o.derive) {
        const source = o.manifest.models.find((m) => m.id === e.derive!.from)!;
        const sourceFile = path.join(o.dir, source.file);
        if (!(await isValid(sourceFile, source))) throw new Error(`${e.file}: is built from ${source.file}, which is missing or does not match the manifest`);
        const built = await o.derive(e, sourceFile, source);
        await writeVerified(Readable.from([Buffer.from(built.buffer, built.byteOffset, built.byteLength)]), dest, e, o.progress);
        report('built', `from ${source.file} with ${e.derive.recipe}, sha256 verified`);
      } else {
        throw new Error(`${e.file}: not in the mirror and there is no public download URL (converted weights); set MODELS_MIRROR to a folder that has it`);
      }
    } catch (err) {
      report(e.optional && !o.only?.includes(e.id) ? 'skipped' : 'failed', (err as Error).message);
    }
  }
  return reports;
}
