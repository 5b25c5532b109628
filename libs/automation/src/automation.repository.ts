import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { type CursorCodec, type CursorPaginated, type ListPageRequest, queryBuilderList } from '@crescendo/platform';
import { AutomationRuleEntity } from './automation-rule.entity';
import { AutomationRunEntity } from './automation-run.entity';
import {
  AUTOMATION_MAX_CONSECUTIVE_FAILURES,
  AutomationStatus,
  type AutomationTrigger,
  type AutomationTriggerType,
  type AutomationActionResult,
  type AutomationRunStatus,
} from './automation.types';
import type { AutomationRunDto } from './automation.dto';

type Page = { codec: CursorCodec; scope: string; request: ListPageRequest };

/** The automation_rules and automation_runs tables: lists, the worker's lookups, the run log and failure count. */
@Injectable()
export class AutomationRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get rules() {
    return this.dataSource.getRepository(AutomationRuleEntity);
  }

  private get runs() {
    return this.dataSource.getRepository(AutomationRunEntity);
  }

  /** Newest first, the id breaking ties (IDX_automation_rules_list). */
  listRules(
    workspaceId: string,
    filters: { status?: AutomationStatus; triggerType?: AutomationTriggerType },
    page: Page,
  ): Promise<CursorPaginated<AutomationRuleEntity>> {
    const qb = this.rules.createQueryBuilder('r').where('r.workspaceId = :workspaceId', { workspaceId });
    if (filters.status) qb.andWhere('r.status = :status', { status: filters.status });
    if (filters.triggerType) qb.andWhere('r.triggerType = :triggerType', { triggerType: filters.triggerType });
    return queryBuilderList(qb, {
      ...page,
      order: { columns: ['r.created_at', 'r.id'], descending: true },
      map: (r) => r,
    });
  }

  /** A rule's runs, newest first, the id breaking ties (IDX_automation_runs_list). */
  listRuns(
    workspaceId: string,
    ruleId: string,
    status: AutomationRunStatus | undefined,
    page: Page,
  ): Promise<CursorPaginated<AutomationRunDto>> {
    const qb = this.runs
      .createQueryBuilder('x')
      .where('x.workspaceId = :workspaceId AND x.ruleId = :ruleId', { workspaceId, ruleId });
    if (status) qb.andWhere('x.status = :status', { status });
    return queryBuilderList(qb, {
      ...page,
      order: { columns: ['x.created_at', 'x.id'], descending: true },
      map: toRunDto,
    });
  }

  findRule(workspaceId: string, id: string): Promise<AutomationRuleEntity | null> {
    return this.rules.findOne({ where: { id, workspaceId } });
  }

  createRule(values: Partial<AutomationRuleEntity>): AutomationRuleEntity {
    return this.rules.create(values);
  }

  saveRule(rule: AutomationRuleEntity): Promise<AutomationRuleEntity> {
    return this.rules.save(rule);
  }

  async deleteRule(id: string): Promise<void> {
    await this.rules.delete({ id });
  }

  /** The workspace's active rules on this trigger type (index on workspace, trigger type, status). */
  activeRulesFor(
    workspaceId: string,
    triggerType: AutomationTriggerType,
  ): Promise<Pick<AutomationRuleEntity, 'id' | 'trigger'>[]> {
    return this.rules.find({
      where: { workspaceId, triggerType, status: AutomationStatus.Active },
      select: { id: true, trigger: true },
    }) as Promise<{ id: string; trigger: AutomationTrigger }[]>;
  }

  runExists(ruleId: string, triggerEventId: string): Promise<boolean> {
    return this.runs.exists({ where: { ruleId, triggerEventId } });
  }

  /** Logs a run once per (rule, trigger event); false when it was already logged. */
  async insertRun(run: {
    workspaceId: string;
    ruleId: string;
    triggerEventId: string;
    triggerType: string;
    leadId: string | null;
    status: AutomationRunStatus;
    actionsDone: AutomationActionResult[];
    error: string | null;
    durationMs: number;
  }): Promise<boolean> {
    const inserted = await this.runs.createQueryBuilder().insert().values(run).orIgnore().execute();
    return inserted.identifiers.length > 0;
  }

  async recordSuccess(ruleId: string): Promise<void> {
    await this.rules.update({ id: ruleId }, { consecutiveFailures: 0, lastRunAt: new Date() });
  }

  /**
   * Counts a failure while the rule is active (runs in flight when it paused do not count); the
   * AUTOMATION_MAX_CONSECUTIVE_FAILURES-th in a row pauses it. The count after this one and whether it paused
   * the rule; null when the rule was no longer active.
   */
  async recordFailure(ruleId: string): Promise<{ consecutiveFailures: number; paused: boolean } | null> {
    const [rows] = (await this.dataSource.query(
      `UPDATE automation_rules
          SET consecutive_failures = consecutive_failures + 1, last_run_at = now(),
              status = CASE WHEN consecutive_failures + 1 >= $2 THEN 'paused' ELSE status END,
              paused_reason = CASE WHEN consecutive_failures + 1 >= $2 THEN $3 ELSE paused_reason END
        WHERE id = $1 AND status = 'active'
        RETURNING status, consecutive_failures`,
      [
        ruleId,
        AUTOMATION_MAX_CONSECUTIVE_FAILURES,
        `Paused after ${AUTOMATION_MAX_CONSECUTIVE_FAILURES} failed runs in a row`,
      ],
    )) as [{ status: string; consecutive_failures: number }[], number];
    if (!rows.length) return null;
    return { consecutiveFailures: rows[0].consecutive_failures, paused: rows[0].status === AutomationStatus.Paused };
  }
}

function toRunDto(run: AutomationRunEntity): AutomationRunDto {
  return {
    id: run.id,
    ruleId: run.ruleId,
    triggerEventId: run.triggerEventId,
    triggerType: run.triggerType,
    leadId: run.leadId,
    status: run.status,
    actionsDone: run.actionsDone,
    error: run.error,
    durationMs: run.durationMs,
    createdAt: run.createdAt.toISOString(),
  };
}
