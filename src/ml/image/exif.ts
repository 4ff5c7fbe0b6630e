// EXIF/TIFF/GPS metadata with exifr, normalised to the fields the app shows, plus every field exifr
// returns in a JSON-safe, readable form. Metadata is best effort: a broken block is reported, never fatal.
import exifr from 'exifr';
import type { ExifSummary } from '../../shared/metadata';

export type { ExifSummary };

const OPTIONS = {
  tiff: true,
  exif: true,
  gps: true,
  interop: false,
  xmp: true,
  icc: false,
  iptc: true,
  makerNote: false,
  userComment: false,
  reviveValues: false,
  translateValues: false,
  mergeOutput: true,
} as const;

function readable(v: unknown): string | number | boolean | (string | number)[] | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v.replace(/\0+$/, '').trim();
  if (typeof v === 'number' || typeof v === 'boolean') return Number.isFinite(v as number) || typeof v === 'boolean' ? v : undefined;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  const arr = ArrayBuffer.isView(v)
    ? Array.from(v as unknown as ArrayLike<number>)
    : Array.isArray(v)
      ? v
      : typeof v === 'object'
        ? Object.values(v as object)
        : null;
  if (!arr) return undefined;
  const flat = arr.map((x) => (typeof x === 'number' || typeof x === 'string' ? x : String(x)));
  // ASCII versions like ExifVersion [48, 50, 50, 48] read better as '0220'.
  if (flat.length <= 8 && flat.every((x) => typeof x === 'number' && x >= 48 && x <= 57)) return String.fromCharCode(...(flat as number[]));
  return flat.slice(0, 64);
}

const str = (v: unknown) => (typeof v === 'string' && v.replace(/\0+$/, '').trim() ? v.replace(/\0+$/, '').trim() : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** 'YYYY:MM:DD HH:mm:ss' (+ '+02:00') → ISO-like text without inventing a time zone. */
export function exifDate(v: unknown, offset?: unknown): string | undefined {
  const m = typeof v === 'string' ? /^(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(v) : null;
  if (!m || m[1] === '0000') return undefined;
  const off = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : '';
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${off}`;
}

export async function readExif(bytes: Uint8Array): Promise<ExifSummary | null> {
  let o: Record<string, unknown> | undefined;
  try {
    o = await exifr.parse(bytes, OPTIONS);
  } catch (e) {
    return { raw: {}, warning: `metadata could not be read (${(e as Error).message})` };
  }
  if (!o) return null;
  const raw: ExifSummary['raw'] = {};
  for (const [k, v] of Object.entries(o)) {
    const r = readable(v);
    if (r !== undefined && r !== '') raw[k] = r;
  }
  const lat = num(o.latitude);
  const lon = num(o.longitude);
  const s: ExifSummary = {
    make: str(o.Make),
    model: str(o.Model),
    lens: str(o.LensModel) ?? str(o.Lens),
    dateTaken: exifDate(o.DateTimeOriginal ?? o.CreateDate ?? o['create-date'], o.OffsetTimeOriginal ?? o.OffsetTime),
    exposureTime: num(o.ExposureTime),
    fNumber: num(o.FNumber),
    iso: num(o.ISO) ?? (Array.isArray(o.ISO) ? num(o.ISO[0]) : undefined),
    focalLength: num(o.FocalLength),
    focalLength35: num(o.FocalLengthIn35mmFormat),
    gps:
      lat !== undefined && lon !== undefined && Math.abs(lat) <= 90 && Math.abs(lon) <= 180
        ? { latitude: lat, longitude: lon, altitude: num(o.GPSAltitude) }
        : undefined,
    orientation: num(o.Orientation),
    artist: str(o.Artist),
    copyright: str(o.Copyright),
    software: str(o.Software),
    exifWidth: num(o.ExifImageWidth),
    exifHeight: num(o.ExifImageHeight),
    raw,
  };
  for (const k of Object.keys(s) as (keyof ExifSummary)[]) if (s[k] === undefined) delete s[k];
  return s;
}

/** '1/250 s', 'f/2.8', … for the detail view. */
export function formatExposure(t: number | undefined): string | undefined {
  if (t === undefined) return undefined;
  return t >= 1 ? `${t} s` : `1/${Math.round(1 / t)} s`;
}
