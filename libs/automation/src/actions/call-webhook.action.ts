import { Injectable } from '@nestjs/common';
import { AppConfig, safePost, SIGNATURE_HEADER, signatureHeader } from '@crescendo/platform';
import { LeadsService } from '@crescendo/leads';
import { WorkspaceSettingsService } from '@crescendo/settings';
import { type AutomationActionResult, AutomationActionType } from '../automation.types';
import { type ActionContext, ActionError, type AutomationActionHandler, automationNote } from './automation-action';

const WEBHOOK_TIMEOUT_MS = 10_000;

/** Signed like every outgoing delivery: x-crescendo-signature with the workspace signing secret. */
@Injectable()
export class CallWebhookAction implements AutomationActionHandler {
  readonly type = AutomationActionType.CallWebhook;
  constructor(
    private readonly config: AppConfig,
    private readonly settings: WorkspaceSettingsService,
    private readonly leads: LeadsService,
  ) {}

  async perform(ctx: ActionContext): Promise<AutomationActionResult> {
    const { rule, lead } = ctx;
    const { event } = ctx.payload;
    const url = ctx.action.url!;
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
    if (lead) await this.leads.addNote(rule.workspaceId, lead.id, automationNote(ctx, { url, status: result.status }));
    return { type: this.type, outcome: 'done', detail: `HTTP ${result.status}` };
  }
}
