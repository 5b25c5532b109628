import { Injectable } from '@nestjs/common';
import { CampaignsService } from '@crescendo/campaigns';
import {
  AppConfig,
  assertAllowedOutgoingUrl,
  referenceNotFound,
  badRequest,
  conflict,
  cronProblem,
  CursorCodec,
  cursorPageMetadata,
  ErrorDetail,
  notFound,
  pageSizeRequest,
  Principal,
} from '@crescendo/platform';
import { assertValidRuleTree, SegmentRuleGroup, SegmentsService } from '@crescendo/segments';
import { AutomationRuleEntity } from './automation-rule.entity';
import {
  AutomationAction,
  AutomationActionType,
  AutomationStatus,
  AutomationTrigger,
  AutomationTriggerType,
} from './automation.types';
import { AutomationRepository } from './automation.repository';
import { AutomationScheduler } from './automation-scheduler';
import {
  AutomationActionDto,
  AutomationRuleDto,
  AutomationRuleListResponseDto,
  AutomationRuleResponseDto,
  AutomationRunListResponseDto,
  AutomationTriggerDto,
  CreateAutomationRuleDto,
  ListAutomationRulesQueryDto,
  ListAutomationRunsQueryDto,
  SetAutomationStatusDto,
  UpdateAutomationRuleDto,
} from './automation.dto';

/** The fields each action keeps; anything else sent with it is dropped. */
const actionFields: Record<AutomationActionType, (keyof AutomationAction)[]> = {
  [AutomationActionType.AddTag]: ['tag'],
  [AutomationActionType.RemoveTag]: ['tag'],
  [AutomationActionType.ChangeStatus]: ['status'],
  [AutomationActionType.SetScore]: ['score'],
  [AutomationActionType.EnrollInCampaign]: ['campaignId'],
  [AutomationActionType.CallWebhook]: ['url'],
  [AutomationActionType.Notify]: ['channel', 'subject', 'message'],
};

/** Automation rules (/api/marketing/automation): CRUD, activation, and their run log. */
@Injectable()
export class AutomationService {
  constructor(
    private readonly config: AppConfig,
    private readonly scheduler: AutomationScheduler,
    private readonly campaigns: CampaignsService,
    private readonly segments: SegmentsService,
    private readonly cursors: CursorCodec,
    private readonly repository: AutomationRepository,
  ) {}

  /** Newest first, by cursor or page/pageSize, with a bounded total. */
  async list(workspaceId: string, query: ListAutomationRulesQueryDto): Promise<AutomationRuleListResponseDto> {
    const page = await this.repository.listRules(
      workspaceId,
      { status: query.status, triggerType: query.triggerType },
      { codec: this.cursors, scope: `${workspaceId}:automation-rules:createdAt:desc`, request: pageSizeRequest(query) },
    );
    return { success: true, data: page.data.map(toRuleDto), metadata: cursorPageMetadata(page.pagination) };
  }

  async get(workspaceId: string, id: string): Promise<AutomationRuleResponseDto> {
    return { success: true, data: toRuleDto(await this.find(workspaceId, id)) };
  }

  async create(principal: Principal, dto: CreateAutomationRuleDto): Promise<AutomationRuleResponseDto> {
    const trigger = normalizeTrigger(dto.trigger);
    const conditions = normalizeConditions(dto.conditions);
    await this.assertWebhookUrls(dto.actions);
    await this.assertReferences(principal.workspaceId, dto.actions, conditions);
    const rule = await this.save(
      this.repository.createRule({
        workspaceId: principal.workspaceId,
        name: dto.name,
        description: dto.description ?? null,
        status: dto.status ?? AutomationStatus.Active,
        triggerType: trigger.type,
        trigger,
        conditions,
        actions: dto.actions.map(normalizeAction),
        createdById: principal.userId || null,
      }),
    );
    await this.scheduler.sync(rule);
    return { success: true, data: toRuleDto(rule) };
  }

