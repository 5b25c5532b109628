import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { type DomainEvent, jobQueue, OnDomainEvent, OnJob, QueueRegistry } from '@crescendo/platform';
import { LeadsEvents } from '@crescendo/leads';
import { WebhooksEvents } from '@crescendo/webhooks';
import { SegmentsService } from '@crescendo/segments';
import type { RunPayload } from './actions';
import { AutomationStatus, AutomationTrigger, AutomationTriggerType } from './automation.types';
import { AutomationRepository } from './automation.repository';
import { AutomationScheduler } from './automation-scheduler';
import {
  type AutomationEventName,
  automationEvents,
  AutomationJobs,
  AutomationScheduledRulePayload,
} from './automation.jobs';

/**
 * How many rules deep a chain may go: an event caused by a rule at this depth triggers no rule, so two rules
 * that undo each other stop after a few runs instead of looping forever.
 */
export const AUTOMATION_MAX_DEPTH = 3;
/** Leads one schedule tick runs a rule on (newest first); the rest wait for the next tick. */
export const AUTOMATION_SCHEDULE_MAX_LEADS = 10_000;

/** The trigger type of the rules each event triggers. */
const triggerOf: Record<AutomationEventName, AutomationTriggerType> = {
  [LeadsEvents.LeadCreated]: AutomationTriggerType.LeadCreated,
  [LeadsEvents.LeadStatusChanged]: AutomationTriggerType.LeadStatusChanged,
  [LeadsEvents.LeadTagAdded]: AutomationTriggerType.LeadTagAdded,
  [WebhooksEvents.WebhookReceived]: AutomationTriggerType.WebhookReceived,
};

/** Whether a rule's trigger options (from/to, tag) accept this event. */
export function triggerAccepts(trigger: AutomationTrigger, event: DomainEvent<AutomationEventName>): boolean {
  if (trigger.type !== triggerOf[event.type]) return false;
  if (event.type === LeadsEvents.LeadStatusChanged) {
    return (!trigger.from || event.data.from === trigger.from) && (!trigger.to || event.data.to === trigger.to);
  }
  if (event.type === LeadsEvents.LeadTagAdded && trigger.tag) return event.data.tags.includes(trigger.tag);
  return true;
}

/** Which rules a domain event or a schedule tick triggers: one AutomationRunRule job per rule and lead. */
@Injectable()
export class AutomationFanOut {
  constructor(
    private readonly queues: QueueRegistry,
    private readonly segments: SegmentsService,
    private readonly scheduler: AutomationScheduler,
    private readonly repository: AutomationRepository,
  ) {}

  /** Quick and idempotent: one indexed query, then one job per rule whose id is derived from the event. */
  @OnDomainEvent(...automationEvents)
  async onDomainEvent(event: DomainEvent<AutomationEventName>): Promise<void> {
    if ((event.cause?.depth ?? 0) >= AUTOMATION_MAX_DEPTH) return;
    const candidates = await this.repository.activeRulesFor(event.workspaceId, triggerOf[event.type]);
    const leadId = event.data.leadId ?? null;
    for (const rule of candidates.filter((r) => triggerAccepts(r.trigger, event))) {
      await this.queues.enqueue(
        AutomationJobs.AutomationRunRule,
        { workspaceId: event.workspaceId, ruleId: rule.id, leadId, event },
        { jobId: `automation-run.${rule.id}.${event.id}` },
      );
    }
  }

  /** A schedule tick: the rule's run for every lead matching its conditions, one job per lead. */
  @OnJob(AutomationJobs.AutomationScheduledRule)
  async runScheduled(
    data: AutomationScheduledRulePayload,
    job?: Pick<Job, 'id' | 'timestamp'>,
  ): Promise<{ leads: number }> {
    const rule = await this.repository.findRule(data.workspaceId, data.ruleId);
    if (!rule || rule.status !== AutomationStatus.Active || rule.trigger.type !== AutomationTriggerType.Schedule) {
      // A tick left over from a rule paused or deleted meanwhile.
      if (!rule) await this.scheduler.remove(data.ruleId);
      return { leads: 0 };
    }
    const tick = String(job?.id ?? Date.now()).replace(/[^A-Za-z0-9_-]/g, '-');
    const occurredAt = new Date(job?.timestamp ?? Date.now()).toISOString();
    const leadIds = await this.segments.matchingLeadIds(
      rule.workspaceId,
      rule.conditions,
      AUTOMATION_SCHEDULE_MAX_LEADS,
    );
    const queue = this.queues.get(jobQueue(AutomationJobs.AutomationRunRule));
    for (let i = 0; i < leadIds.length; i += 500) {
      await queue.addBulk(
        leadIds.slice(i, i + 500).map((leadId) => {
          const eventId = `schedule-${tick}-${leadId}`;
          const payload: RunPayload = {
            workspaceId: rule.workspaceId,
            ruleId: rule.id,
            leadId,
            event: {
              id: eventId,
              type: AutomationTriggerType.Schedule,
              workspaceId: rule.workspaceId,
              occurredAt,
              actorUserId: null,
              data: { leadId, cron: rule.trigger.cron },
            },
          };
          return {
            name: AutomationJobs.AutomationRunRule,
            data: payload,
            opts: { jobId: `automation-run.${rule.id}.${eventId}` },
          };
        }),
      );
    }
    return { leads: leadIds.length };
  }
}
