import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { Job } from 'bullmq';
import { DataSource, Repository } from 'typeorm';
import {
  AppConfig,
  AppException,
  DomainEvent,
  JobName,
  JobPayloads,
  jobQueues,
  MailService,
  OnDomainEvent,
  OnJob,
  Principal,
  QueueRegistry,
  safePost,
  SIGNATURE_HEADER,
  signatureHeader,
} from '@crescendo/platform';
import { AuditService, LogLevel, LogType } from '@crescendo/audit';
import { CampaignLeadsService } from '@crescendo/campaigns';
import { MembershipEntity, MembershipStatus } from '@crescendo/identity';
import { LeadEntity, LeadEventType, LeadResponseDto, LeadsService, toLeadResponse } from '@crescendo/leads';
import { SegmentsService } from '@crescendo/segments';
import { WorkspaceSettingsService } from '@crescendo/settings';
import {
  AUTOMATION_MAX_CONSECUTIVE_FAILURES,
  AutomationAction,
  AutomationActionType,
  AutomationRuleEntity,
  AutomationStatus,
  AutomationTrigger,
  AutomationTriggerType,
} from './automation-rule.entity';
import { AutomationActionResult, AutomationRunEntity, AutomationRunStatus } from './automation-run.entity';
import { AutomationScheduler } from './automation-scheduler';

/**
 * How many rules deep a chain may go: an event caused by a rule at this depth triggers no rule, so two rules
 * that undo each other stop after a few runs instead of looping forever.
 */
export const AUTOMATION_MAX_DEPTH = 3;
/** Leads one schedule tick runs a rule on (newest first); the rest wait for the next tick. */
export const AUTOMATION_SCHEDULE_MAX_LEADS = 10_000;
const WEBHOOK_TIMEOUT_MS = 10_000;

type RunPayload = JobPayloads[JobName.AutomationRunRule];

const eventTriggers = new Set<string>([
  AutomationTriggerType.LeadCreated,
  AutomationTriggerType.LeadStatusChanged,
  AutomationTriggerType.LeadTagAdded,
  AutomationTriggerType.WebhookReceived,
]);

/** Whether a rule's trigger options (from/to, tag) accept this event. */
export function triggerAccepts(trigger: AutomationTrigger, event: Pick<DomainEvent, 'type' | 'data'>): boolean {
  if (trigger.type !== (event.type as string)) return false;
  if (trigger.type === AutomationTriggerType.LeadStatusChanged) {
    return (!trigger.from || event.data.from === trigger.from) && (!trigger.to || event.data.to === trigger.to);
  }
  if (trigger.type === AutomationTriggerType.LeadTagAdded && trigger.tag) {
    return Array.isArray(event.data.tags) && event.data.tags.includes(trigger.tag);
  }
  return true;
}

class ActionError extends Error {}

/** Which rule and action are at work, and how deep the chain of rules is (for the events they cause). */
interface AutomationContext {
  ruleId: string;
  action: string;
  depth: number;
}

/** The lead's timeline entry for an action: type automation, naming the rule. */
const automationNote = (context: AutomationContext, data: Record<string, unknown>) => ({
  type: LeadEventType.Automation,
  data: { ruleId: context.ruleId, action: context.action, ...data },
});

/** Worker side of automation: picks the rules an event triggers, runs them, logs each run. */
@Injectable()
export class AutomationRunner {
  private readonly logger = new Logger(AutomationRunner.name);

  constructor(
    private readonly config: AppConfig,
    private readonly queues: QueueRegistry,
    private readonly leads: LeadsService,
    private readonly campaignLeads: CampaignLeadsService,
    private readonly segments: SegmentsService,
    private readonly settings: WorkspaceSettingsService,
    private readonly mail: MailService,
    private readonly audit: AuditService,
    private readonly scheduler: AutomationScheduler,
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(AutomationRuleEntity) private readonly rules: Repository<AutomationRuleEntity>,
    @InjectRepository(AutomationRunEntity) private readonly runs: Repository<AutomationRunEntity>,
  ) {}

  /** Quick and idempotent: one indexed query, then one job per rule whose id is derived from the event. */
  @OnDomainEvent()
  async onDomainEvent(event: DomainEvent): Promise<void> {
    if (!eventTriggers.has(event.type) || (event.cause?.depth ?? 0) >= AUTOMATION_MAX_DEPTH) return;
    const candidates = await this.rules.find({
      where: {
        workspaceId: event.workspaceId,
        triggerType: event.type as unknown as AutomationTriggerType,
        status: AutomationStatus.Active,
      },
      select: { id: true, trigger: true },
    });
    const leadId = typeof event.data.leadId === 'string' ? event.data.leadId : null;
    for (const rule of candidates.filter((r) => triggerAccepts(r.trigger, event))) {
      await this.queues.enqueue(
        JobName.AutomationRunRule,
        { workspaceId: event.workspaceId, ruleId: rule.id, leadId, event },
        { jobId: `automation-run.${rule.id}.${event.id}` },
      );
    }
  }

