import type { DomainEvent, Principal } from '@crescendo/platform';
import { LeadEventType, type LeadResponseDto, type LeadTimelineNote } from '@crescendo/leads';
import { type AutomationRuleEntity } from '../automation-rule.entity';
import { type AutomationActionResult, type AutomationAction, type AutomationActionType } from '../automation.types';
import { AutomationRunRulePayload } from '../automation.jobs';

export type RunPayload = AutomationRunRulePayload;

/** What one action of one run may use: the rule, the action, the lead (as it was when the run started). */
export interface ActionContext {
  rule: AutomationRuleEntity;
  action: AutomationAction;
  payload: RunPayload;
  /** Acts for the workspace, as no member (timeline entries and events name no user). */
  principal: Principal;
  lead: LeadResponseDto | null;
  /** The chain depth of the events this action causes (the loop guard of AUTOMATION_MAX_DEPTH). */
  depth: number;
}

/** The work of one action type: registered under AUTOMATION_ACTIONS, found by type (AutomationActionRegistry). */
export interface AutomationActionHandler {
  readonly type: AutomationActionType;
  perform(ctx: ActionContext): Promise<AutomationActionResult>;
}

/** Injection token of every AutomationActionHandler (one per AutomationActionType). */
export const AUTOMATION_ACTIONS = Symbol('AUTOMATION_ACTIONS');

/** A refused action: shown in the rule's run log, not logged as unexpected. */
export class ActionError extends Error {}

export const needLead = (ctx: ActionContext): LeadResponseDto => {
  if (!ctx.lead) throw new ActionError('needs a lead and the trigger names none');
  return ctx.lead;
};

/** The lead's timeline entry for an action: type automation, naming the rule. */
export const automationNote = (ctx: ActionContext, data: Record<string, unknown>): LeadTimelineNote => ({
  type: LeadEventType.Automation,
  data: { ruleId: ctx.rule.id, action: ctx.action.type, ...data },
});

/** What the events an action causes carry: the rule and the depth, so chains of rules stop. */
export const causeOf = (ctx: ActionContext): DomainEvent['cause'] => ({
  automationRuleId: ctx.rule.id,
  depth: ctx.depth,
});
