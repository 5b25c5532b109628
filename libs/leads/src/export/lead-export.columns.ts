/**
 * The columns of a leads export, in file order, each with the SQL that yields it as text (so the cursor
 * export and the rows Postgres writes agree byte for byte, and no JS Date/JSON parsing runs per row).
 * Custom fields are one JSON column: keys differ between leads and are unbounded, one column per key
 * would need a first pass over every row before the header, and the JSON re-imports as is.
 */
const isoUtc = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** `safe`: a value that cannot begin with a formula trigger (uuid, enum, number, date), left unescaped in SQL. */
export const leadExportColumns: ReadonlyArray<{ header: string; sql: string; numeric?: true; safe?: true }> = [
  { header: 'id', sql: 'l.id::text', safe: true },
  { header: 'name', sql: 'l.name' },
  { header: 'email', sql: 'l.email' },
  { header: 'phone', sql: 'l.phone' },
  { header: 'company', sql: 'l.company' },
  { header: 'jobTitle', sql: 'l.job_title' },
  { header: 'source', sql: 'l.source' },
  { header: 'status', sql: 'l.status', safe: true },
  { header: 'niche', sql: 'n.name' },
  { header: 'tags', sql: `NULLIF(array_to_string(l.tags, ';'), '')` },
  { header: 'score', sql: 'l.score::text', numeric: true, safe: true },
  { header: 'notes', sql: 'l.notes' },
  { header: 'customFields', sql: `NULLIF(l.custom_fields, '{}'::jsonb)::text` },
  { header: 'ownerEmail', sql: 'u.email' },
  { header: 'lastContactedAt', sql: isoUtc('l.last_contacted_at'), safe: true },
  { header: 'createdAt', sql: isoUtc('l.created_at'), safe: true },
];

export const leadExportHeaders = leadExportColumns.map((c) => c.header);
