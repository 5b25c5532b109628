import { Injectable, Logger } from '@nestjs/common';
import { AppException, EventPublisher, OnJob, Principal } from '@crescendo/platform';
import { AuditService, LogLevel, LogType } from '@crescendo/audit';
import { LeadResponseDto, LeadsService } from '@crescendo/leads';
import { SegmentsService } from '@crescendo/segments';
import { ActionError, AutomationActionRegistry, type RunPayload } from './actions';
import { AutomationRuleEntity } from './automation-rule.entity';
import {
  AUTOMATION_MAX_CONSECUTIVE_FAILURES,
  AutomationStatus,
  AutomationActionResult,
  AutomationRunStatus,
} from './automation.types';
import { AUTOMATION_MAX_DEPTH } from './automation-fan-out';
import { AutomationRepository } from './automation.repository';
import { AutomationScheduler } from './automation-scheduler';
import { AutomationJobs } from './automation.jobs';
import { AutomationEvents } from './automation.events';

/** Runs one rule for one trigger: conditions, the actions in order (each by its handler), the run log. */
@Injectable()
export class AutomationExecutor {
  private readonly logger = new Logger(AutomationExecutor.name);

  constructor(
    private readonly leads: LeadsService,
    private readonly segments: SegmentsService,
    private readonly actions: AutomationActionRegistry,
    private readonly audit: AuditService,
    private readonly scheduler: AutomationScheduler,
    private readonly repository: AutomationRepository,
    private readonly events: EventPublisher,
  ) {}

  /**
   * One rule, one trigger, one lead: conditions, then the actions in order, stopping at the first failure.
   * Logged once per (rule, event); a failure counts towards the auto-pause and is not retried by the queue.
   */
  @OnJob(AutomationJobs.AutomationRunRule)
  async runRule(data: RunPayload): Promise<{ status: AutomationRunStatus | 'duplicate' }> {
    const { event, leadId } = data;
    const rule = await this.repository.findRule(data.workspaceId, data.ruleId);
    if (!rule) return { status: AutomationRunStatus.Skipped };
    if (await this.repository.runExists(rule.id, event.id)) return { status: 'duplicate' };

    const started = Date.now();
    const done: AutomationActionResult[] = [];
    let status = AutomationRunStatus.Succeeded;
    let error: string | null = null;
    const skip = await this.skipReason(rule, data);
    if (skip) {
      status = AutomationRunStatus.Skipped;
      error = skip;
    } else {
      const principal: Principal = {
        kind: 'user',
        userId: '',
        workspaceId: data.workspaceId,
        role: null,
        permissions: [],
      };
      const depth = (event.cause?.depth ?? 0) + 1;
      for (const action of rule.actions) {
        try {
          // The lead as it is now: an earlier action of the run may have changed it.
          const lead = leadId ? await this.currentLead(data.workspaceId, leadId) : null;
          done.push(await this.actions.perform({ rule, action, payload: data, principal, lead, depth }));
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
    const logged = await this.repository.insertRun({
      workspaceId: rule.workspaceId,
      ruleId: rule.id,
      triggerEventId: event.id,
      triggerType: event.type,
      leadId,
      status,
      actionsDone: done,
      error,
      durationMs: Date.now() - started,
    });
    if (logged && status !== AutomationRunStatus.Skipped) await this.countOutcome(rule, status, leadId, error);
    return { status };
  }

  private async skipReason(
    rule: AutomationRuleEntity,
    { event, leadId, workspaceId }: RunPayload,
  ): Promise<string | null> {
    if (rule.status !== AutomationStatus.Active) return 'rule is paused';
    if ((event.cause?.depth ?? 0) >= AUTOMATION_MAX_DEPTH) return `chain of rules deeper than ${AUTOMATION_MAX_DEPTH}`;
    if (!leadId) return rule.conditions ? 'conditions need a lead and the event names none' : null;
    const matches = await this.segments.matches(workspaceId, rule.conditions, leadId);
    if (rule.conditions) return matches ? null : 'conditions not met';
    return matches ? null : 'lead not found (deleted)';
  }

  /**
   * Success forgets earlier failures; the 5th failure in a row pauses the rule (and its schedule). A failure
   * counted (the rule was still active) is announced as automation.run_failed.
   */
  private async countOutcome(
    rule: AutomationRuleEntity,
    status: AutomationRunStatus,
    leadId: string | null,
    error: string | null,
  ): Promise<void> {
    if (status === AutomationRunStatus.Succeeded) {
      await this.repository.recordSuccess(rule.id);
      return;
    }
    const failure = await this.repository.recordFailure(rule.id);
    if (!failure) return;
    await this.events.publish({
      type: AutomationEvents.AutomationRunFailed,
      workspaceId: rule.workspaceId,
      data: { ruleId: rule.id, ruleName: rule.name, leadId, error: error ?? 'failed', ...failure },
    });
    if (failure.paused) {
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

  /** The lead as the API shows it (without its timeline), or null once it is deleted. */
  private async currentLead(workspaceId: string, leadId: string): Promise<LeadResponseDto | null> {
    try {
      const { timeline: _timeline, campaignIds: _campaignIds, ...lead } = await this.leads.get(workspaceId, leadId);
      return lead;
    } catch (error) {
      if (error instanceof AppException && error.status === 404) return null;
      throw error;
    }
  }
}
