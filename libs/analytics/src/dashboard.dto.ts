import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { CursorPaginationQueryDto } from '@crescendo/platform';
import { notificationLevels } from './notification.entity';

const noCounterpart = 'Crescendo has no counterpart: always null';

/** GET /api/dashboard/stats, in the dashboard's snake_case. */
export class DashboardStatsResponseDto {
  @ApiProperty({ type: Number, nullable: true, description: `Websites: ${noCounterpart}` }) websites: null;
  @ApiProperty({ description: 'Funnels = the workspace’s campaigns (every status)' }) funnels: number;
  @ApiProperty({ description: 'Multi-provider AI chat conversations of the workspace’s members' })
  conversations: number;
  @ApiProperty({ description: 'AI generations: calls in the usage ledger that answered (fresh or cached)' })
  generations: number;
  @ApiProperty({ type: String, nullable: true, description: `Storage used: ${noCounterpart}` }) storage_used: null;
  @ApiProperty({ type: String, nullable: true, description: `Storage quota: ${noCounterpart}` }) storage_total: null;
  @ApiProperty({ description: 'Live leads of the workspace' }) leads: number;
  @ApiProperty({ description: 'Active subscribers' }) subscribers: number;
  @ApiProperty({ description: 'Campaigns in status active' }) active_campaigns: number;
}

export class DashboardProjectDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: ['campaign'], description: 'Projects = campaigns' }) type: 'campaign';
  @ApiProperty({ example: '📣' }) icon: string;
  @ApiProperty() name: string;
  @ApiProperty({ example: 'active' }) status: string;
  @ApiProperty({ example: 'Il y a 2 heures', description: 'Last change, humanised in the workspace language' })
  updated: string;
  @ApiProperty({ format: 'date-time' }) updated_at: string;
  @ApiProperty({ example: '/campaigns/3f0c…', description: 'Where the SPA shows it' }) url: string;
}

export class DashboardRecentProjectsResponseDto {
  @ApiProperty({ type: [DashboardProjectDto], description: 'The 5 campaigns changed most recently' })
  projects: DashboardProjectDto[];
}

export class DashboardActivityDto {
  @ApiProperty({ example: '🛠️' }) icon: string;
  @ApiProperty({ example: 'Campaign deleted' }) title: string;
  @ApiProperty({ example: 'Campaign Spring launch deleted' }) description: string;
  @ApiProperty({ example: 'Il y a 5 minutes', description: 'Humanised in the reader’s language' }) time: string;
  @ApiProperty({ format: 'date-time' }) timestamp: string;
}

export class DashboardRecentActivityResponseDto {
  @ApiProperty({ type: [DashboardActivityDto], description: 'The 10 latest audit-log entries of the workspace' })
  activities: DashboardActivityDto[];
}

export class DashboardNotificationDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: notificationLevels }) type: string;
  @ApiProperty({ example: '✅' }) icon: string;
  @ApiProperty({
    example: 'Import terminé : 120 créés, 0 mis à jour, 0 ignorés, 0 en échec',
    description:
      'In the reader’s language: the one they chose in their preferences, else the workspace’s default (fr or en)',
  })
  message: string;
  @ApiProperty({ example: 'Il y a 10 minutes', description: 'Humanised in the reader’s language' }) time: string;
  @ApiProperty() read: boolean;
  @ApiProperty({
    example: 'import.completed',
    description: 'The domain event it came from, or `forum.mention` (the signed-in member’s own)',
  })
  kind: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { topicId: '0b6f1a64-8a4e-4c1e-9d5e-3c7a2b1f0e11' },
    description: 'What it is about, for a link: `leadId`; for a forum mention `topicId` (and `commentId`)',
  })
  data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) created_at: string;
}

export class DashboardNotificationsResponseDto {
  @ApiProperty({ type: [DashboardNotificationDto], description: 'The 20 latest, newest first' })
  notifications: DashboardNotificationDto[];
  @ApiProperty() unread_count: number;
}

export class MarkAllReadResponseDto {
  @ApiProperty({ description: 'Notifications marked read by this call' }) updated: number;
}

/** GET /api/notifications: every notification, a page at a time. */
export class ListNotificationsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'true: only the unread ones' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
}
