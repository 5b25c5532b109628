import { OnModuleInit } from '@nestjs/common';
import { to as copyTo } from 'pg-copy-streams';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { deleteInBatches } from '../database/delete-in-batches';
import { pgPool } from '../database/pg-pool';
import {
  ErasureContext,
  pagedQuery,
  PersonalDataProvider,
  PersonalDataRegistry,
  PersonalDataSink,
  RetentionWindows,
} from './personal-data';

/** How one table holds personal data: the data map entry a feature declares beside its entities. */
export interface PersonalDataTable {
  table: string;
  /** The export's section for the table's rows; none: never exported (erased or deleted only). */
  section?: string;
  /** What the export reads (never a secret); default every column. Must include `id`. */
  columns?: string;
  /** The column naming the workspace (default `workspace_id`); null: the table is not a workspace's. */
  workspaceColumn?: string | null;
  /** Columns that name the user (author, owner, actor): their rows are exported wherever they are. */
  userColumns?: readonly string[];
  /** Private records: exported only where a user column names them, even in the workspaces they own. */
  onlyTheirs?: boolean;
  /** On the user's erasure, rows naming them are deleted rather than anonymised (their columns set NULL). */
  deleteOnErasure?: boolean;
  /** More assignments when anonymising, e.g. `user_name = 'Deleted member'`. */
  anonymise?: string;
  /** Large tables: a data subject's or the retention's rows are deleted a batch at a time so locks stay short. */
  batched?: boolean;
  /**
   * The rows about a data subject who is not a user: a condition over `$1` (workspace id) and `$2` (the
   * lower-cased e-mail). `cascades`: they go with another table's rows (ON DELETE CASCADE), not counted.
   */
  subject?: { where: string; cascades?: boolean };
  /** A retention window: the rows the condition selects (`$1` workspace id, `$2` days) go, counted as `kind`. */
  retention?: { window: keyof RetentionWindows; kind: string; where: string };
}

/**
 * A personal-data provider built from its table list: exports, erasures, workspace deletion, data subjects and
 * retention are all derived from it. Tables are listed parents first; deletions run children first. A feature
 * with more to do (files, caches) overrides a method and calls `super`.
 */
export abstract class TablePersonalData implements PersonalDataProvider, OnModuleInit {
  abstract readonly feature: string;
  protected abstract readonly map: readonly PersonalDataTable[];
  readonly erasureOrder?: number;

