import { type Catalogue, formatMoney as money, type Language, statusName, toLanguage } from '@crescendo/platform';
import type { TrackedJobName } from '@crescendo/jobs';

/**
 * What each notification kind says, by its parameters (stored with the notification: `notifications.params`),
 * so that it is written in the reader's language when read, whatever language was in force when it was recorded.
 */
export interface NotificationParamsOf {
  'import.completed': { inserted: number; updated: number; skipped: number; failed: number };
  'webhook.received': { source: string };
  'lead.status_changed': { name: string };
  'campaign.status_changed': { from: string; to: string };
  'job.completed': { job: TrackedJobName };
  'job.failed': { job: TrackedJobName; reason: string | null };
  'agent.failed': { reason: string | null };
  'automation.run_failed': { ruleName: string; consecutiveFailures: number; error: string; paused: boolean };
  'ai.quota_reached': { percent: number; used: number; limit: number; resetAt: string };
  'billing.payment_succeeded': { amount: number; currency: string };
  'billing.payment_failed': { amount: number; currency: string };
  'billing.plan_changed': { plan: string };
  /** A member's own (not a workspace's): see MemberNotice. */
  'forum.mention': { title: string };
}
export type NotificationKind = keyof NotificationParamsOf;

interface NotificationTexts {
  kinds: { [K in NotificationKind]: (p: NotificationParamsOf[K], language: Language) => string };
  /** What a tracked job is called in "… finished" / "… failed". */
  jobs: Record<TrackedJobName, string>;
  digest: {
    subject: (period: 'daily' | 'weekly', count: number) => string;
    seeAll: (url: string) => string;
    settings: string;
  };
}

const because = (reason: string | null, colon: string) => (reason ? `${colon}${reason}` : '');

const en: NotificationTexts = {
  kinds: {
    'import.completed': (p) =>
      `Import finished: ${p.inserted} created, ${p.updated} updated, ${p.skipped} skipped, ${p.failed} failed`,
    'webhook.received': (p) => `Lead received from the ${p.source} webhook`,
    'lead.status_changed': (p) => `Lead ${p.name} converted`,
    'campaign.status_changed': (p) => `A campaign went from ${statusName(p.from, 'en')} to ${statusName(p.to, 'en')}`,
    'job.completed': (p) =>
      p.job === 'gdpr.export' ? 'Your personal data export is ready to download' : `${en.jobs[p.job]} finished`,
    'job.failed': (p) => `${en.jobs[p.job]} failed${because(p.reason, ': ')}`,
    'agent.failed': (p) => `An AI agent run failed${because(p.reason, ': ')}`,
    'automation.run_failed': (p) =>
      p.paused
        ? `Automation rule ${p.ruleName} paused after ${p.consecutiveFailures} failed runs in a row: ${p.error}`
        : `Automation rule ${p.ruleName} failed: ${p.error}`,
    'ai.quota_reached': (p) =>
      p.percent >= 100
        ? `The monthly AI generation quota (${p.limit}) is used up; it resets on ${p.resetAt.slice(0, 10)}`
        : `${p.used} of the ${p.limit} AI generations of the month are used (${p.percent} %)`,
    'billing.payment_succeeded': (p, l) => `Payment of ${money(p.amount, p.currency, l)} received, thank you`,
    'billing.payment_failed': (p, l) =>
      `The payment of ${money(p.amount, p.currency, l)} failed: update your payment method to keep your plan`,
    'billing.plan_changed': (p) => `Your workspace is now on the ${p.plan} plan`,
    'forum.mention': (p) => `You were mentioned in the forum topic “${p.title}”`,
  },
  jobs: {
    'leads.import': 'Lead import',
    'leads.export': 'Lead export',
    'gdpr.export': 'Personal data export',
    'studio.compose': 'Video composition',
    'ai.media': 'AI media generation',
    'ai.generate': 'AI content generation',
    'agents.run': 'AI agent run',
  },
  digest: {
    subject: (period, count) => `Crescendo — your ${period} digest: ${count} notification${count > 1 ? 's' : ''}`,
    seeAll: (url) => `See them all: ${url}`,
    settings: 'Frequency and events: settings › notifications.',
  },
};

