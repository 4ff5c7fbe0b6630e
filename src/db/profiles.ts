// Local user profiles (several per device) and their likes, hides and views.
import { db, type EventRow, type ProfileRow } from './schema';

export type { ProfileRow };

export const listProfiles = () => db.profiles.orderBy('name').toArray();

export async function createProfile(name: string): Promise<ProfileRow> {
  const p = { id: crypto.randomUUID(), name: name.trim() || 'Profile', createdAt: Date.now() };
  await db.profiles.add(p);
  return p;
}

export const renameProfile = (id: string, name: string) => db.profiles.update(id, { name: name.trim() || 'Profile' });

export async function deleteProfile(id: string): Promise<void> {
  await db.transaction('rw', [db.profiles, db.events], async () => {
    await db.profiles.delete(id);
    await db.events.where('profileId').equals(id).delete();
  });
}

/** Liking un-hides and hiding un-likes: one opinion per image. A view is just recorded. */
export async function recordEvent(profileId: string, imageId: string, kind: EventRow['kind']): Promise<void> {
  await db.transaction('rw', db.events, async () => {
    if (kind !== 'view') {
      const other = kind === 'like' ? 'hide' : 'like';
      await db.events
        .where('[profileId+kind]')
        .equals([profileId, other])
        .filter((e) => e.imageId === imageId)
        .delete();
      if (
        await db.events
          .where('[profileId+kind]')
          .equals([profileId, kind])
          .filter((e) => e.imageId === imageId)
          .count()
      )
        return;
    }
    await db.events.add({ profileId, imageId, kind, at: Date.now() });
  });
}

export async function removeEvent(profileId: string, imageId: string, kind: EventRow['kind']): Promise<void> {
  await db.events
    .where('[profileId+kind]')
    .equals([profileId, kind])
    .filter((e) => e.imageId === imageId)
    .delete();
}

export async function profileSignals(profileId: string): Promise<{ liked: string[]; hidden: string[]; seen: string[] }> {
  const events = await db.events.where('profileId').equals(profileId).toArray();
  const of = (k: EventRow['kind']) => [...new Set(events.filter((e) => e.kind === k).map((e) => e.imageId))];
  return { liked: of('like'), hidden: of('hide'), seen: of('view') };
}
