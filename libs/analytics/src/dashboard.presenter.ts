import type { ActivityEntry, DashboardStats, RecentCampaign } from './dashboard.service';
import type {
  DashboardNotificationDto,
  DashboardRecentActivityResponseDto,
  DashboardRecentProjectsResponseDto,
  DashboardStatsResponseDto,
} from './dashboard.dto';
import { timeAgo } from './human-time';
import { notificationText } from './notification-messages';
import type { NotificationView } from './notifications.service';

/** The dashboard routes speak snake_case; these map the internal shapes at the edge. */
export function presentStats(stats: DashboardStats): DashboardStatsResponseDto {
  return {
    websites: null,
    funnels: stats.funnels,
    conversations: stats.conversations,
    generations: stats.generations,
    storage_used: null,
    storage_total: null,
    leads: stats.leads,
    subscribers: stats.activeSubscribers,
    active_campaigns: stats.activeCampaigns,
  };
}

export function presentProjects(
  campaigns: RecentCampaign[],
  now: Date,
  language: string,
): DashboardRecentProjectsResponseDto {
  return {
    projects: campaigns.map((c) => ({
      id: c.id,
      type: 'campaign',
      icon: '📣',
      name: c.name,
      status: c.status,
      updated: timeAgo(c.updatedAt, now, language),
      updated_at: c.updatedAt.toISOString(),
      url: `/campaigns/${c.id}`,
    })),
  };
}

const activityIcons: Record<string, string> = { auth: '🔐', admin: '🛠️', agent: '🤖', error: '⚠️', system: '⚙️' };

/** login_success → "Login success". */
const titleOf = (action: string) => {
  const words = action.replace(/[_.:-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function presentActivity(
  entries: ActivityEntry[],
  now: Date,
  language: string,
): DashboardRecentActivityResponseDto {
  return {
    activities: entries.map((e) => ({
      icon: activityIcons[e.type] ?? '•',
      title: titleOf(e.action),
      description: e.message,
      time: timeAgo(e.createdAt, now, language),
      timestamp: e.createdAt.toISOString(),
    })),
  };
}

const levelIcons: Record<string, string> = { success: '✅', info: 'ℹ️', warning: '⚠️', error: '❌' };

/** A notification for one reader: its text and its age in their language. */
export function presentNotification(n: NotificationView, now: Date, language: string): DashboardNotificationDto {
  return {
    id: n.id,
    type: n.level,
    icon: levelIcons[n.level] ?? 'ℹ️',
    message: notificationText(n, language),
    time: timeAgo(n.createdAt, now, language),
    read: n.read,
    kind: n.kind,
    data: n.data,
    created_at: n.createdAt.toISOString(),
  };
}
