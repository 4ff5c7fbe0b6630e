// The embedded database must have one writer: a pid file in DATA_DIR keeps a second server off it.
// A pid file left by a killed server (SIGKILL, power loss) is taken over when that pid is gone.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Returns a function that releases the lock. Throws when another live process holds it. */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'server.pid');
  try {
    writeFileSync(file, String(process.pid), { flag: 'wx' });
  } catch {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (pid && pid !== process.pid && alive(pid))
      throw new Error(`${dir} is in use by process ${pid}: one server per DATA_DIR (use DATABASE_URL to run several)`);
    writeFileSync(file, String(process.pid));
  }
  return () => rmSync(file, { force: true });
}
