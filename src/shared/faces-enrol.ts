// Who a labelled enrolment photo shows, from its path: a folder per person (`penny/penny1.png` → penny) or,
// for loose files, the name before a trailing number (`alice_1.jpg`, `Alice Smith-02.png`, `bob3.jpg` → bob).

const IMAGE = /\.(jpe?g|png|webp|gif|bmp|avif)$/i;

export const isImageName = (path: string): boolean => IMAGE.test(path);

export function personFromPath(relPath: string): string | null {
  const parts = relPath.split(/[\\/]/).filter(Boolean);
  const file = parts.at(-1) ?? '';
  if (!IMAGE.test(file)) return null;
  // Folder per person: the file's parent, unless the file sits directly in the picked folder.
  if (parts.length >= 3) return tidy(parts.at(-2)!);
  const stem = file.replace(IMAGE, '');
  const m = /^(.*?)[\s_-]*\d+$/.exec(stem);
  const name = tidy(m && m[1] ? m[1] : stem);
  return name || null;
}

/** For two-level paths (`picked/penny1.png` vs `penny/penny1.png` picked directly), the caller says which. */
export function personFromFile(relPath: string, folderPerPerson: boolean): string | null {
  const parts = relPath.split(/[\\/]/).filter(Boolean);
  if (folderPerPerson && parts.length >= 2 && IMAGE.test(parts.at(-1)!)) return tidy(parts.at(-2)!);
  return personFromPath(parts.at(-1) ?? '');
}

function tidy(s: string): string {
  return s.replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 80);
}

export interface EnrolFile<F> {
  file: F;
  path: string;
}

/** Groups files by person; files with no usable name are returned apart. */
export function groupByPerson<F>(files: readonly EnrolFile<F>[], folderPerPerson: boolean): { people: Map<string, F[]>; unnamed: EnrolFile<F>[] } {
  const people = new Map<string, F[]>();
  const unnamed: EnrolFile<F>[] = [];
  for (const f of files) {
    const who = personFromFile(f.path, folderPerPerson);
    if (!who) unnamed.push(f);
    else people.set(who, [...(people.get(who) ?? []), f.file]);
  }
  return { people, unnamed };
}
