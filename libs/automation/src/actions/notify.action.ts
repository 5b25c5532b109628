import { Injectable } from '@nestjs/common';
import { MailService } from '@crescendo/platform';
import { AuditService, LogType } from '@crescendo/audit';
import { WorkspaceMembersService } from '@crescendo/identity';
import { LeadsService } from '@crescendo/leads';
import { automationMails } from '../automation-mails';
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
      const members = await this.members.activeMembers(rule.workspaceId);
      // A subject the rule's author wrote is sent as written; the default one in each member's language.
      const languages = await this.mail.languagesOf(
        members.map((m) => m.userId),
        rule.workspaceId,
      );
      for (const { userId, email } of members) {
        const subject = fill(action.subject || automationMails(languages.get(userId)!).notifySubject(rule.name));
        await this.mail.send({
          workspaceId: rule.workspaceId,
          to: email,
          subject,
          text: message,
          template: 'automation-notify',
        });
      }
      detail = `e-mail to ${members.length} member(s)`;
    }
    if (lead)
      await this.leads.addNote(rule.workspaceId, lead.id, automationNote(ctx, { channel: action.channel, detail }));
    return { type: this.type, outcome: 'done', detail };
  }
}
