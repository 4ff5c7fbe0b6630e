import { parseCsvObjects } from './csv';

/** Label names in class-index order from a labels CSV (class_index/yolo_index + name columns). */
export function parseLabels(csv: string, column = 'name', expected?: number): string[] {
  const rows = parseCsvObjects(csv);
  if (!rows.length || !(column in rows[0])) throw new Error(`labels file has no '${column}' column`);
  const names = rows.map((r) => r[column]);
  if (expected !== undefined && names.length !== expected) throw new Error(`labels file has ${names.length} rows, the model needs ${expected}`);
  return names;
}
