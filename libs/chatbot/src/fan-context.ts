import { Injectable } from '@nestjs/common';
import { WorkspaceSettingsService } from '@crescendo/settings';
import { ChatbotConversationEntity } from './chatbot.entity';
import { ChatbotClock } from './chatbot-clock';
import { TemplateValues, timeValues } from './template';

/** Template values for a fan (or none) at the clock's now, and the workspace time zone. */
@Injectable()
export class FanContext {
  constructor(
    private readonly settings: WorkspaceSettingsService,
    private readonly clock: ChatbotClock,
  ) {}

  async workspaceTimeZone(workspaceId: string): Promise<string> {
    return (await this.settings.getGeneral(workspaceId)).timezone;
  }

  values(conversation: ChatbotConversationEntity | null, timeZone: string, now = this.clock.now()): TemplateValues {
    return {
      name: conversation ? (conversation.fanName ?? conversation.fanHandle) : '',
      handle: conversation?.fanHandle ?? '',
      platform: conversation?.platform ?? '',
      ...timeValues(now, timeZone),
    };
  }
}
