// Image metadata and facts as stored with each image (computed in the image worker).

export interface ExifSummary {
  make?: string;
  model?: string;
  lens?: string;
  /** As recorded: 'YYYY-MM-DDTHH:mm:ss', with the UTC offset appended when the file has one. */
  dateTaken?: string;
  exposureTime?: number;
  fNumber?: number;
  iso?: number;
  focalLength?: number;
  focalLength35?: number;
  gps?: { latitude: number; longitude: number; altitude?: number };
  orientation?: number;
  artist?: string;
  copyright?: string;
  software?: string;
  /** Pixel size the camera recorded (ExifImageWidth/Height). */
  exifWidth?: number;
  exifHeight?: number;
  /** Everything exifr read, readable (byte arrays as text or number lists). */
  raw: Record<string, string | number | boolean | (string | number)[]>;
  /** Set when the metadata block was damaged; the image itself may still be fine. */
  warning?: string;
}

export interface PaletteColour {
  hex: string;
  /** Share of pixels closest to this colour, 0..1. */
  share: number;
}

export interface ImageFacts {
  channels: number;
  megapixels: number;
  palette: PaletteColour[];
  /** 8 bins per channel (R, G, B), each channel summing to 1. */
  histogram: number[];
  /** 64-bit difference hash as 16 hex digits. */
  dhash: string;
}
