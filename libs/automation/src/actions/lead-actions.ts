import { Injectable } from '@nestjs/common';
import { LeadsService } from '@crescendo/leads';
import { type AutomationActionResult, AutomationActionType } from '../automation.types';
import {
  type ActionContext,
  type AutomationActionHandler,
  automationNote,
  causeOf,
  needLead,
} from './automation-action';

/** Adds or removes one tag in one statement (LeadsService.changeTag): concurrent rules never lose a tag. */
abstract class TagAction implements AutomationActionHandler {
  abstract readonly type: AutomationActionType.AddTag | AutomationActionType.RemoveTag;
  constructor(private readonly leads: LeadsService) {}

  async perform(ctx: ActionContext): Promise<AutomationActionResult> {
    const tag = ctx.action.tag!;
    const changed = await this.leads.changeTag(
      ctx.principal,
      needLead(ctx).id,
      this.type === AutomationActionType.AddTag ? { add: tag } : { remove: tag },
      automationNote(ctx, { tag }),
      { cause: causeOf(ctx) },
    );
    return { type: this.type, outcome: changed ? 'done' : 'unchanged', detail: tag };
  }
}

@Injectable()
export class AddTagAction extends TagAction {
  readonly type = AutomationActionType.AddTag as const;
  constructor(leads: LeadsService) {
    super(leads);
  }
}

@Injectable()
export class RemoveTagAction extends TagAction {
  readonly type = AutomationActionType.RemoveTag as const;
  constructor(leads: LeadsService) {
    super(leads);
  }
}

/**
 * Sets one field of the lead through LeadsService.update: the usual updated/status_changed entries, plus one
 * naming the rule; the events it publishes carry the cause.
 */
async function changeLead(
  leads: LeadsService,
  ctx: ActionContext,
  dto: Parameters<LeadsService['update']>[2],
  unchanged: boolean,
  detail: string,
): Promise<AutomationActionResult> {
  if (unchanged) return { type: ctx.action.type, outcome: 'unchanged', detail };
  await leads.update(ctx.principal, needLead(ctx).id, dto, automationNote(ctx, { ...dto }), { cause: causeOf(ctx) });
  return { type: ctx.action.type, outcome: 'done', detail };
}

@Injectable()
export class ChangeStatusAction implements AutomationActionHandler {
  readonly type = AutomationActionType.ChangeStatus;
  constructor(private readonly leads: LeadsService) {}

  perform(ctx: ActionContext): Promise<AutomationActionResult> {
    const status = ctx.action.status!;
    return changeLead(this.leads, ctx, { status }, needLead(ctx).status === status, status);
  }
}

@Injectable()
export class SetScoreAction implements AutomationActionHandler {
  readonly type = AutomationActionType.SetScore;
  constructor(private readonly leads: LeadsService) {}

  perform(ctx: ActionContext): Promise<AutomationActionResult> {
    const score = ctx.action.score;
    return changeLead(this.leads, ctx, { score }, needLead(ctx).score === score, String(score));
  }
}
