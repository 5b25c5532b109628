/**
 * OWASP CSV injection: a spreadsheet runs a cell that begins with one of these as a formula. Every
 * export (leads, chats, reports) passes its text cells through `escapeSpreadsheetCell`.
 */
export const FORMULA_TRIGGERS = ['=', '+', '-', '@', '\t', '\r'] as const;

const triggers = new Set<string>(FORMULA_TRIGGERS);

/** Prefixes a single quote to text that a spreadsheet would read as a formula; other text is unchanged. */
export function escapeSpreadsheetCell(value: string): string {
  return value.length > 0 && triggers.has(value[0]) ? `'${value}` : value;
}

/**
 * The same rule in SQL, for exports that let Postgres write the file (COPY … TO STDOUT): wraps a text
 * expression. Kept beside the TypeScript rule; a spec proves both agree.
 */
export function escapeSpreadsheetCellSql(expression: string): string {
  // ascii() reads only the first character's code point: = + - @ tab CR.
  return `(CASE WHEN ascii(${expression}) IN (61, 43, 45, 64, 9, 13) THEN '''' || ${expression} ELSE ${expression} END)`;
}

/** One CSV record (RFC 4180): a cell is quoted when it holds a comma, a quote or a line break. */
export function csvRecord(cells: ReadonlyArray<string | null>, eol = '\r\n'): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (i > 0) line += ',';
    if (cell === null || cell === '') continue;
    line += /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
  }
  return line + eol;
}

/** UTF-8 byte order mark: Excel reads a CSV as UTF-8 (accents) only when it starts with one. */
export const UTF8_BOM = '\uFEFF';
