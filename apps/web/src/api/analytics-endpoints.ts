import {
  analyticsAttribution,
  analyticsRevenue,
  dashboardNotifications,
  listNotifications,
  markAllNotificationsRead,
  markNotificationRead,
  statsCampaigns,
  statsConversion,
  statsNiches,
  statsOverview,
  type StatsOverviewData,
} from '@crescendo/api-client';
import { unwrap } from './errors';

/** The dashboard's period: a rolling preset, or explicit days (workspace time zone). */
export type RangeQuery = NonNullable<StatsOverviewData['query']>;

export const analyticsApi = {
  overview: (query: RangeQuery) => unwrap(statsOverview({ query })),
  conversion: (query: RangeQuery) => unwrap(statsConversion({ query })),
  campaigns: (query: RangeQuery) => unwrap(statsCampaigns({ query })),
  niches: (query: RangeQuery) => unwrap(statsNiches({ query })),
  revenue: (query: RangeQuery) => unwrap(analyticsRevenue({ query })),
  attribution: (query: RangeQuery, model: 'first_touch' | 'last_touch' | 'linear') =>
    unwrap(analyticsAttribution({ query: { ...query, model } })),
  notifications: () => unwrap(dashboardNotifications()),
  notificationsPage: (query: { cursor?: string; unread?: boolean; limit?: number }) =>
    unwrap(listNotifications({ query })),
  markRead: (id: string) => unwrap(markNotificationRead({ path: { id } })),
  markAllRead: () => unwrap(markAllNotificationsRead()),
};
