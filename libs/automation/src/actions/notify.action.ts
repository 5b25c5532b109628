import { Injectable } from '@nestjs/common';
import { MailService } from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import { WorkspaceMembersService } from '@crescendo/identity';
import { LeadsService } from '@crescendo/leads';
import { type AutomationActionResult, AutomationActionType } from '../automation.types';
import { type ActionContext, type AutomationActionHandler, automationNote } from './automation-action';

/** An audit log entry, or an e-mail to every active member; `{{lead.name}}`-style placeholders are filled. */
@Injectable()
export class NotifyAction implements AutomationActionHandler {
  readonly type = AutomationActionType.Notify;
  constructor(
    private readonly audit: AuditService,
    private readonly mail: MailService,
    private readonly members: WorkspaceMembersService,
    private readonly leads: LeadsService,
  ) {}

  async perform(ctx: ActionContext): Promise<AutomationActionResult> {
    const { rule, action, lead } = ctx;
    const values: Record<string, string> = {
      'lead.name': lead?.name ?? '',
      'lead.email': lead?.email ?? '',
      'lead.status': lead?.status ?? '',
      'rule.name': rule.name,
    };
    const fill = (text: string) => text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (all, key: string) => values[key] ?? all);
    const message = fill(action.message!);
    let detail: string;
    if (action.channel === 'audit') {
      await this.audit.record({
        type: LogType.System,
        action: 'automation_notify',
        message,
        workspaceId: rule.workspaceId,
        metadata: { ruleId: rule.id, leadId: lead?.id ?? null, eventId: ctx.payload.event.id },
      });
      detail = 'audit log entry';
    } else {
      const emails = await this.members.activeEmails(rule.workspaceId);
      const subject = fill(action.subject || `Automation: ${rule.name}`);
      for (const to of emails) {
        await this.mail.send({
          workspaceId: rule.workspaceId,
          to,
          subject,
          text: message,
          template: 'automation-notify',
        });
      }
      detail = `e-mail to ${emails.length} member(s)`;
    }
    if (lead)
      await this.leads.addNote(rule.workspaceId, lead.id, automationNote(ctx, { channel: action.channel, detail }));
    return { type: this.type, outcome: 'done', detail };
  }
}