  /** A schedule tick: the rule's run for every lead matching its conditions, one job per lead. */
  @OnJob(JobName.AutomationScheduledRule)
  async runScheduled(
    data: JobPayloads[JobName.AutomationScheduledRule],
    job?: Pick<Job, 'id' | 'timestamp'>,
  ): Promise<{ leads: number }> {
    const rule = await this.rules.findOne({ where: { id: data.ruleId, workspaceId: data.workspaceId } });
    if (!rule || rule.status !== AutomationStatus.Active || rule.trigger.type !== AutomationTriggerType.Schedule) {
      // A tick left over from a rule paused or deleted meanwhile.
      if (!rule) await this.scheduler.remove(data.ruleId);
      return { leads: 0 };
    }
    const tick = String(job?.id ?? Date.now()).replace(/[^A-Za-z0-9_-]/g, '-');
    const occurredAt = new Date(job?.timestamp ?? Date.now()).toISOString();
    const qb = rule.conditions
      ? this.segments.matchingLeads(rule.workspaceId, rule.conditions)
      : this.dataSource.getRepository(LeadEntity).createQueryBuilder('l').where('l.workspaceId = :workspaceId', {
          workspaceId: rule.workspaceId,
        });
    const rows = await qb
      .select('l.id', 'id')
      .orderBy('l.created_at', 'DESC')
      .limit(AUTOMATION_SCHEDULE_MAX_LEADS)
      .getRawMany<{ id: string }>();
    const queue = this.queues.get(jobQueues[JobName.AutomationRunRule]);
    for (let i = 0; i < rows.length; i += 500) {
      await queue.addBulk(
        rows.slice(i, i + 500).map(({ id: leadId }) => {
          const eventId = `schedule-${tick}-${leadId}`;
          const payload: RunPayload = {
            workspaceId: rule.workspaceId,
            ruleId: rule.id,
            leadId,
            event: {
              id: eventId,
              type: AutomationTriggerType.Schedule as unknown as DomainEvent['type'],
              workspaceId: rule.workspaceId,
              occurredAt,
              actorUserId: null,
              data: { leadId, cron: rule.trigger.cron },
            },
          };
          return {
            name: JobName.AutomationRunRule,
            data: payload,
            opts: { jobId: `automation-run.${rule.id}.${eventId}` },
          };
        }),
      );
    }
    return { leads: rows.length };
  }

  /**
   * One rule, one trigger, one lead: conditions, then the actions in order, stopping at the first failure.
   * Logged once per (rule, event); a failure counts towards the auto-pause and is not retried by the queue.
   */
  @OnJob(JobName.AutomationRunRule)
  async runRule(data: RunPayload): Promise<{ status: AutomationRunStatus | 'duplicate' }> {
    const { event, leadId } = data;
    const rule = await this.rules.findOne({ where: { id: data.ruleId, workspaceId: data.workspaceId } });
    if (!rule) return { status: AutomationRunStatus.Skipped };
    if (await this.runs.exists({ where: { ruleId: rule.id, triggerEventId: event.id } }))
      return { status: 'duplicate' };

    const started = Date.now();
    const done: AutomationActionResult[] = [];
    let status = AutomationRunStatus.Succeeded;
    let error: string | null = null;
    const skip = await this.skipReason(rule, data);
    if (skip) {
      status = AutomationRunStatus.Skipped;
      error = skip;
    } else {
      const context: AutomationContext = { ruleId: rule.id, action: '', depth: (event.cause?.depth ?? 0) + 1 };
      for (const action of rule.actions) {
        try {
          done.push(await this.perform(rule, action, { ...context, action: action.type }, data));
        } catch (cause) {
          status = AutomationRunStatus.Failed;
          error = `${action.type}: ${(cause as Error).message}`.slice(0, 2000);
          // A refused or failing action is the rule's problem, shown in its run log; log only the unexpected.
          if (!(cause instanceof ActionError) && !(cause instanceof AppException)) {
            this.logger.warn({ err: cause, ruleId: rule.id, eventId: event.id }, 'Automation action failed');
          }
          break;
        }
      }
    }
    const inserted = await this.runs
      .createQueryBuilder()
      .insert()
      .values({
        workspaceId: rule.workspaceId,
        ruleId: rule.id,
        triggerEventId: event.id,
        triggerType: event.type,
        leadId,
        status,
        actionsDone: done,
        error,
        durationMs: Date.now() - started,
      })
      .orIgnore()
      .execute();
    if (inserted.identifiers.length && status !== AutomationRunStatus.Skipped) await this.countOutcome(rule, status);
    return { status };
  }

