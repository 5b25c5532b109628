import { Inject, Injectable } from '@nestjs/common';
import { type AutomationActionResult, AutomationActionType } from '../automation.types';
import { type ActionContext, ActionError, AUTOMATION_ACTIONS, type AutomationActionHandler } from './automation-action';

const actionTypes = Object.values(AutomationActionType);

/** The handler of each action type; refuses to build (so the app refuses to boot) unless each type has exactly one. */
@Injectable()
export class AutomationActionRegistry {
  private readonly byType = new Map<AutomationActionType, AutomationActionHandler>();

  constructor(@Inject(AUTOMATION_ACTIONS) handlers: AutomationActionHandler[]) {
    for (const handler of handlers) {
      if (this.byType.has(handler.type)) throw new Error(`Two automation action handlers for ${handler.type}`);
      this.byType.set(handler.type, handler);
    }
    const missing = actionTypes.filter((type) => !this.byType.has(type));
    if (missing.length) throw new Error(`No automation action handler for ${missing.join(', ')}`);
  }

  perform(ctx: ActionContext): Promise<AutomationActionResult> {
    const handler = this.byType.get(ctx.action.type);
    if (!handler) throw new ActionError(`unknown action ${ctx.action.type}`);
    return handler.perform(ctx);
  }
}
