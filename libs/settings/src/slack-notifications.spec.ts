import { randomUUID } from 'node:crypto';
import { type DomainEvent, missingTranslations } from '@crescendo/platform';
import { LeadsEvents } from '@crescendo/leads';
import { SLACK_TEXTS, slackText } from './slack-notifications.handler';

describe('Slack messages', () => {
  it('every message and status has both languages', () => {
    expect(missingTranslations(SLACK_TEXTS)).toEqual([]);
  });

  it('posts in the workspace’s language (anything but French: English)', () => {
    const event = {
      id: randomUUID(),
      type: LeadsEvents.LeadStatusChanged,
      workspaceId: randomUUID(),
      occurredAt: new Date().toISOString(),
      data: { lead: { id: randomUUID(), name: 'Ada' }, from: 'new', to: 'converted' },
    } as unknown as DomainEvent;
    expect(slackText(event, 'fr')).toBe('Prospect Ada : statut nouveau → converti');
    expect(slackText(event, 'en-GB')).toBe('Lead Ada: status new → converted');
    expect(slackText(event, 'de')).toBe('Lead Ada: status new → converted');
  });
});