const fr: NotificationTexts = {
  kinds: {
    'import.completed': (p) =>
      `Import terminé : ${p.inserted} créés, ${p.updated} mis à jour, ${p.skipped} ignorés, ${p.failed} en échec`,
    'webhook.received': (p) => `Prospect reçu du webhook ${p.source}`,
    'lead.status_changed': (p) => `Prospect ${p.name} converti`,
    'campaign.status_changed': (p) =>
      `Une campagne est passée de « ${statusName(p.from, 'fr')} » à « ${statusName(p.to, 'fr')} »`,
    'job.completed': (p) =>
      p.job === 'gdpr.export'
        ? 'Votre export de données personnelles est prêt à télécharger'
        : `${fr.jobs[p.job]} : terminé`,
    'job.failed': (p) => `${fr.jobs[p.job]} : échec${because(p.reason, ' — ')}`,
    'agent.failed': (p) => `Une exécution d’agent IA a échoué${because(p.reason, ' : ')}`,
    'automation.run_failed': (p) =>
      p.paused
        ? `Règle d’automatisation ${p.ruleName} mise en pause après ${p.consecutiveFailures} échecs d’affilée : ${p.error}`
        : `La règle d’automatisation ${p.ruleName} a échoué : ${p.error}`,
    'ai.quota_reached': (p) =>
      p.percent >= 100
        ? `Le quota mensuel de générations IA (${p.limit}) est épuisé ; il repart le ${p.resetAt.slice(0, 10)}`
        : `${p.used} des ${p.limit} générations IA du mois sont utilisées (${p.percent} %)`,
    'billing.payment_succeeded': (p, l) => `Paiement de ${money(p.amount, p.currency, l)} reçu, merci`,
    'billing.payment_failed': (p, l) =>
      `Le paiement de ${money(p.amount, p.currency, l)} a échoué : mettez à jour votre moyen de paiement pour garder votre offre`,
    'billing.plan_changed': (p) => `Votre espace de travail est maintenant sur l’offre ${p.plan}`,
    'forum.mention': (p) => `Vous avez été mentionné dans le sujet du forum « ${p.title} »`,
  },
  jobs: {
    'leads.import': 'Import de prospects',
    'leads.export': 'Export de prospects',
    'gdpr.export': 'Export de données personnelles',
    'studio.compose': 'Composition vidéo',
    'ai.media': 'Génération de média IA',
    'ai.generate': 'Génération de contenu IA',
    'agents.run': 'Exécution d’agent IA',
  },
  digest: {
    subject: (period, count) =>
      `Crescendo — votre résumé ${period === 'daily' ? 'quotidien' : 'hebdomadaire'} : ${count} notification${count > 1 ? 's' : ''}`,
    seeAll: (url) => `Tout voir : ${url}`,
    settings: 'Fréquence et événements : paramètres › notifications.',
  },
};

export const NOTIFICATION_TEXTS: Catalogue<NotificationTexts> = { en, fr };

/** The texts in a reader's language (a BCP 47 tag; anything but French reads English). */
export const notificationTexts = (language: string): NotificationTexts => NOTIFICATION_TEXTS[toLanguage(language)];

/** A notification's parameters as `notify` takes them: one kind's. */
export type NotificationContent = {
  [K in NotificationKind]: { kind: K; params: NotificationParamsOf[K] };
}[NotificationKind];

/**
 * What a notification says in `language`: its kind's text with its parameters; a notification recorded before
 * kinds had parameters (or of a kind this version does not know) says what was stored.
 */
export function notificationText(
  n: { kind: string; params: Record<string, unknown> | null; message: string },
  language: string,
): string {
  const render = (
    notificationTexts(language).kinds as Record<string, ((p: unknown, l: Language) => string) | undefined>
  )[n.kind];
  if (!render || !n.params) return n.message;
  try {
    return render(n.params, toLanguage(language));
  } catch {
    return n.message;
  }
}
