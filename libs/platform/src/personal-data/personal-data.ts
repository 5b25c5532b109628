import { Injectable } from '@nestjs/common';

/** Where a feature writes the records it holds about a person: one named section of rows, streamed. */
export interface PersonalDataSink {
  /** Writes `rows` as the array `name` of the export; rows are written as they come, never collected. */
  section(name: string, rows: AsyncIterable<unknown> | Iterable<unknown>): Promise<void>;
  /** The same with the rows already JSON text, one per line, in chunks (from Postgres): relayed, never parsed. */
  jsonLines?(name: string, chunks: AsyncIterable<Buffer>): Promise<void>;
}

/** A workspace's retention windows in days; null: kept until deleted. */
export interface RetentionWindows {
  /** Leads neither updated nor contacted for this long. */
  inactiveLeadsDays: number | null;
  /** AI chat conversations without a message for this long. */
  chatHistoryDays: number | null;
  /** Fan conversations without a message for this long. */
  fanConversationsDays: number | null;
  auditLogsDays: number | null;
}

/** What GDPR tells every provider of the user it exports (asked of identity, the owner of users). */
export interface ExportContext {
  /** The user's e-mail, for records that name them without their id. */
  email: string;
}

export interface ErasureContext extends ExportContext {
  /** Workspaces the user belongs to that stay (others own them too): keep their data, drop the authorship. */
  sharedWorkspaceIds: readonly string[];
  /** Workspaces the user was the only owner of; already handed to `deleteWorkspace` before `eraseUser`. */
  deletedWorkspaceIds: readonly string[];
}

/**
 * How one feature exports and erases the personal data its own tables hold. Each owner implements it beside
 * its entities and registers it with PersonalDataRegistry at module init; GDPR never reads those tables.
 */
export interface PersonalDataProvider {
  /** Section prefix in the export, e.g. `leads`. */
  readonly feature: string;
  /** The tables whose personal data this provider exports and erases (the data map a test checks). */
  readonly tables: readonly string[];
  /** Erasure order: lower first. Identity (the user row itself) goes last. */
  readonly erasureOrder?: number;
  /**
   * The records about or created by the user: everything of `ownedWorkspaceIds` (workspaces the user owns,
   * whose whole contents they control), and elsewhere what the user created or what is about them.
   */
  exportFor(
    userId: string,
    ownedWorkspaceIds: readonly string[],
    sink: PersonalDataSink,
    ctx: ExportContext,
  ): Promise<void>;
  /** Erases the user's personal data: deletes what is only theirs, anonymises authorship of what stays. */
  eraseUser(userId: string, ctx: ErasureContext): Promise<void>;
  /** Deletes everything of the workspace this feature holds. */
  deleteWorkspace(workspaceId: string): Promise<void>;
  /** A data subject who is not a user (a lead, a subscriber), found by e-mail in one workspace. */
  exportSubject?(workspaceId: string, email: string, sink: PersonalDataSink): Promise<void>;
  /** Erases that subject's records in the workspace; answers how many records went. */
  eraseSubject?(workspaceId: string, email: string): Promise<number>;
  /** Removes what the workspace's windows no longer allow; answers what went, by kind. */
  applyRetention?(workspaceId: string, windows: RetentionWindows): Promise<Record<string, number>>;
}

/** The providers every feature registered (a global singleton, so owners need not depend on GDPR). */
@Injectable()
export class PersonalDataRegistry {
  private readonly providers = new Map<string, PersonalDataProvider>();

  register(provider: PersonalDataProvider): void {
    if (this.providers.has(provider.feature)) {
      throw new Error(`Personal data provider "${provider.feature}" is registered twice`);
    }
    this.providers.set(provider.feature, provider);
  }

  /** In erasure order (then by name, so exports are stable). */
  list(): PersonalDataProvider[] {
    return [...this.providers.values()].sort(
      (a, b) => (a.erasureOrder ?? 0) - (b.erasureOrder ?? 0) || a.feature.localeCompare(b.feature),
    );
  }
}

/**
 * Reads a table in keyset pages of `batch` rows by id, so a large history is never held whole: `page` gets the
 * last id seen (null first) and the page size, and answers rows ordered by id.
 */
export async function* pagedById<Row extends { id: string }>(
  page: (afterId: string | null, limit: number) => Promise<Row[]>,
  batch = 500,
): AsyncGenerator<Row> {
  let after: string | null = null;
  for (;;) {
    const rows = await page(after, batch);
    yield* rows;
    if (rows.length < batch) return;
    after = rows[rows.length - 1].id;
  }
}

/** A row of raw SQL with camelCase keys, as the rest of the API speaks. */
export function camelRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row))
    out[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = value;
  return out;
}

/** `pagedById` over one SQL query whose last two parameters are the id to start after and the limit. */
export function pagedQuery(
  query: (sql: string, params: unknown[]) => Promise<Array<Record<string, unknown>>>,
  sql: string,
  params: unknown[],
  batch = 500,
): AsyncGenerator<Record<string, unknown>> {
  // Two statements rather than `($n IS NULL OR id > $n)`, which a generic plan cannot seek on.
  const first = `SELECT * FROM (${sql}) AS page ORDER BY page.id LIMIT $${params.length + 1}`;
  const next = `SELECT * FROM (${sql}) AS page WHERE page.id > $${params.length + 1}::uuid ORDER BY page.id LIMIT $${params.length + 2}`;
  return (async function* () {
    for await (const row of pagedById(
      (afterId, take) =>
        (afterId === null ? query(first, [...params, take]) : query(next, [...params, afterId, take])) as Promise<
          Array<{ id: string }>
        >,
      batch,
    )) {
      yield camelRow(row as Record<string, unknown>);
    }
  })();
}
