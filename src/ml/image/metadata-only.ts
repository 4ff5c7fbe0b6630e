// Files whose format we recognise but the browser cannot decode (HEIC/HEIF, TIFF) are kept as metadata-only
// records when their metadata is readable: EXIF, size from EXIF, no pixels, no model results. A file with
// such a signature whose metadata cannot be read either stays an error. Pure: the image worker calls it.
import type { ExifSummary } from '../../shared/metadata';
import { SightlineError } from '../../shared/types';
import type { UndecodableFormatError } from './sniff';

export interface MetadataOnly {
  format: UndecodableFormatError['format'];
  /** Size after EXIF orientation, from the metadata; 0 when it does not say. */
  width: number;
  height: number;
  /** Shown with the image and reported for the batch. */
  note: string;
}

export const FORMAT_NAMES: Record<UndecodableFormatError['format'], string> = { heic: 'HEIC', tiff: 'TIFF' };

const dim = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v > 0 && v <= 1_000_000 ? v : 0);

/** The metadata-only record for an undecodable file, or the error to report when its metadata is unreadable. */
export function metadataOnly(e: UndecodableFormatError, exif: ExifSummary | null): MetadataOnly {
  const name = FORMAT_NAMES[e.format];
  // exifr reports a damaged block as an `errors` entry (or throws, which readExif turns into a warning).
  const damage =
    exif?.warning ??
    (Array.isArray(exif?.raw.errors)
      ? String(exif.raw.errors[0])
          .replace(/^Error: /, '')
          .split('\n')[0]
      : undefined);
  const fields = exif ? Object.keys(exif.raw).filter((k) => k !== 'errors') : [];
  if (!fields.length) {
    if (damage)
      throw new SightlineError('corrupt-header', `${name} file is damaged: no metadata could be read (${damage}) and this browser cannot decode its pixels`);
    throw new SightlineError('unsupported-format', `${e.message}; the file has no readable metadata to keep either`);
  }
  let width = dim(exif!.exifWidth ?? exif!.raw.ImageWidth);
  let height = dim(exif!.exifHeight ?? exif!.raw.ImageHeight);
  if (!width || !height) width = height = 0;
  // Orientations 5–8 turn the picture by 90°: the shown size is the recorded one swapped.
  if ((exif!.orientation ?? 1) >= 5) [width, height] = [height, width];
  return { format: e.format, width, height, note: `This browser cannot decode ${name}; metadata only — convert to JPEG to analyse it.` };
}
