import { csvRecord, escapeSpreadsheetCell, UTF8_BOM } from '@crescendo/platform';

const HEADER = ['field', 'current', 'previous', 'change', 'changePercent', 'note'];

type Cell = string | number | boolean | null;
type Row = [string, Cell, Cell, Cell, Cell, Cell];

const isMetric = (value: Record<string, unknown>) =>
  'current' in value && 'previous' in value && 'changePercent' in value;

/** What names an array element in a field path: its key, id, date, stage, status or name. */
const labelOf = (value: unknown, index: number): string => {
  if (value && typeof value === 'object') {
    const v = value as Record<string, unknown>;
    for (const key of ['key', 'id', 'date', 'stage', 'status', 'currency', 'source', 'name']) {
      if (key in v) return String(v[key] ?? 'none');
    }
  }
  return String(index);
};

/** Flattens a stats answer into rows: one per figure, metrics with their previous period beside them. */
export function flattenStats(value: unknown, path = '', rows: Row[] = []): Row[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => flattenStats(item, `${path}[${labelOf(item, i)}]`, rows));
  } else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (isMetric(object)) {
      rows.push([
        path,
        object.current as Cell,
        object.previous as Cell,
        object.change as Cell,
        object.changePercent as Cell,
        object.unavailableReason as Cell,
      ]);
    } else {
      for (const [key, child] of Object.entries(object)) flattenStats(child, path ? `${path}.${key}` : key, rows);
    }
  } else {
    rows.push([path, value as Cell, null, null, null, null]);
  }
  return rows;
}

/** Text cells are formula-escaped (they may hold names people typed); numbers go out as they are. */
const cell = (value: Cell): string | null =>
  value === null || value === undefined
    ? null
    : typeof value === 'string'
      ? escapeSpreadsheetCell(value)
      : String(value);

/** A stats answer as a CSV file (UTF-8 with BOM, CRLF). */
export function statsCsv(value: unknown): string {
  let out = UTF8_BOM + csvRecord(HEADER);
  for (const row of flattenStats(value)) out += csvRecord(row.map(cell));
  return out;
}
