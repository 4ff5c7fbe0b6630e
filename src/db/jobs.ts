// Resumable folder batches: the folder's handle and progress survive a reload; files already stored are
// skipped by content hash when the batch resumes, so only the folder needs remembering.
import { db, type JobRow } from './schema';

export type { JobRow };

export async function startJob(dir: FileSystemDirectoryHandle, total: number): Promise<JobRow> {
  const job: JobRow = { id: crypto.randomUUID(), dir, name: dir.name, total, startedAt: Date.now(), state: 'running' };
  await db.jobs.put(job);
  return job;
}

export async function setJobState(id: string, state: JobRow['state']): Promise<void> {
  await db.jobs.update(id, { state });
}

/** The newest folder batch that did not finish (the tab was closed or reloaded while it ran or was paused). */
export async function unfinishedJob(): Promise<JobRow | undefined> {
  const jobs = await db.jobs.orderBy('startedAt').reverse().toArray();
  return jobs.find((j) => j.state === 'running' || j.state === 'paused' || j.state === 'interrupted');
}

export async function forgetJob(id: string): Promise<void> {
  await db.jobs.delete(id);
}