  private async skipReason(
    rule: AutomationRuleEntity,
    { event, leadId, workspaceId }: RunPayload,
  ): Promise<string | null> {
    if (rule.status !== AutomationStatus.Active) return 'rule is paused';
    if ((event.cause?.depth ?? 0) >= AUTOMATION_MAX_DEPTH) return `chain of rules deeper than ${AUTOMATION_MAX_DEPTH}`;
    if (!leadId) return rule.conditions ? 'conditions need a lead and the event names none' : null;
    if (rule.conditions) {
      return (await this.segments.matches(workspaceId, rule.conditions, leadId)) ? null : 'conditions not met';
    }
    const exists = await this.dataSource.getRepository(LeadEntity).exists({ where: { id: leadId, workspaceId } });
    return exists ? null : 'lead not found (deleted)';
  }

  /** Success forgets earlier failures; the 5th failure in a row pauses the rule (and its schedule). */
  private async countOutcome(rule: AutomationRuleEntity, status: AutomationRunStatus): Promise<void> {
    if (status === AutomationRunStatus.Succeeded) {
      await this.rules.update({ id: rule.id }, { consecutiveFailures: 0, lastRunAt: new Date() });
      return;
    }
    // Only failures while the rule is active count: runs already in flight when it paused do not.
    const [rows] = (await this.dataSource.query(
      `UPDATE automation_rules
          SET consecutive_failures = consecutive_failures + 1, last_run_at = now(),
              status = CASE WHEN consecutive_failures + 1 >= $2 THEN 'paused' ELSE status END,
              paused_reason = CASE WHEN consecutive_failures + 1 >= $2 THEN $3 ELSE paused_reason END
        WHERE id = $1 AND status = 'active'
        RETURNING status`,
      [
        rule.id,
        AUTOMATION_MAX_CONSECUTIVE_FAILURES,
        `Paused after ${AUTOMATION_MAX_CONSECUTIVE_FAILURES} failed runs in a row`,
      ],
    )) as [{ status: string }[], number];
    if (rows[0]?.status === AutomationStatus.Paused) {
      await this.scheduler.remove(rule.id);
      await this.audit.record({
        type: LogType.System,
        level: LogLevel.Warn,
        action: 'automation_rule_paused',
        message: `Automation rule ${rule.name} paused after ${AUTOMATION_MAX_CONSECUTIVE_FAILURES} failed runs in a row`,
        workspaceId: rule.workspaceId,
        metadata: { ruleId: rule.id },
      });
    }
  }

  private async perform(
    rule: AutomationRuleEntity,
    action: AutomationAction,
    context: AutomationContext,
    { workspaceId, leadId, event }: RunPayload,
  ): Promise<AutomationActionResult> {
    const principal: Principal = { kind: 'user', userId: '', workspaceId, role: null, permissions: [] };
    const lead = leadId ? await this.currentLead(workspaceId, leadId) : null;
    const needLead = () => {
      if (!lead) throw new ActionError('needs a lead and the trigger names none');
      return lead;
    };
    const change = async (dto: Parameters<LeadsService['update']>[2], unchanged: boolean, detail: string) => {
      if (unchanged) return { type: action.type, outcome: 'unchanged' as const, detail };
      // The usual updated/status_changed entries, plus one naming the rule; events carry the cause.
      await this.leads.update(principal, needLead().id, dto, automationNote(context, { ...dto }), {
        cause: { automationRuleId: context.ruleId, depth: context.depth },
      });
      return { type: action.type, outcome: 'done' as const, detail };
    };
    switch (action.type) {
      case AutomationActionType.AddTag:
      case AutomationActionType.RemoveTag: {
        const tag = action.tag!;
        const changed = await this.leads.changeTag(
          principal,
          needLead().id,
          action.type === AutomationActionType.AddTag ? { add: tag } : { remove: tag },
          automationNote(context, { tag }),
          { cause: { automationRuleId: context.ruleId, depth: context.depth } },
        );
        return { type: action.type, outcome: changed ? 'done' : 'unchanged', detail: tag };
      }
      case AutomationActionType.ChangeStatus:
        return change({ status: action.status }, needLead().status === action.status, action.status!);
      case AutomationActionType.SetScore:
        return change({ score: action.score }, needLead().score === action.score, String(action.score));
      case AutomationActionType.EnrollInCampaign: {
        // CampaignLeadsService writes the enrolled event; the automation entry says which rule did it.
        const { enrolled } = await this.campaignLeads.enroll(principal, action.campaignId!, {
          leadIds: [needLead().id],
        });
        await this.leads.addNote(
          workspaceId,
          lead!.id,
          automationNote(context, { campaignId: action.campaignId, enrolled: enrolled > 0 }),
        );
        return { type: action.type, outcome: enrolled ? 'done' : 'unchanged', detail: action.campaignId };
      }
      case AutomationActionType.CallWebhook: {
        const status = await this.callWebhook(rule, action.url!, event, lead);
        if (lead) await this.leads.addNote(workspaceId, lead.id, automationNote(context, { url: action.url, status }));
        return { type: action.type, outcome: 'done', detail: `HTTP ${status}` };
      }
      case AutomationActionType.Notify: {
        const detail = await this.notify(rule, action, lead, event);
        if (lead)
          await this.leads.addNote(workspaceId, lead.id, automationNote(context, { channel: action.channel, detail }));
        return { type: action.type, outcome: 'done', detail };
      }
    }
    throw new ActionError(`unknown action ${(action as AutomationAction).type}`);
  }

