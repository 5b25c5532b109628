import { Injectable } from '@nestjs/common';
import { AiUsageService } from '@crescendo/ai';
import { LogsService } from '@crescendo/audit';
import { CampaignStatsService } from '@crescendo/campaigns';
import { ConversationService } from '@crescendo/chat';
import { RevenueStatsService } from '@crescendo/subscribers';
import type { AnalyticsScope } from './analytics-context.service';
import { RollupReader } from './rollup.reader';
import { todayIn } from './analytics-window';
import { NotificationsService, type NotificationView } from './notifications.service';

export interface DashboardStats {
  funnels: number;
  activeCampaigns: number;
  conversations: number;
  generations: number;
  leads: number;
  activeSubscribers: number;
}

export interface RecentCampaign {
  id: string;
  name: string;
  status: string;
  updatedAt: Date;
}

export interface ActivityEntry {
  type: string;
  action: string;
  message: string;
  createdAt: Date;
}

/** The dashboard's figures and lists (internal shapes; the controller presents them). */
@Injectable()
export class DashboardService {
  constructor(
    private readonly campaigns: CampaignStatsService,
    private readonly conversations: ConversationService,
    private readonly aiUsage: AiUsageService,
    private readonly rollups: RollupReader,
    private readonly revenue: RevenueStatsService,
    private readonly logs: LogsService,
    private readonly notifications: NotificationsService,
  ) {}

  async stats(scope: AnalyticsScope): Promise<DashboardStats> {
    const today = todayIn(scope.timeZone, scope.now);
    const [byStatus, conversations, ai, leads, subscribers] = await Promise.all([
      this.campaigns.countByStatus(scope.workspaceId),
      this.conversations.countInWorkspace(scope.workspaceId),
      this.aiUsage.totalsInWindow(scope.workspaceId, null),
      this.rollups.leadCounts(scope.workspaceId, null, [], {}, scope.timeZone),
      this.revenue.subscriberCounts(scope.workspaceId, { from: today, to: today, timeZone: scope.timeZone }),
    ]);
    return {
      funnels: byStatus.reduce((n, r) => n + r.count, 0),
      activeCampaigns: byStatus.find((r) => r.status === 'active')?.count ?? 0,
      conversations,
      generations: ai.requests - ai.errors,
      leads: leads[0]?.count ?? 0,
      activeSubscribers: subscribers.active,
    };
  }

  async recentCampaigns(scope: AnalyticsScope): Promise<RecentCampaign[]> {
    const rows = await this.campaigns.recent(scope.workspaceId, 5);
    return rows.map((r) => ({ id: r.id, name: r.name, status: r.status, updatedAt: new Date(r.updatedAt) }));
  }

  async recentActivity(scope: AnalyticsScope): Promise<ActivityEntry[]> {
    const page = await this.logs.list(scope.workspaceId, { page: 1, limit: 10 });
    return page.data.map((entry) => ({
      type: entry.type,
      action: entry.action,
      message: entry.message,
      createdAt: new Date(entry.createdAt),
    }));
  }

  notificationsOf(
    scope: AnalyticsScope,
    userId: string | null = null,
  ): Promise<{ notifications: NotificationView[]; unread: number }> {
    return this.notifications.latest(scope.workspaceId, 20, userId);
  }
}
