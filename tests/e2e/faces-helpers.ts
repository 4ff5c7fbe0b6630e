// Shared data for the face tests: gallery folders and fake-camera y4m files (enrolment: the People page object).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import { DATA } from './helpers.ts';

export const FACES = path.join(DATA, 'faces');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'sightline-faces-'));

/** A gallery folder with one subfolder per person, holding the given photos. */
export function gallery(name: string, photos: Record<string, string[]>): string {
  const dir = path.join(tmp, name);
  for (const [person, files] of Object.entries(photos)) {
    mkdirSync(path.join(dir, person), { recursive: true });
    for (const f of files) copyFileSync(path.join(FACES, f), path.join(dir, person, path.basename(f)));
  }
  return dir;
}

/** Two seconds of a still photo as a 640×480 y4m (the fake camera loops it). */
export function y4m(photo: string): string {
  const out = path.join(tmp, path.basename(photo).replace(/\.\w+$/, '.y4m'));
  const vf = 'scale=640:480:force_original_aspect_ratio=decrease,pad=640:480:(ow-iw)/2:(oh-ih)/2,format=yuv420p';
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-loop', '1', '-i', path.join(FACES, photo), '-t', '2', '-r', '10', '-vf', vf, '-f', 'yuv4mpegpipe', out]);
  return out;
}

export const ENROL = { vlado: ['vlado/person-vlado.jpg'], penny: ['penny/penny1.png'], sheldon: ['sheldon/sheldon1.png'] };

/** Launch options for a Chromium whose fake camera (permission granted) plays `photo`. */
export function fakeCamera(photo: string) {
  return {
    executablePath: CHROMIUM_PATH,
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${y4m(photo)}`],
  };
}
