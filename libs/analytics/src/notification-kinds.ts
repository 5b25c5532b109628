import type { NotificationEventsDto } from '@crescendo/settings';

/**
 * Every notification kind and the notification-settings switch (in-app and e-mail digest) that governs it;
 * null: always on (a plan change is never optional news).
 */
export const NOTIFICATION_KINDS: Record<string, keyof NotificationEventsDto | null> = {
  'import.completed': 'jobCompleted',
  'webhook.received': 'newLead',
  'lead.status_changed': 'leadStatusChanged',
  'campaign.status_changed': 'campaignStatusChanged',
  'job.completed': 'jobCompleted',
  'job.failed': 'jobCompleted',
  'agent.failed': 'agentError',
  'automation.run_failed': 'automationFailed',
  'ai.quota_reached': 'aiQuota',
  'billing.payment_succeeded': 'paymentSucceeded',
  'billing.payment_failed': 'paymentFailed',
  'billing.plan_changed': null,
};

/** The notification-settings switch that governs notifications of this kind; null: always on; undefined: unknown. */
export function settingOf(kind: string): keyof NotificationEventsDto | null | undefined {
  return NOTIFICATION_KINDS[kind];
}
