import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { stringify } from 'csv-stringify';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import {
  EventPublisher,
  FileStore,
  ImportedConsent,
  ImportedConsentRecorder,
  TIME_ORDERED_UUID_SQL,
} from '@crescendo/platform';
import { JobFailure, TrackedJobContext, TrackedJobOutcome } from '@crescendo/jobs';
import { ImportedLead, parseRow, resolveColumns, RowContext } from './import-fields';
import { openCsv, openXlsx, RowSource, UnreadableFileError } from './import-sources';
import { XlsxLimitError } from './xlsx-guard';
import { ImportLeadsPayload } from '../leads.jobs';
import { LeadsEvents } from '../leads.events';

export const IMPORT_BATCH_SIZE = 5000;
/**
 * Batches written at once, each on its own connection and staging table. The upsert is CPU-bound in
 * Postgres: a second backend puts the second core to work while this process reads and validates.
 */
const WRITERS = 2;
const REPORT_FILE = 'report.csv';

export interface ImportCounts {
  totalRows: number;
  inserted: number;
  updated: number;
  skipped: number;
  failed: number;
}

const STAGE_COLUMNS =
  'line, name, given_name, email, phone, company, job_title, source, status, niche_id, tags, score, notes, custom_fields';

// Session-local, emptied at each commit: every batch is COPY'd into it, then upserted in one statement.
const CREATE_STAGE = `CREATE TEMP TABLE IF NOT EXISTS lead_import_stage (
  line int NOT NULL, name text NOT NULL, given_name text, email text, phone text, company text, job_title text,
  source text, status text, niche_id uuid, tags text[], score int, notes text, custom_fields jsonb
) ON COMMIT DELETE ROWS`;

/**
 * One statement per batch: insert the staged rows (empty cells take the column defaults) and, on the
 * partial unique index of live e-mails, do nothing (skip) or update (update). An update only overwrites
 * with cells the file filled, merges tags and custom fields, and never touches a lead this import
 * already wrote (updated_at >= the import's start): within a file the first occurrence of an e-mail wins.
 * `xmax = 0` tells an inserted row from an updated one; the timeline events go in the same statement.
 * New leads and events get time-ordered ids, so that a million of them append to the indexes on ids.
 */
function upsertSql(policy: 'skip' | 'update', withEmails = false): string {
  const onConflict =
    policy === 'skip'
      ? 'DO NOTHING'
      : `DO UPDATE SET (name, phone, company, job_title, source, status, niche_id, tags, score, notes, custom_fields,
           updated_at) = (
           SELECT COALESCE(s.given_name, leads.name), COALESCE(s.phone, leads.phone),
             COALESCE(s.company, leads.company), COALESCE(s.job_title, leads.job_title),
             COALESCE(s.source, leads.source), COALESCE(s.status, leads.status), COALESCE(s.niche_id, leads.niche_id),
             leads.tags || ARRAY(SELECT t FROM unnest(COALESCE(s.tags, '{}')) t WHERE t <> ALL (leads.tags)),
             COALESCE(s.score, leads.score), COALESCE(s.notes, leads.notes),
             leads.custom_fields || COALESCE(s.custom_fields, '{}'), now()
           FROM lead_import_stage s WHERE s.email = EXCLUDED.email)
         WHERE leads.updated_at < $5`;
  return `WITH up AS (
      INSERT INTO leads (id, workspace_id, name, email, phone, company, job_title, source, status, niche_id, tags,
        score, notes, custom_fields)
      SELECT ${TIME_ORDERED_UUID_SQL}, $1, s.name, s.email, s.phone, s.company, s.job_title,
        COALESCE(s.source, $4), COALESCE(s.status, 'new'), s.niche_id, COALESCE(s.tags, '{}'), COALESCE(s.score, 0),
        s.notes, COALESCE(s.custom_fields, '{}')
      FROM lead_import_stage s ORDER BY s.line
      ON CONFLICT (workspace_id, email) WHERE deleted_at IS NULL AND email IS NOT NULL ${onConflict}
      RETURNING id, email, (xmax = 0) AS inserted
    ), events AS (
      INSERT INTO lead_events (id, lead_id, workspace_id, type, data, actor_user_id)
      SELECT ${TIME_ORDERED_UUID_SQL}, id, $1, 'imported',
        CASE WHEN inserted THEN $2::jsonb ELSE $2::jsonb || '{"action":"updated"}' END, $3::uuid
      FROM up
    )
    SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated
      ${withEmails ? ', array_agg(email) AS emails' : ''}
    FROM up`;
}

