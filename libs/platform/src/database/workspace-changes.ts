import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { pgPool } from './pg-pool';

/** The channel the tables' triggers notify (migration WorkspaceChangeNotifications). */
const CHANNEL = 'workspace_changes';
/** Workspaces whose last change is remembered one by one; older ones count as changed at the last forgotten. */
const REMEMBERED_WORKSPACES = 10_000;
const FIRST_RETRY_MS = 1_000;
const LAST_RETRY_MS = 30_000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The listener's application_name, as pg_stat_activity shows it. */
export const LISTENER_NAME = 'crescendo-workspace-changes';

/** A moment in the changes this process has heard of (see WorkspaceChanges.mark). */
export type ChangeMark = number;

/**
 * Tells, without a round trip, whether a workspace's data may have changed since a moment. The tables stats
 * answers read notify every committed statement's workspaces (migration WorkspaceChangeNotifications); one
 * connection of this process listens, opened on first use. A change is heard a moment after its commit (Postgres
 * signals the listener during the commit); a write request served by this process marks its workspace changed
 * before it answers, so a caller reads its own writes here at once. Until the listener is connected (and after it
 * is lost, until it is back) nothing counts as unchanged: callers check with Postgres as they would without it.
 */
@Injectable()
export class WorkspaceChanges implements OnApplicationShutdown {
  private readonly logger = new Logger(WorkspaceChanges.name);
  private client: Client | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;
  private retryAt = 0;
  private retryMs = FIRST_RETRY_MS;
  /** Counts what was heard; a mark is its value at a moment. */
  private sequence = 0;
  /** Marks before this hold nothing: the listener (re)started or stopped, or a table was truncated. */
  private validFrom = Number.POSITIVE_INFINITY;
  /** The sequence at each workspace's last change (insertion order: least recently changed first). */
  private readonly lastChange = new Map<string, number>();
  private forgottenUpTo = 0;
  /** The tables the triggers watch, read when listening starts. */
  private watched = new Set<string>();
  /** Per statement text: whether every table it reads is watched (see `watches`). */
  private readonly coverage = new Map<string, Promise<boolean>>();
  /** Tables kept statements read that no trigger watches (their answers are always checked with Postgres). */
  private readonly unwatched = new Set<string>();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Now, to ask `unchangedSince` later; undefined while not listening (starts listening). */
  mark(): ChangeMark | undefined {
    if (this.client) return this.sequence;
    if (!this.connecting && !this.closed && Date.now() >= this.retryAt) void this.listen();
    return undefined;
  }

  /** Whether no change of the workspace was committed since `mark`, as far as this process has heard. */
  unchangedSince(workspaceId: string, mark: ChangeMark): boolean {
    return (
      this.client !== undefined &&
      mark >= this.validFrom &&
      mark >= this.forgottenUpTo &&
      (this.lastChange.get(workspaceId) ?? 0) <= mark
    );
  }

  /** A change this process made (before its answer is sent), or heard of. */
  changed(workspaceId: string): void {
    this.sequence++;
    this.lastChange.delete(workspaceId);
    this.lastChange.set(workspaceId, this.sequence);
    if (this.lastChange.size > REMEMBERED_WORKSPACES) {
      const [oldest, at] = this.lastChange.entries().next().value!;
      this.lastChange.delete(oldest);
      this.forgottenUpTo = Math.max(this.forgottenUpTo, at);
    }
  }

  /** Whether changes are being heard now. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /**
   * Resolves once every change committed before the call has been heard (listening first if it was not):
   * Postgres sends a listener its pending notifications before it answers its next statement. For tests and
   * tools that write from elsewhere and then read here.
   */
  async settled(): Promise<void> {
    if (!this.client && !this.closed) await (this.connecting ?? this.listen());
    await this.client?.query('SELECT 1');
  }