  private async currentLead(workspaceId: string, leadId: string): Promise<LeadResponseDto | null> {
    const lead = await this.dataSource.getRepository(LeadEntity).findOne({ where: { id: leadId, workspaceId } });
    return lead ? toLeadResponse(lead) : null;
  }

  /** Signed like every outgoing delivery: x-crescendo-signature with the workspace signing secret. */
  private async callWebhook(
    rule: AutomationRuleEntity,
    url: string,
    event: DomainEvent,
    lead: LeadResponseDto | null,
  ): Promise<number> {
    const { webhookSigningSecret } = await this.settings.resolveIntegrations(rule.workspaceId);
    if (!webhookSigningSecret) {
      throw new ActionError('no webhook signing secret is set (PUT /api/settings/integrations webhookSigningSecret)');
    }
    const body = JSON.stringify({
      type: 'automation.webhook',
      rule: { id: rule.id, name: rule.name },
      trigger: { type: event.type, eventId: event.id, occurredAt: event.occurredAt },
      lead,
      // Without a lead, the event's own data is what the receiver can act on.
      data: lead ? undefined : event.data,
      sentAt: new Date().toISOString(),
    });
    const result = await safePost(
      url,
      body,
      { [SIGNATURE_HEADER]: signatureHeader(webhookSigningSecret, body), 'user-agent': 'Crescendo-Automation/1' },
      { allowPrivate: this.config.env.WEBHOOKS_ALLOW_PRIVATE_URLS, timeoutMs: WEBHOOK_TIMEOUT_MS },
    );
    if (result.status < 200 || result.status >= 300) throw new ActionError(`${url} answered HTTP ${result.status}`);
    return result.status;
  }

  private async notify(
    rule: AutomationRuleEntity,
    action: AutomationAction,
    lead: LeadResponseDto | null,
    event: DomainEvent,
  ): Promise<string> {
    const values: Record<string, string> = {
      'lead.name': lead?.name ?? '',
      'lead.email': lead?.email ?? '',
      'lead.status': lead?.status ?? '',
      'rule.name': rule.name,
    };
    const fill = (text: string) => text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (all, key: string) => values[key] ?? all);
    const message = fill(action.message!);
    if (action.channel === 'audit') {
      await this.audit.record({
        type: LogType.System,
        action: 'automation_notify',
        message,
        workspaceId: rule.workspaceId,
        metadata: { ruleId: rule.id, leadId: lead?.id ?? null, eventId: event.id },
      });
      return 'audit log entry';
    }
    const members = (await this.dataSource
      .getRepository(MembershipEntity)
      .createQueryBuilder('m')
      .innerJoin('m.user', 'u')
      .select('u.email', 'email')
      .where('m.workspaceId = :workspaceId', { workspaceId: rule.workspaceId })
      .andWhere('m.status = :status', { status: MembershipStatus.Active })
      .getRawMany()) as { email: string }[];
    const subject = fill(action.subject || `Automation: ${rule.name}`);
    for (const { email } of members) {
      await this.mail.send({
        workspaceId: rule.workspaceId,
        to: email,
        subject,
        text: message,
        template: 'automation-notify',
      });
    }
    return `e-mail to ${members.length} member(s)`;
  }
}