/** A value as a COPY text-format field: NULL is \N; backslash, tab and line breaks escaped (rare: tested first). */
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyField = (value: string | number | null): string =>
  value === null
    ? '\\N'
    : typeof value === 'number'
      ? String(value)
      : NEEDS_ESCAPE.test(value)
        ? value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c])
        : value;
const arrayLiteral = (items: string[]) => `{${items.map((i) => `"${i.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

/** A valid row as one line of COPY text: built at once, so the batch holds a string per row, not its objects. */
function stageLine(l: ImportedLead): string {
  return (
    `${l.line}\t${copyField(l.name)}\t${copyField(l.givenName)}\t${copyField(l.email)}\t${copyField(l.phone)}\t` +
    `${copyField(l.company)}\t${copyField(l.jobTitle)}\t${copyField(l.source)}\t${copyField(l.status)}\t` +
    `${copyField(l.nicheId)}\t${copyField(l.tags && arrayLiteral(l.tags))}\t${copyField(l.score)}\t` +
    `${copyField(l.notes)}\t${copyField(l.customFields && JSON.stringify(l.customFields))}\n`
  );
}

/**
 * One connection and its staging table. A batch is COPY'd in while the file is read (so rows go to the
 * database as they are validated, and are not held here), then upserted in one statement and committed.
 */
class BatchWriter {
  /** Rows sent in the current batch. */
  rows = 0;
  /** Rows of the file the current batch covers: sent, refused (failures) and skipped as repeats in the file. */
  consumed = 0;
  skipped = 0;
  failures: ImportFailure[] = [];
  failureChars = 0;
  /** Consent cells of the batch's rows, recorded for the leads the upsert wrote. */
  consents: ImportedConsent[] = [];
  /** The batch being upserted. */
  pending: Promise<void> = Promise.resolve();
  private copy: Writable | null = null;
  private failure: Error | null = null;
  private inTransaction = false;

  constructor(
    readonly client: PoolClient,
    private readonly release: (error?: Error) => void,
  ) {}

  async begin(): Promise<void> {
    // A batch is replayable (the job fails and can be re-run): no need to wait for its WAL flush.
    this.inTransaction = true;
    await this.client.query('BEGIN; SET LOCAL synchronous_commit = off');
    this.rows = 0;
    this.consumed = 0;
    this.skipped = 0;
    this.failures = [];
    this.failureChars = 0;
    this.consents = [];
    this.failure = null;
    this.copy = this.client.query(copyFrom(`COPY lead_import_stage (${STAGE_COLUMNS}) FROM STDIN`));
    this.copy.on('error', (error) => (this.failure = error));
  }

  /** Sends rows (COPY text lines); waits while the connection's buffer is full. */
  async write(lines: string, rows: number): Promise<void> {
    const copy = this.copy!;
    if (copy.destroyed) throw this.failure ?? new Error('The COPY stream was closed');
    this.rows += rows;
    if (!copy.write(lines)) await once(copy, 'drain');
  }

  /**
   * Ends the COPY, upserts the batch, runs `settle` (the checkpoint) in the same transaction, and commits;
   * answers what `settle` did.
   */
  async commit<T>(
    sql: string,
    params: unknown[],
    settle: (written: { inserted: number; updated: number; emails?: string[] | null }) => Promise<T>,
  ): Promise<T> {
    const copy = this.copy!;
    this.copy = null;
    copy.end();
    await finished(copy);
    const { rows } = await this.client.query(sql, params);
    const settled = await settle(rows[0]);
    await this.client.query('COMMIT');
    this.inTransaction = false;
    return settled;
  }

