// Input files for the UI runs: distinct copies of real photos, and small synthetic BMPs written by hand.
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const IMAGENET_DIR = '/work/shared/data/imagenet';
export const COCO_DIRS = ['/work/shared/data/coco/images/train2017', '/work/shared/data/coco/extra_no_gt'];

/** The JPEGs in `dirs` (sorted per directory), checked for the JPEG start marker. */
export async function listJpegs(dirs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const dir of dirs) {
    const names = (await readdir(dir)).filter((n) => /\.jpe?g$/i.test(n)).sort();
    if (!names.length) throw new Error(`no JPEGs in ${dir}`);
    out.push(...names.map((n) => path.join(dir, n)));
  }
  return out;
}

/**
 * `count` files cycling through `sources` (JPEGs), each made distinct (the app skips content it already stored) by
 * appending a few bytes after the JPEG end marker, which decoders ignore. Written to a new temp dir.
 */
export async function distinctJpegCopies(sources: string[], count: number, tag: string): Promise<{ dir: string; files: string[] }> {
  const bytes = await Promise.all(sources.map((f) => readFile(f)));
  bytes.forEach((b, i) => {
    if (b[0] !== 0xff || b[1] !== 0xd8) throw new Error(`${sources[i]} is not a JPEG`);
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), `sightline-bench-${tag}-`));
  const nonce = `${process.pid}-${Date.now()}`;
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const s = i % sources.length;
    const copy = Math.floor(i / sources.length);
    const file = path.join(dir, `c${copy}-${path.basename(sources[s])}`);
    await writeFile(file, Buffer.concat([bytes[s], Buffer.from(`\nsightline-bench ${nonce} copy ${copy}\n`)]));
    files.push(file);
  }
  return { dir, files };
}

/**
 * A `size`×`size` 24-bit BMP (BITMAPINFOHEADER, bottom-up rows) whose pixels depend on `seed`: a colour gradient
 * plus a seeded xorshift noise, so every seed gives different pixel content (and different bytes).
 */
export function bmp(seed: number, size = 64): Buffer {
  const rowBytes = Math.ceil((size * 3) / 4) * 4;
  const dataBytes = rowBytes * size;
  const b = Buffer.alloc(54 + dataBytes);
  b.write('BM', 0, 'ascii');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(54, 10); // pixel data offset
  b.writeUInt32LE(40, 14); // BITMAPINFOHEADER
  b.writeInt32LE(size, 18);
  b.writeInt32LE(size, 22); // positive height: bottom-up
  b.writeUInt16LE(1, 26); // planes
  b.writeUInt16LE(24, 28); // bits per pixel
  b.writeUInt32LE(0, 30); // BI_RGB
  b.writeUInt32LE(dataBytes, 34);
  b.writeInt32LE(2835, 38); // 72 dpi
  b.writeInt32LE(2835, 42);
  let x = (seed + 1) * 2654435761;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 24;
  };
  const hue = (seed * 37) % 256;
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const o = 54 + row * rowBytes + col * 3;
      b[o] = (col * 4 + hue) & 255; // B
      b[o + 1] = (row * 4 + seed) & 255; // G
      b[o + 2] = next(); // R
    }
  }
  return b;
}

/** `count` distinct BMPs in a new temp dir. */
export async function makeBmps(count: number, size = 64): Promise<{ dir: string; files: string[] }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sightline-bench-bmp-'));
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = path.join(dir, `synthetic-${String(i).padStart(4, '0')}.bmp`);
    await writeFile(file, bmp(i, size));
    files.push(file);
  }
  return { dir, files };
}