  async update(principal: Principal, id: string, dto: UpdateAutomationRuleDto): Promise<AutomationRuleResponseDto> {
    const trigger = dto.trigger !== undefined ? normalizeTrigger(dto.trigger) : undefined;
    const conditions = dto.conditions !== undefined ? normalizeConditions(dto.conditions) : undefined;
    const rule = await this.find(principal.workspaceId, id);
    if (dto.actions) await this.assertWebhookUrls(dto.actions);
    await this.assertReferences(principal.workspaceId, dto.actions, conditions);
    if (dto.name !== undefined) rule.name = dto.name;
    if (dto.description !== undefined) rule.description = dto.description;
    if (trigger) Object.assign(rule, { trigger, triggerType: trigger.type });
    if (conditions !== undefined) rule.conditions = conditions;
    if (dto.actions !== undefined) rule.actions = dto.actions.map(normalizeAction);
    if (dto.status !== undefined) applyStatus(rule, dto.status);
    const saved = await this.save(rule);
    await this.scheduler.sync(saved);
    return { success: true, data: toRuleDto(saved) };
  }

  async setStatus(principal: Principal, id: string, dto: SetAutomationStatusDto): Promise<AutomationRuleResponseDto> {
    const rule = await this.find(principal.workspaceId, id);
    applyStatus(rule, dto.status);
    const saved = await this.repository.saveRule(rule);
    await this.scheduler.sync(saved);
    return { success: true, data: toRuleDto(saved) };
  }

  async remove(principal: Principal, id: string): Promise<void> {
    const rule = await this.find(principal.workspaceId, id);
    await this.repository.deleteRule(rule.id);
    await this.scheduler.remove(rule.id);
  }

  /** The rule's runs, newest first, by cursor or page/pageSize, with a bounded total. */
  async listRuns(
    workspaceId: string,
    id: string,
    query: ListAutomationRunsQueryDto,
  ): Promise<AutomationRunListResponseDto> {
    const rule = await this.find(workspaceId, id);
    const page = await this.repository.listRuns(workspaceId, rule.id, query.status, {
      codec: this.cursors,
      // The rule is part of the scope: a cursor of one rule's log is refused by another's.
      scope: `${workspaceId}:automation-runs:${rule.id}:createdAt:desc`,
      request: pageSizeRequest(query),
    });
    return { success: true, data: page.data, metadata: cursorPageMetadata(page.pagination) };
  }

  /** A call_webhook URL passes the SSRF guard before it is stored (and again each time it is called). */
  private async assertWebhookUrls(actions: AutomationActionDto[]): Promise<void> {
    for (const [index, action] of actions.entries()) {
      if (action.type !== AutomationActionType.CallWebhook || !action.url) continue;
      await assertAllowedOutgoingUrl(action.url, this.config.env.WEBHOOKS_ALLOW_PRIVATE_URLS, `actions.${index}.url`);
    }
  }

  /**
   * Every id the rule names must be the workspace's: enroll_in_campaign campaigns and the niches and owners
   * of the conditions (404 CAMPAIGN_NOT_FOUND, NICHE_NOT_FOUND, OWNER_NOT_MEMBER, nothing stored).
   */
  private async assertReferences(
    workspaceId: string,
    actions: AutomationActionDto[] | undefined,
    conditions: SegmentRuleGroup | null | undefined,
  ): Promise<void> {
    const campaignIds = [
      ...new Set(
        (actions ?? []).flatMap((a) => (a.type === AutomationActionType.EnrollInCampaign ? [a.campaignId!] : [])),
      ),
    ];
    const missing = campaignIds.length ? await this.campaigns.missingIds(workspaceId, campaignIds) : [];
    if (missing.length) throw referenceNotFound('CAMPAIGN_NOT_FOUND', 'actions.campaignId', 'campaign', missing);
    if (conditions) await this.segments.assertRuleReferences(workspaceId, conditions, 'conditions');
  }

  private async find(workspaceId: string, id: string): Promise<AutomationRuleEntity> {
    const rule = await this.repository.findRule(workspaceId, id);
    if (!rule) throw notFound('AUTOMATION_RULE_NOT_FOUND', 'Automation rule not found in this workspace');
    return rule;
  }