  /**
   * Whether every table a statement reads (from its plan) is watched by the triggers: only such a statement's
   * answer can be trusted unchanged on this process's word. Asked once per statement text.
   */
  watches(dataSource: DataSource, text: string, values: unknown[]): Promise<boolean> {
    // Which tables are watched is read when listening starts: until then, no (and nothing remembered).
    if (!this.client) return Promise.resolve(false);
    let covered = this.coverage.get(text);
    if (!covered) {
      covered = pgPool(dataSource)
        .query<{ 'QUERY PLAN': unknown }>({ text: `EXPLAIN (FORMAT JSON) ${text}`, values })
        .then(({ rows }) => {
          const tables = relationsOf(rows[0]['QUERY PLAN']);
          const unwatched = [...tables].filter((table) => !this.watched.has(table));
          for (const table of unwatched) this.unwatched.add(table);
          if (unwatched.length) this.logger.warn(`A kept statement reads unwatched tables: ${unwatched.join(', ')}`);
          return tables.size > 0 && unwatched.length === 0;
        })
        .catch((error: unknown) => {
          this.coverage.delete(text);
          this.logger.warn({ err: error }, 'Could not read which tables a statement reads');
          return false;
        });
      if (this.coverage.size >= 1_000) this.coverage.clear();
      this.coverage.set(text, covered);
    }
    return covered;
  }

  /** How many statement texts `watches` looked at, and the unwatched tables they read. */
  coverageSeen(): { statements: number; unwatchedTables: string[] } {
    return { statements: this.coverage.size, unwatchedTables: [...this.unwatched].sort() };
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.stop();
    await client?.end().catch(() => undefined);
  }

  private listen(): Promise<void> {
    this.connecting = this.connect().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({ ...pgPool(this.dataSource).options, application_name: LISTENER_NAME });
    client.on('notification', ({ payload }) => {
      if (payload === '*') this.forgetMarks();
      else if (payload) this.changed(payload);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      const { rows } = await client.query<{ table: string }>(
        `SELECT DISTINCT c.relname AS table FROM pg_trigger t
           JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_proc p ON p.oid = t.tgfoid
          WHERE p.proname = 'notify_workspace_change' AND NOT t.tgisinternal AND t.tgenabled <> 'D'`,
      );
      if (this.closed) throw new Error('shutting down');
      this.watched = new Set(rows.map((r) => r.table));
      this.coverage.clear();
      this.client = client;
      // Whatever was committed before LISTEN took effect was not heard: older marks hold nothing.
      this.forgetMarks();
      this.retryMs = FIRST_RETRY_MS;
    } catch (error) {
      if (!this.closed) this.logger.warn({ err: error }, 'Could not listen for workspace changes; retrying');
      this.retryAt = Date.now() + this.retryMs;
      this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
      await client.end().catch(() => undefined);
    }
  }

  private lost(client: Client, error?: Error): void {
    if (client !== this.client) return;
    if (!this.closed) this.logger.warn({ err: error }, 'Stopped listening for workspace changes; will reconnect');
    this.stop();
    this.retryAt = Date.now() + this.retryMs;
    void client.end().catch(() => undefined);
  }

  /** Every mark taken before now holds nothing any more. */
  private forgetMarks(): void {
    this.validFrom = ++this.sequence;
  }

  private stop(): void {
    this.client = undefined;
    this.validFrom = Number.POSITIVE_INFINITY;
  }
}

/** The tables (Relation Name) an EXPLAIN (FORMAT JSON) plan reads, subplans and init plans included. */
function relationsOf(plan: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(plan)) for (const item of plan) relationsOf(item, into);
  else if (plan !== null && typeof plan === 'object') {
    for (const [key, value] of Object.entries(plan)) {
      if (key === 'Relation Name' && typeof value === 'string') into.add(value);
      else relationsOf(value, into);
    }
  }
  return into;
}

/**
 * A write request (any method but GET, HEAD, OPTIONS) of a workspace marks it changed before its answer leaves,
 * whatever it wrote: the caller's next read here sees its write without waiting for the notification.
 */
export function markWorkspaceWrites(fastify: FastifyInstance, changes: WorkspaceChanges): void {
  fastify.addHook('onSend', (request, _reply, payload, done) => {
    if (request.principal && !SAFE_METHODS.has(request.method)) changes.changed(request.principal.workspaceId);
    done(null, payload);
  });
}
