// The analytics worker's flat rows and their compact persisted form. A row is the image's AnalyticsRecord plus
// what keeping it up to date and recommending need; the snapshot stores every repeated string once (one long string and
// its offsets) and the rest as typed arrays, so IndexedDB reads it back as a few buffers instead of 100,000
// objects (structured clone of typed arrays is a copy; of objects, a walk).
import type { AnalyticsRecord } from './aggregate';
import type { ImportedBy } from './types';

export interface FlatRow extends AnalyticsRecord {
  /** Result rows stored for the image (every stage and model): totals that stop adding up mean rows went away. */
  nr: number;
  /** Set when `creator` reads "imported by <profile name>": whose name, so a profile rename re-labels it. */
  importer: ImportedBy | null;
  name: string;
  metadataOnly: boolean;
  /** The newest classification's label names, most probable first (recommendations, similar images). */
  labels: string[];
}

/** One shape for every row (the charts loop over 100,000 of them). */
export function flatRow(r: AnalyticsRecord, nr: number, importer: ImportedBy | null, name: string, metadataOnly: boolean, labels: string[]): FlatRow {
  return {
    id: r.id,
    addedAt: r.addedAt,
    month: r.month,
    tag: r.tag,
    label: r.label,
    objects: r.objects,
    people: r.people,
    camera: r.camera,
    lens: r.lens,
    creator: r.creator,
    source: r.source,
    megapixels: r.megapixels,
    colour: r.colour,
    nr,
    importer,
    name,
    metadataOnly,
    labels,
  };
}

export interface EncodedRows {
  n: number;
  /** Strings that repeat (months, tags, labels, cameras, …), concatenated: string i is dict.slice(dictOffsets[i], dictOffsets[i + 1]). */
  dict: string;
  dictOffsets: Uint32Array;
  /** Strings of their own per row (id, file name), concatenated with their offsets (n + 1 each). */
  ids: string;
  idOffsets: Uint32Array;
  names: string;
  nameOffsets: Uint32Array;
  /** Per row, dictionary indices: month, tag, label, camera, lens, creator, source, importer id, importer name (NONE: no importer). */
  refs: Uint32Array;
  /** Per row: addedAt, megapixels. */
  numbers: Float64Array;
  /** Per row: colour hue bin, lightness bin (−1: none). */
  colours: Int8Array;
  /** Per row: nr, flags (1: metadata only). */
  counts: Uint32Array;
  /** Per row, three lists (objects, people, labels): list j spans listValues[listOffsets[j] … listOffsets[j + 1]). */
  listOffsets: Uint32Array;
  listValues: Uint32Array;
}

const REFS = 9;
const NONE = 0xffffffff;

function joined(values: string[]): { text: string; offsets: Uint32Array } {
  const offsets = new Uint32Array(values.length + 1);
  let at = 0;
  for (let i = 0; i < values.length; i++) offsets[i + 1] = at += values[i].length;
  return { text: values.join(''), offsets };
}

function split(text: string, offsets: Uint32Array): string[] {
  const out = new Array<string>(offsets.length - 1);
  for (let i = 0; i < out.length; i++) out[i] = text.slice(offsets[i], offsets[i + 1]);
  return out;
}

export function encodeRows(rows: readonly FlatRow[]): EncodedRows {
  const index = new Map<string, number>();
  const list: string[] = [];
  const ref = (s: string): number => {
    let i = index.get(s);
    if (i === undefined) {
      i = list.length;
      index.set(s, i);
      list.push(s);
    }
    return i;
  };
  const n = rows.length;
  const refs = new Uint32Array(n * REFS);
  const numbers = new Float64Array(n * 2);
  const colours = new Int8Array(n * 2);
  const counts = new Uint32Array(n * 2);
  const listOffsets = new Uint32Array(n * 3 + 1);
  let listValues = new Uint32Array(Math.max(16, n * 24));
  let at = 0;
  const push = (l: readonly string[]) => {
    if (at + l.length > listValues.length) {
      const bigger = new Uint32Array(Math.max(listValues.length * 2, at + l.length));
      bigger.set(listValues);
      listValues = bigger;
    }
    for (let k = 0; k < l.length; k++) listValues[at++] = ref(l[k]);
  };
  const ids = new Array<string>(n);
  const names = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const o = i * REFS;
    ids[i] = r.id;
    names[i] = r.name;
    refs[o] = ref(r.month);
    refs[o + 1] = ref(r.tag);
    refs[o + 2] = ref(r.label);
    refs[o + 3] = ref(r.camera);
    refs[o + 4] = ref(r.lens);
    refs[o + 5] = ref(r.creator);
    refs[o + 6] = ref(r.source);
    refs[o + 7] = r.importer ? ref(r.importer.profileId) : NONE;
    refs[o + 8] = r.importer ? ref(r.importer.name) : NONE;
    numbers[i * 2] = r.addedAt;
    numbers[i * 2 + 1] = r.megapixels;
    colours[i * 2] = r.colour ? r.colour[0] : -1;
    colours[i * 2 + 1] = r.colour ? r.colour[1] : -1;
    counts[i * 2] = r.nr;
    counts[i * 2 + 1] = r.metadataOnly ? 1 : 0;
    push(r.objects);
    listOffsets[i * 3 + 1] = at;
    push(r.people);
    listOffsets[i * 3 + 2] = at;
    push(r.labels);
    listOffsets[i * 3 + 3] = at;
  }
  const d = joined(list);
  const id = joined(ids);
  const nm = joined(names);
  return {
    n,
    dict: d.text,
    dictOffsets: d.offsets,
    ids: id.text,
    idOffsets: id.offsets,
    names: nm.text,
    nameOffsets: nm.offsets,
    refs,
    numbers,
    colours,
    counts,
    listOffsets,
    listValues: listValues.slice(0, at),
  };
}

export function decodeRows(e: EncodedRows): FlatRow[] {
  const dict = split(e.dict, e.dictOffsets);
  const ids = split(e.ids, e.idOffsets);
  const names = split(e.names, e.nameOffsets);
  const { refs, numbers, colours, counts, listOffsets, listValues } = e;
  const list = (j: number): string[] => {
    const from = listOffsets[j];
    if (listOffsets[j + 1] === from) return [];
    const out = new Array<string>(listOffsets[j + 1] - from);
    for (let k = 0; k < out.length; k++) out[k] = dict[listValues[from + k]];
    return out;
  };
  const rows = new Array<FlatRow>(e.n);
  for (let i = 0; i < e.n; i++) {
    const o = i * REFS;
    const h = colours[i * 2];
    rows[i] = flatRow(
      {
        id: ids[i],
        addedAt: numbers[i * 2],
        month: dict[refs[o]],
        tag: dict[refs[o + 1]],
        label: dict[refs[o + 2]],
        objects: list(i * 3),
        people: list(i * 3 + 1),
        camera: dict[refs[o + 3]],
        lens: dict[refs[o + 4]],
        creator: dict[refs[o + 5]],
        source: dict[refs[o + 6]],
        megapixels: numbers[i * 2 + 1],
        colour: h < 0 ? null : [h, colours[i * 2 + 1]],
      },
      counts[i * 2],
      refs[o + 7] === NONE ? null : { profileId: dict[refs[o + 7]], name: dict[refs[o + 8]] },
      names[i],
      counts[i * 2 + 1] === 1,
      list(i * 3 + 2),
    );
  }
  return rows;
}

/** FNV-1a of a string, hex: names the flattening code a snapshot was built with. */
export function hashString(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}