  private async save(rule: AutomationRuleEntity): Promise<AutomationRuleEntity> {
    try {
      return await this.repository.saveRule(rule);
    } catch (error) {
      const pg = error as { code?: string; constraint?: string; driverError?: { constraint?: string } };
      if (
        pg.code === '23505' &&
        (pg.constraint ?? pg.driverError?.constraint) === 'UQ_automation_rules_workspace_name'
      ) {
        throw conflict('AUTOMATION_RULE_NAME_TAKEN', 'Another automation rule of this workspace has this name', [
          { field: 'name', message: 'already used in this workspace' },
        ]);
      }
      throw error;
    }
  }
}

/** Activating starts afresh (failures forgotten); pausing by hand says so. */
function applyStatus(rule: AutomationRuleEntity, status: AutomationStatus): void {
  if (status === AutomationStatus.Active) {
    rule.consecutiveFailures = 0;
    rule.pausedReason = null;
  } else if (rule.status !== AutomationStatus.Paused) {
    rule.pausedReason = 'Paused by a user';
  }
  rule.status = status;
}

/** Keeps only the options of the trigger's type; 400 INVALID_AUTOMATION_TRIGGER for one that does not fit. */
function normalizeTrigger(dto: AutomationTriggerDto): AutomationTrigger {
  const problems: ErrorDetail[] = [];
  const allowed: Record<AutomationTriggerType, (keyof AutomationTrigger)[]> = {
    [AutomationTriggerType.LeadCreated]: [],
    [AutomationTriggerType.LeadStatusChanged]: ['from', 'to'],
    [AutomationTriggerType.LeadTagAdded]: ['tag'],
    [AutomationTriggerType.WebhookReceived]: [],
    [AutomationTriggerType.Schedule]: ['cron'],
  };
  for (const key of ['from', 'to', 'tag', 'cron'] as const) {
    if (dto[key] !== undefined && !allowed[dto.type].includes(key))
      problems.push({ field: `trigger.${key}`, message: `not an option of ${dto.type}` });
  }
  if (dto.type === AutomationTriggerType.Schedule) {
    const problem = dto.cron === undefined ? 'required for a schedule trigger' : cronProblem(dto.cron);
    if (problem) problems.push({ field: 'trigger.cron', message: problem });
  }
  if (problems.length)
    throw badRequest(
      'INVALID_AUTOMATION_TRIGGER',
      `Invalid trigger: ${problems.map((p) => p.field).join(', ')}`,
      problems,
    );
  const trigger: AutomationTrigger = { type: dto.type };
  for (const key of allowed[dto.type]) if (dto[key] !== undefined) Object.assign(trigger, { [key]: dto[key] });
  if (trigger.cron) trigger.cron = trigger.cron.trim().replace(/\s+/g, ' ');
  return trigger;
}

function normalizeConditions(conditions: unknown): SegmentRuleGroup | null {
  if (conditions === null || conditions === undefined) return null;
  assertValidRuleTree(conditions, 'conditions');
  return conditions;
}

function normalizeAction(dto: AutomationActionDto): AutomationAction {
  const action: AutomationAction = { type: dto.type };
  for (const key of actionFields[dto.type]) if (dto[key] !== undefined) Object.assign(action, { [key]: dto[key] });
  return action;
}

export function toRuleDto(rule: AutomationRuleEntity): AutomationRuleDto {
  return {
    id: rule.id,
    name: rule.name,
    description: rule.description,
    status: rule.status,
    trigger: rule.trigger,
    conditions: rule.conditions,
    actions: rule.actions,
    consecutiveFailures: rule.consecutiveFailures,
    pausedReason: rule.pausedReason,
    lastRunAt: rule.lastRunAt?.toISOString() ?? null,
    createdById: rule.createdById,
    createdAt: rule.createdAt.toISOString(),
    updatedAt: rule.updatedAt.toISOString(),
  };
}
