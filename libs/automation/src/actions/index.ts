import type { Provider } from '@nestjs/common';
import { AUTOMATION_ACTIONS } from './automation-action';
import { CallWebhookAction } from './call-webhook.action';
import { EnrollInCampaignAction } from './enroll-in-campaign.action';
import { AddTagAction, ChangeStatusAction, RemoveTagAction, SetScoreAction } from './lead-actions';
import { NotifyAction } from './notify.action';

const handlers = [
  AddTagAction,
  RemoveTagAction,
  ChangeStatusAction,
  SetScoreAction,
  EnrollInCampaignAction,
  CallWebhookAction,
  NotifyAction,
];

/** Every action handler, and the multi-provider the registry reads them from. */
export const automationActionProviders: Provider[] = [
  ...handlers,
  { provide: AUTOMATION_ACTIONS, useFactory: (...all: unknown[]) => all, inject: handlers },
];

export { AutomationActionRegistry } from './automation-action.registry';
export { ActionError } from './automation-action';
export type { ActionContext, AutomationActionHandler, RunPayload } from './automation-action';