  /** Drops the staging table and gives the connection back; after a failure, the open batch is abandoned. */
  async close(): Promise<void> {
    await this.pending.catch(() => undefined);
    try {
      if (this.copy) {
        this.copy.destroy(); // CopyFail: Postgres ends the COPY with an error
        await finished(this.copy).catch(() => undefined);
        this.copy = null;
      }
      if (this.inTransaction) await this.client.query('ROLLBACK');
      await this.client.query('DROP TABLE IF EXISTS pg_temp.lead_import_stage');
      this.release();
    } catch (error) {
      this.release(error as Error); // a connection in an unknown state is not reused
    }
  }
}

interface ImportFailure {
  line: number;
  reason: string;
  raw: string;
}

/**
 * Where an import stands after its last committed batch (the job's checkpoint, saved in that batch's
 * transaction): the counts so far, `totalRows` being the data rows of the file they cover, and the start of
 * the first attempt (the update policy's "written by this import" mark).
 */
interface ImportCheckpoint extends ImportCounts {
  startedAt: string;
}

/** A batch seals once it covers this many rows, or holds this many characters of refused rows. */
const MAX_BATCH_FAILURE_CHARS = 4 << 20;
const REPORT_PAGE = 2000;

/** A file the import cannot take, as the job's failure (its code and message are shown to the user). */
function importFailure(error: unknown): unknown {
  if (error instanceof UnreadableFileError) return new JobFailure('IMPORT_FILE_UNREADABLE', error.message);
  if (error instanceof XlsxLimitError) return new JobFailure('IMPORT_XLSX_TOO_LARGE', error.message);
  return error;
}

/**
 * Worker side of POST /api/leads/import: reads the upload row by row, validates, and streams the valid
 * rows through COPY into a staging table, one upsert per batch of about 5 000, on WRITERS connections in
 * turn. Nothing waits in memory but the chunk being read: memory does not grow with the file.
 */
