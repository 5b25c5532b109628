/** The AI tools' domain events. */
export const AiToolsEvents = {
  /** A workspace's monthly AI generation quota reached 80 % or 100 % (a reservation took the unit that did). */
  AiQuotaReached: 'ai.quota_reached',
} as const;

/** The share of the quota a notification is raised at. */
export const AI_QUOTA_THRESHOLDS = [80, 100] as const;

export interface AiQuotaReachedData {
  /** The threshold reached, in per cent of the limit. */
  percent: (typeof AI_QUOTA_THRESHOLDS)[number];
  plan: string;
  limit: number;
  used: number;
  /** The month counted, `YYYY-MM` (UTC). */
  period: string;
  /** When the quota starts again (ISO 8601). */
  resetAt: string;
}

declare module '@crescendo/platform' {
  interface DomainEventPayloads {
    [AiToolsEvents.AiQuotaReached]: AiQuotaReachedData;
  }
}