  constructor(
    protected readonly registry: PersonalDataRegistry,
    protected readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  get tables(): readonly string[] {
    return this.map.map((t) => t.table);
  }

  protected readonly query = (sql: string, params: unknown[]) =>
    this.db.query(sql, params) as Promise<Array<Record<string, unknown>>>;

  async exportFor(userId: string, owned: readonly string[], sink: PersonalDataSink): Promise<void> {
    for (const t of this.map) {
      if (!t.section) continue;
      const params: unknown[] = [];
      const where: string[] = [];
      const ws = t.onlyTheirs ? null : workspaceColumn(t);
      if (ws) where.push(`${ws} = ANY($${params.push(owned)}::uuid[])`);
      if (t.userColumns?.length) {
        const user = params.push(userId);
        for (const column of t.userColumns) where.push(`${column} = $${user}`);
      }
      if (!where.length) continue;
      await this.write(
        sink,
        t.section,
        `SELECT ${t.columns ?? '*'} FROM ${t.table} WHERE ${where.join(' OR ')}`,
        params,
      );
    }
  }

  private write(sink: PersonalDataSink, section: string, select: string, params: unknown[]): Promise<void> {
    return sink.jsonLines
      ? sink.jsonLines(section, this.jsonLines(select, params))
      : sink.section(section, pagedQuery(this.query, select, params));
  }

  /**
   * The rows of `select` as JSON text with camelCase keys, one per line, built by Postgres and read with COPY:
   * Node relays bytes without parsing a row, and holds one chunk at a time whatever the table's size.
   */
  protected async *jsonLines(select: string, params: unknown[]): AsyncGenerator<Buffer> {
    const client = await pgPool(this.db).connect();
    let copy: Readable | null = null;
    let done = false;
    try {
      const probe = await client.query({ text: `SELECT * FROM (${select}) AS x LIMIT 0`, values: params });
      const pairs = probe.fields.map((f) => `'${camel(f.name)}', x."${f.name}"`);
      // json_build_object takes at most 100 arguments: wider rows are built from several objects.
      const objects: string[] = [];
      for (let i = 0; i < pairs.length; i += 50)
        objects.push(`jsonb_build_object(${pairs.slice(i, i + 50).join(', ')})`);
      const json = objects.length === 1 ? objects[0].replace(/^jsonb_/, 'json_') : objects.join(' || ');
      // COPY takes no parameters: they are inlined as escaped literals. CSV with quote and delimiter bytes that
      // JSON text never holds raw (it escapes control characters) writes each JSON value as is, one per line.
      const sql = inlineLiterals(`SELECT (${json}) FROM (${select}) AS x`, params, (v) => client.escapeLiteral(v));
      copy = client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')`));
      for await (const chunk of copy as AsyncIterable<Buffer>) yield chunk;
      done = true;
    } finally {
      // A consumer that stopped early leaves the COPY running: that connection is not reused.
      if (!done) copy?.destroy();
      client.release(!done);
    }
  }

  async eraseUser(userId: string, _ctx: ErasureContext): Promise<void> {
    for (const t of [...this.map].reverse()) {
      for (const column of t.userColumns ?? []) {
        if (t.deleteOnErasure) await this.remove(t, `${column} = $1`, [userId]);
        else
          await this.db.query(
            `UPDATE ${t.table} SET ${column} = NULL${t.anonymise ? `, ${t.anonymise}` : ''} WHERE ${column} = $1`,
            [userId],
          );
      }
    }
  }

  async deleteWorkspace(workspaceId: string): Promise<void> {
    for (const t of [...this.map].reverse()) {
      const ws = workspaceColumn(t);
      // One statement per table, not batches: every row goes and none is anyone else's to wait on, while each
      // batch would walk the index past the entries the batches before it left dead.
      if (ws) await this.db.query(`DELETE FROM ${t.table} WHERE ${ws} = $1`, [workspaceId]);
    }
  }

  async exportSubject(workspaceId: string, email: string, sink: PersonalDataSink): Promise<void> {
    for (const t of this.map) {
      if (!t.subject || !t.section) continue;
      await this.write(sink, t.section, `SELECT ${t.columns ?? '*'} FROM ${t.table} WHERE ${t.subject.where}`, [
        workspaceId,
        email,
      ]);
    }
  }

  async eraseSubject(workspaceId: string, email: string): Promise<number> {
    let erased = 0;
    for (const t of [...this.map].reverse()) {
      if (!t.subject || t.subject.cascades) continue;
      erased += await this.remove(t, t.subject.where, [workspaceId, email]);
    }
    return erased;
  }

  async applyRetention(workspaceId: string, windows: RetentionWindows): Promise<Record<string, number>> {
    const removed: Record<string, number> = {};
    for (const t of this.map) {
      const days = t.retention && windows[t.retention.window];
      if (!t.retention || !days) continue;
      removed[t.retention.kind] = await deleteInBatches(this.db, t.table, t.retention.where, [workspaceId, days], 500);
    }
    return removed;
  }

  private async remove(t: PersonalDataTable, where: string, params: unknown[]): Promise<number> {
    if (t.batched) return deleteInBatches(this.db, t.table, where, params);
    const [, count] = (await this.db.query(`DELETE FROM ${t.table} WHERE ${where}`, params)) as [unknown, number];
    return count;
  }
}

/** `$n` placeholders replaced by SQL literals (strings escaped by `escape`; arrays as text arrays to cast). */
function inlineLiterals(sql: string, params: unknown[], escape: (value: string) => string): string {
  const literal = (value: unknown): string => {
    if (value === null || value === undefined) return 'NULL';
    if (Array.isArray(value)) return `ARRAY[${value.map(literal).join(', ')}]::text[]`;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return escape(value instanceof Date ? value.toISOString() : String(value));
  };
  return sql.replace(/\$(\d+)/g, (_, n: string) => literal(params[Number(n) - 1]));
}

const camel = (column: string) => column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

const workspaceColumn = (t: PersonalDataTable) =>
  t.workspaceColumn === undefined ? 'workspace_id' : t.workspaceColumn;