@Injectable()
export class LeadsImporter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly files: FileStore,
    private readonly events: EventPublisher,
    private readonly consent: ImportedConsentRecorder,
  ) {}

  async run(data: ImportLeadsPayload, ctx: TrackedJobContext): Promise<TrackedJobOutcome> {
    const size = await this.files.size(data.fileKey);
    if (size === null) throw new JobFailure('IMPORT_FILE_MISSING', 'The uploaded file is no longer available');
    const source = await this.open(data, size);
    const { columns, missing } = resolveColumns(source.headers, data.mapping);
    if (missing.length) {
      throw new JobFailure('IMPORT_COLUMNS_MISSING', `The mapping names columns the file lacks: ${missing.join(', ')}`);
    }
    if (!columns.some(Boolean)) {
      throw new JobFailure(
        'IMPORT_NO_KNOWN_COLUMNS',
        'No column of the file matches a lead field; send a mapping (header → field)',
      );
    }
    const rowContext = await this.rowContext(data);
    // Another attempt after a crash goes on from the last committed batch: its rows are read past, not redone.
    const saved = await ctx.checkpoint.load<ImportCheckpoint>();
    let committed: ImportCheckpoint | null = saved;
    let toSkip = saved?.totalRows ?? 0;
    let read = toSkip;

    const writers: BatchWriter[] = [];
    try {
      for (let i = 0; i < WRITERS; i++) writers.push(await this.openWriter(data.duplicatePolicy));
      const { client } = writers[0];
      const startedAt: string =
        saved?.startedAt ?? (await client.query('SELECT clock_timestamp()::text AS t')).rows[0].t;
      const sql = upsertSql(data.duplicatePolicy);
      const sqlWithEmails = upsertSql(data.duplicatePolicy, true);
      // $2, the event's data for a created lead; $5, the import's start, only serves the update policy.
      const created = JSON.stringify({ jobId: data.jobId, action: 'created' });
      const params = [data.workspaceId, created, data.userId, data.defaultSource];
      if (data.duplicatePolicy === 'update') params.push(startedAt);
      /**
       * Batches upsert side by side but commit in file order: each waits for the one before, then records its
       * refused rows and the checkpoint (the counts up to its last row) in its own transaction, so the
       * committed batches are always the file's first rows and the checkpoint says exactly how many.
       */
      let previous: Promise<unknown> = Promise.resolve();
      const commit = (writer: BatchWriter) => {
        const before = previous;
        const done = writer
          .commit(writer.consents.length ? sqlWithEmails : sql, params, async (written) => {
            // Consent goes with the leads the batch wrote (not with those the skip policy left alone), in its
            // transaction: a re-run after a crash finds it committed with its batch or not at all.
            if (writer.consents.length) {
              const wrote = new Set(written.emails ?? []);
              await this.consent.recordImported(
                (text, values) => writer.client.query(text, values),
                data.workspaceId,
                data.userId,
                writer.consents.filter((c) => wrote.has(c.email)),
              );
            }
            await before;
            const base = committed ?? { startedAt, totalRows: 0, inserted: 0, updated: 0, skipped: 0, failed: 0 };
            const next: ImportCheckpoint = {
              startedAt,
              totalRows: base.totalRows + writer.consumed,
              inserted: base.inserted + written.inserted,
              updated: base.updated + written.updated,
              skipped: base.skipped + writer.skipped + writer.rows - written.inserted - written.updated,
              failed: base.failed + writer.failures.length,
            };
            if (writer.failures.length) await this.saveFailures(writer.client, data.jobId, writer.failures);
            await ctx.checkpoint.save(writer.client, next);
            return next;
          })
          .then(async (next) => {
            committed = next;
            await ctx.progress(Math.min(99, source.progress() * 100), `${read} rows read`);
          });
        previous = done;
        return done;
      };

      let batches = 0;
      let writer = writers[0];
      await writer.begin();
      // E-mails of the batch being filled, and of the one before, which may still be in the database beside it:
      // a second occurrence in either is skipped (the first wins); farther back, the upsert sees to it.
      let emails = new Set<string>();
      let previousEmails = new Set<string>();
      for await (const rows of source.chunks) {
        const lines: string[] = [];
        for (const row of rows) {
          if (toSkip > 0) {
            toSkip--;
            continue;
          }
          read++;
          writer.consumed++;
          const parsed = row.error ? { error: row.error } : parseRow(row.values, columns, row.line, rowContext);
          if ('error' in parsed) {
            writer.failures.push({ line: row.line, reason: parsed.error, raw: row.raw });
            writer.failureChars += row.raw.length;
            continue;
          }
          const { lead } = parsed;
          if (lead.email !== null) {
            if (emails.has(lead.email) || previousEmails.has(lead.email)) {
              writer.skipped++;
              continue;
            }
            emails.add(lead.email);
          }
          lines.push(stageLine(lead));
          if (lead.consent && lead.email !== null) {
            const email = lead.email;
            if (lead.consent.marketingEmail !== undefined)
              writer.consents.push({ email, purpose: 'marketing_email', granted: lead.consent.marketingEmail });
            if (lead.consent.aiProcessing !== undefined)
              writer.consents.push({ email, purpose: 'ai_processing', granted: lead.consent.aiProcessing });
          }
        }
        if (lines.length) await writer.write(lines.join(''), lines.length);
        if (writer.consumed < IMPORT_BATCH_SIZE && writer.failureChars < MAX_BATCH_FAILURE_CHARS) continue;

        // The batch is full: upsert it, and go on with the next writer once it is done with its own.
        const full = writer;
        full.pending = commit(full);
        full.pending.catch(() => undefined); // awaited (and thrown) before this writer's next batch or at the end
        batches++;
        writer = writers[batches % WRITERS];
        await writer.pending; // back-pressure: at most WRITERS batches in the database while the next is read
        await writer.begin();
        previousEmails = emails;
        emails = new Set();
      }
      writer.pending = commit(writer);
      for (const w of writers) await w.pending;
    } catch (error) {
      await Promise.all(writers.map((w) => w.close()));
      throw importFailure(error);
    }
    for (const w of writers) await w.close();
    const { totalRows, inserted, updated, skipped, failed } = committed!;
    const counts: ImportCounts = { totalRows, inserted, updated, skipped, failed };
    if (counts.failed) await this.writeReport(data.jobId, ctx.fileKey(REPORT_FILE));

    await this.events.publish({
      type: LeadsEvents.ImportCompleted,
      workspaceId: data.workspaceId,
      actorUserId: data.userId,
      data: { jobId: data.jobId, ...counts },
    });
    return {
      result: { ...counts },
      files: counts.failed ? [{ name: REPORT_FILE, contentType: 'text/csv' }] : [],
    };
  }

  private async open(data: ImportLeadsPayload, size: number): Promise<RowSource> {
    try {
      const path = this.files.path(data.fileKey);
      return data.format === 'xlsx' ? await openXlsx(path, size) : await openCsv(path, size);
    } catch (error) {
      throw importFailure(error);
    }
  }

  private async openWriter(policy: 'skip' | 'update'): Promise<BatchWriter> {
    const [client, release] = (await (this.dataSource.driver as PostgresDriver).obtainMasterConnection()) as [
      PoolClient,
      (error?: Error) => void,
    ];
    try {
      await client.query(CREATE_STAGE);
      // The update finds each conflicting row's staged cells by e-mail: without an index, a scan per row.
      if (policy === 'update') {
        await client.query('CREATE INDEX IF NOT EXISTS lead_import_stage_email ON pg_temp.lead_import_stage (email)');
      }
    } catch (error) {
      release();
      throw error;
    }
    return new BatchWriter(client, release);
  }

  private async saveFailures(client: PoolClient, jobId: string, failures: ImportFailure[]): Promise<void> {
    await client.query(
      `INSERT INTO lead_import_failures (job_id, line, reason, raw)
       SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[]) ON CONFLICT DO NOTHING`,
      [
        jobId,
        failures.map((f) => f.line),
        failures.map((f) => f.reason.replace(/\0/g, '')),
        failures.map((f) => f.raw.replace(/\0/g, '')),
      ],
    );
  }

  /** The refused rows of every attempt, from the database, as the report file (line, reason, raw row). */
  private async writeReport(jobId: string, key: string): Promise<void> {
    const out = await this.files.writeStream(key);
    const done = finished(out);
    const stringifier = stringify({ header: true, columns: ['line', 'reason', 'row'], bom: true });
    stringifier.pipe(out);
    try {
      let after = 0;
      for (;;) {
        const page: ImportFailure[] = await this.dataSource.query(
          `SELECT line, reason, raw FROM lead_import_failures WHERE job_id = $1 AND line > $2 ORDER BY line LIMIT $3`,
          [jobId, after, REPORT_PAGE],
        );
        for (const f of page) {
          if (!stringifier.write([f.line, f.reason, f.raw])) await once(stringifier, 'drain');
        }
        if (page.length < REPORT_PAGE) break;
        after = page[page.length - 1].line;
      }
    } finally {
      stringifier.end();
      await done;
    }
  }

  private async rowContext(data: ImportLeadsPayload): Promise<RowContext> {
    const niches: Array<{ id: string; name: string }> = await this.dataSource.query(
      'SELECT id, name FROM niches WHERE workspace_id = $1',
      [data.workspaceId],
    );
    return {
      nicheIds: new Set(niches.map((n) => n.id)),
      nicheNames: new Map(niches.map((n) => [n.name.toLowerCase(), n.id])),
    };
  }
}
