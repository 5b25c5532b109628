import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import type { Pool, PoolClient } from 'pg';
import QueryStream from 'pg-query-stream';
import { DataSource, Repository } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { AppConfig, csvRecord, escapeSpreadsheetCell, JobName, Principal, UTF8_BOM } from '@crescendo/platform';
import { JobAcceptedResponseDto, JobTrackerService } from '@crescendo/jobs';
import { applyLeadFilters, applyLeadSort, LeadFilterQuery } from '../lead-filters';
import { LeadEntity } from '../lead.entity';
import { leadExportColumns, leadExportHeaders } from './lead-export.columns';
import { ExportLeadsQueryDto, LeadExportFormat } from './leads-export.dto';

export const leadExportContentTypes: Record<LeadExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Rows fetched per round trip of the cursor: bounds the memory an export holds. */
const CURSOR_BATCH_ROWS = 1000;
/** Bytes of CSV gathered before handing them to the consumer (fewer, larger writes). */
const CSV_CHUNK_BYTES = 64 * 1024;
/** Every value arrives as the text Postgres wrote: the export SQL already formats it. */
const rawText = { getTypeParser: () => (value: string) => value };

export type LeadExportOutcome =
  | { kind: 'file'; stream: Readable; fileName: string; contentType: string }
  | { kind: 'job'; accepted: JobAcceptedResponseDto };

/**
 * Exports the leads a list shows (same filters and order) as CSV or XLSX. Small exports stream in the
 * answer from a database cursor; larger ones (EXPORT_SYNC_MAX_ROWS) become a tracked job that writes the
 * file to the FileStore. Memory stays constant: one cursor batch, one output chunk.
 */
@Injectable()
export class LeadsExportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(LeadEntity) private readonly leads: Repository<LeadEntity>,
    private readonly tracker: JobTrackerService,
    private readonly config: AppConfig,
  ) {}

  async export(principal: Principal, query: ExportLeadsQueryDto): Promise<LeadExportOutcome> {
    const { format, ...filters } = query;
    const fileName = exportFileName(format);
    const rows = await this.count(principal.workspaceId, filters);
    if (rows > this.config.env.EXPORT_SYNC_MAX_ROWS) {
      const accepted = await this.tracker.submit(
        JobName.ExportLeads,
        { workspaceId: principal.workspaceId, format, filters: { ...filters }, fileName },
        principal.userId || null,
      );
      return { kind: 'job', accepted };
    }
    const stream = await this.stream(principal.workspaceId, filters, format);
    return { kind: 'file', stream, fileName, contentType: leadExportContentTypes[format] };
  }

  count(workspaceId: string, filters: LeadFilterQuery): Promise<number> {
    return applyLeadFilters(this.leads.createQueryBuilder('l'), workspaceId, filters).getCount();
  }

  /** The export's SELECT (text columns, list order) and its parameters. */
  selectSql(workspaceId: string, filters: LeadFilterQuery): [string, unknown[]] {
    const qb = this.leads
      .createQueryBuilder('l')
      .select([])
      .leftJoin('niches', 'n', 'n.id = l.niche_id AND n.workspace_id = l.workspace_id')
      .leftJoin('users', 'u', 'u.id = l.owner_id');
    // Parenthesised: TypeORM would take `l.id…` for an entity column and move it.
    leadExportColumns.forEach((column, i) => qb.addSelect(`(${column.sql})`, `c${i}`));
    return applyLeadSort(applyLeadFilters(qb, workspaceId, filters), filters).getQueryAndParameters();
  }

  /** The file as a byte stream; `onRows` hears how many rows went out so far (job progress). */
  async stream(
    workspaceId: string,
    filters: LeadFilterQuery,
    format: LeadExportFormat,
    onRows?: (rows: number) => void,
  ): Promise<Readable> {
    const rows = await this.cursor(workspaceId, filters);
    return format === 'csv' ? csvStream(rows, onRows) : xlsxStream(rows, onRows);
  }

  /**
   * A cursor on a connection of TypeORM's pool, read batch by batch as the consumer pulls. The connection
   * goes back to the pool when the stream closes: at the end, on error, or when the client goes away
   * (destroying the stream closes the cursor first).
   */
  private async cursor(workspaceId: string, filters: LeadFilterQuery): Promise<QueryStream> {
    const [sql, params] = this.selectSql(workspaceId, filters);
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const client: PoolClient = await pool.connect();
    const rows = client.query(
      new QueryStream(sql, params, { batchSize: CURSOR_BATCH_ROWS, rowMode: 'array', types: rawText }),
    );
    let failure: Error | undefined;
    rows.once('error', (error) => (failure = error));
    rows.once('close', () => client.release(failure));
    return rows;
  }
}

/** `leads-2026-11-23.csv` (UTC date). */
export function exportFileName(format: LeadExportFormat, now = new Date()): string {
  return `leads-${now.toISOString().slice(0, 10)}.${format}`;
}

/** Cells as the files show them: formula-looking text escaped, nulls empty. */
function cells(row: Array<string | null>): Array<string | null> {
  return row.map((cell) => (cell === null ? null : escapeSpreadsheetCell(cell)));
}

/** CSV with a BOM (Excel reads the accents) and a header; pulls a row only when the consumer wants more. */
function csvStream(rows: AsyncIterable<Array<string | null>>, onRows?: (rows: number) => void): Readable {
  return Readable.from(
    (async function* () {
      let chunk = UTF8_BOM + csvRecord(leadExportHeaders);
      let count = 0;
      for await (const row of rows) {
        chunk += csvRecord(cells(row));
        if (++count % CURSOR_BATCH_ROWS === 0) onRows?.(count);
        if (chunk.length >= CSV_CHUNK_BYTES) {
          yield Buffer.from(chunk, 'utf8');
          chunk = '';
        }
      }
      yield Buffer.from(chunk, 'utf8');
      onRows?.(count);
    })(),
    { objectMode: false },
  );
}

const numericColumns = leadExportColumns.map((column) => column.numeric === true);

/**
 * XLSX through ExcelJS's streaming writer (rows committed as they come, no shared strings). ExcelJS
 * does not push back, so the loop waits for the output to drain before it pulls the next rows.
 */
function xlsxStream(rows: QueryStream, onRows?: (rows: number) => void): Readable {
  const out = new PassThrough({ highWaterMark: CSV_CHUNK_BYTES * 4 });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Leads');
  sheet.addRow(leadExportHeaders).commit();
  void (async () => {
    let count = 0;
    for await (const row of rows as AsyncIterable<Array<string | null>>) {
      const values = cells(row).map((cell, i) => (numericColumns[i] && cell !== null ? Number(cell) : cell));
      sheet.addRow(values).commit();
      if (++count % CURSOR_BATCH_ROWS === 0) {
        onRows?.(count);
        if (out.destroyed) return;
        if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
        if (out.destroyed) return;
      }
    }
    sheet.commit();
    await workbook.commit();
    onRows?.(count);
  })().catch((error: Error) => out.destroy(error));
  // The consumer leaving (client gone) stops the cursor, which gives its connection back.
  out.once('close', () => rows.destroy());
  return out;
}
