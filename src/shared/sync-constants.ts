// Runtime constants of the team sync protocol. Apart from sync.ts so the app can use them without pulling
// TypeBox (the schemas) into its bundle: the app imports only types from sync.ts.

/** Bumped on any incompatible change to the records or endpoints in sync.ts. */
export const PROTOCOL_VERSION = 1;

/** EXIF fields a member may choose to share. */
export const EXIF_FIELDS = ['camera', 'takenAt', 'gps'] as const;
export type ExifField = (typeof EXIF_FIELDS)[number];
