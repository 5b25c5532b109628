import { campaignStatuses } from '@crescendo/campaigns';
import { leadStatuses } from '@crescendo/leads';
import { type Catalogue, LANGUAGES, missingTranslations, statusName } from '@crescendo/platform';
import { NOTIFICATION_KINDS } from './notification-kinds';
import { NOTIFICATION_TEXTS, type NotificationParamsOf, notificationText } from './notification-messages';

/** Parameters of every kind, as the feeders and billing record them. */
const samples: NotificationParamsOf = {
  'import.completed': { inserted: 2, updated: 1, skipped: 0, failed: 1 },
  'webhook.received': { source: 'typeform' },
  'lead.status_changed': { name: 'Ada' },
  'campaign.status_changed': { from: 'draft', to: 'active' },
  'job.completed': { job: 'leads.export' },
  'job.failed': { job: 'studio.compose', reason: 'ffmpeg exited 1' },
  'agent.failed': { reason: null },
  'automation.run_failed': { ruleName: 'Welcome', consecutiveFailures: 3, error: 'HTTP 500', paused: true },
  'ai.quota_reached': { percent: 80, used: 4, limit: 5, resetAt: '2027-01-01T00:00:00.000Z' },
  'billing.payment_succeeded': { amount: 3900, currency: 'usd' },
  'billing.payment_failed': { amount: 3900, currency: 'eur' },
  'billing.plan_changed': { plan: 'Viral' },
  'forum.mention': { title: 'Hello' },
};

describe('notification texts', () => {
  it('every kind with a settings switch, and every member kind, has a text in every language', () => {
    const kinds = [...Object.keys(NOTIFICATION_KINDS), 'forum.mention'];
    for (const language of LANGUAGES) {
      expect(Object.keys(NOTIFICATION_TEXTS[language].kinds).sort()).toEqual(kinds.sort());
    }
    expect(missingTranslations(NOTIFICATION_TEXTS)).toEqual([]);
  });

  it('each kind reads differently in French and English, from its parameters', () => {
    for (const [kind, params] of Object.entries(samples)) {
      const n = { kind, params, message: 'stored' };
      const [en, fr] = [notificationText(n, 'en'), notificationText(n, 'fr-FR')];
      expect(en).not.toBe('stored');
      expect(fr).not.toBe('stored');
      expect(fr).not.toBe(en);
    }
    expect(notificationText({ kind: 'job.completed', params: { job: 'gdpr.export' }, message: '' }, 'fr')).toBe(
      'Votre export de données personnelles est prêt à télécharger',
    );
    // Any other language reads English; a notification without parameters (or of an unknown kind) its stored text.
    expect(notificationText({ kind: 'lead.status_changed', params: { name: 'Ada' }, message: '' }, 'de')).toBe(
      'Lead Ada converted',
    );
    expect(notificationText({ kind: 'lead.status_changed', params: null, message: 'Old text' }, 'fr')).toBe('Old text');
    expect(notificationText({ kind: 'unknown.kind', params: {}, message: 'Old text' }, 'fr')).toBe('Old text');
  });

  it('names every lead and campaign status in every language', () => {
    for (const status of [...leadStatuses, ...campaignStatuses]) {
      for (const language of LANGUAGES) expect(statusName(status, language)).toMatch(/^\p{L}/u);
    }
    expect(statusName('archived', 'fr')).toBe('archivée');
    expect(statusName('not-a-status', 'fr')).toBe('not-a-status');
    // Both languages name each status: a French name equal to the English one is written on purpose (active).
    expect([...leadStatuses, ...campaignStatuses].filter((s) => statusName(s, 'fr') === s)).toEqual(['active']);
  });

  it('missingTranslations names a text one language lacks', () => {
    const partial = {
      en: { kinds: { a: 'A', b: 'B' }, digest: { seeAll: 'See all' } },
      fr: { kinds: { a: 'A' }, digest: { seeAll: '' } },
    } as unknown as Catalogue<object>;
    expect(missingTranslations(partial).sort()).toEqual(['fr: digest › seeAll', 'fr: kinds › b']);
  });
});
