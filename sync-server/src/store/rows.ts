// Row helpers: both drivers return timestamptz as Date; the API speaks ISO strings.

export const iso = (v: unknown): string | null => (v == null ? null : v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString());
