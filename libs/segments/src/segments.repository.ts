import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import {
  boundedCount,
  containsPattern,
  type CursorCodec,
  type CursorPaginated,
  type KeysetOrder,
  keysetList,
  keysetPageSql,
  keysetSql,
  type ListPageRequest,
  queryBuilderList,
} from '@crescendo/platform';
import {
  LEAD_OUTPUT_COLUMNS,
  type LeadResponseDto,
  type LeadRow,
  LEADS_NEWEST_FIRST,
  liveLeadsSql,
  rowToLeadResponse,
} from '@crescendo/leads';
import { compileRuleTree, positionalParams, type SegmentRuleGroup } from './segment-rules';
import { SegmentEntity } from './segment.entity';

type Page = { codec: CursorCodec; scope: string; request: ListPageRequest };

/**
 * The segments table, and the segments' reads of leads. A rule tree compiles to a SQL condition over the leads
 * columns that `segmentFields` documents; it is composed here with the leads feature's query interface
 * (`liveLeadsSql`, `LEAD_OUTPUT_COLUMNS`, `rowToLeadResponse` from @crescendo/leads), so which leads are live
 * and what a lead looks like stay the leads feature's, and the rule language stays the segments'.
 */
@Injectable()
export class SegmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** By name (IDX_segments_list_name), the id breaking ties. */
  list(workspaceId: string, q: string | undefined, page: Page): Promise<CursorPaginated<SegmentEntity>> {
    const qb = this.dataSource
      .getRepository(SegmentEntity)
      .createQueryBuilder('s')
      .where('s.workspaceId = :workspaceId', { workspaceId });
    if (q) qb.andWhere('s.name ILIKE :pattern', { pattern: containsPattern(q) });
    return queryBuilderList(qb, { ...page, order: { columns: ['s.name', 's.id'], descending: false }, map: (s) => s });
  }

  find(workspaceId: string, id: string): Promise<SegmentEntity | null> {
    return this.dataSource.getRepository(SegmentEntity).findOne({ where: { id, workspaceId } });
  }

  create(values: Partial<SegmentEntity>): SegmentEntity {
    return this.dataSource.getRepository(SegmentEntity).create(values);
  }

  save(segment: SegmentEntity): Promise<SegmentEntity> {
    return this.dataSource.getRepository(SegmentEntity).save(segment);
  }

  async delete(workspaceId: string, id: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(SegmentEntity).delete({ id, workspaceId });
    return !!result.affected;
  }

  /** Those of `ids` that are segments of the workspace (`manager`: the caller's transaction). */
  async knownIds(
    workspaceId: string,
    ids: string[],
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `SELECT id FROM segments WHERE workspace_id = $1 AND id = ANY($2::uuid[])`,
      [workspaceId, ids],
    );
    return rows.map((r) => r.id);
  }

  /** The custom field keys the workspace's live leads use (at most 200), for rule forms. */
  async customFieldKeys(workspaceId: string): Promise<string[]> {
    const rows: { key: string }[] = await this.dataSource.query(
      `SELECT DISTINCT jsonb_object_keys(l.custom_fields) AS key FROM ${liveLeadsSql('$1')}
          AND l.custom_fields <> '{}'::jsonb
        ORDER BY key LIMIT 200`,
      [workspaceId],
    );
    return rows.map((r) => r.key);
  }

  /** The live leads matching a tree (all live leads without one), newest first, by cursor or page, bounded total. */
  matchingLeads(
    workspaceId: string,
    rules: SegmentRuleGroup,
    search: string | undefined,
    page: Page,
  ): Promise<CursorPaginated<LeadResponseDto>> {
    const { where, params } = this.condition(workspaceId, rules, search);
    const order: KeysetOrder = LEADS_NEWEST_FIRST;
    return keysetList({
      ...page,
      order,
      fetch: async (position, take, offset) => {
        const seek = keysetSql(order, position, params.length + 1);
        const values = [...params, ...seek.params, take, offset];
        const rows = (await this.dataSource.query(
          keysetPageSql({
            from: `${where}${seek.where ? ` AND ${seek.where}` : ''}`,
            alias: 'l',
            outputs: LEAD_OUTPUT_COLUMNS,
            order,
            orderBy: seek.orderBy,
            paging: `LIMIT $${values.length - 1} OFFSET $${values.length}`,
          }),
          values,
        )) as (LeadRow & { cursor_key: (string | number)[] })[];
        return rows.map(({ cursor_key, ...row }) => ({ row, key: cursor_key }));
      },
      count: () => boundedCount((text, values) => this.query(text, values), where, params),
      map: rowToLeadResponse,
    });
  }

  /** Ids of the live leads matching a tree (every live lead without one), newest first, at most `limit`. */
  async matchingLeadIds(workspaceId: string, rules: SegmentRuleGroup | null, limit: number): Promise<string[]> {
    const { where, params } = this.condition(workspaceId, rules);
    const rows = (await this.dataSource.query(
      `SELECT l.id FROM ${where} ORDER BY l.created_at DESC, l.id DESC LIMIT $${params.length + 1}`,
      [...params, limit],
    )) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async matches(workspaceId: string, rules: SegmentRuleGroup | null, leadId: string): Promise<boolean> {
    const { where, params } = this.condition(workspaceId, rules);
    const rows = (await this.dataSource.query(`SELECT 1 FROM ${where} AND l.id = $${params.length + 1} LIMIT 1`, [
      ...params,
      leadId,
    ])) as unknown[];
    return rows.length > 0;
  }

  /**
   * How many live leads a tree matches, bounded as list totals are (see boundedCount): exact up to 10 000, beyond
   * it the planner's estimate, flagged. The verdict is remembered a few seconds, so a page of large segments
   * reads no leads at all and a small one counts at most cap + 1 rows.
   */
  countMatching(workspaceId: string, tree: SegmentRuleGroup): Promise<{ total: number; totalIsEstimate: boolean }> {
    const { where, params } = this.condition(workspaceId, tree);
    return boundedCount((text, values) => this.query(text, values), where, params);
  }

  /** `FROM … WHERE` of the workspace's live leads matching the tree (and the search), with its parameters. */
  private condition(workspaceId: string, rules: SegmentRuleGroup | null, search?: string) {
    const params = positionalParams(1);
    let where = liveLeadsSql('$1');
    if (rules) where += ` AND ${compileRuleTree(rules, params.bind, 'l')}`;
    if (search) {
      const pattern = params.bind(containsPattern(search));
      where += ` AND (l.name ILIKE ${pattern} OR l.email ILIKE ${pattern})`;
    }
    return { where, params: [workspaceId, ...params.values] };
  }

  private query(text: string, values: unknown[]) {
    return this.dataSource.query(text, values).then((rows: Record<string, unknown>[]) => ({ rows }));
  }
}
