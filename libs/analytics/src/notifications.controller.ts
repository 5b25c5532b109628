import { Controller, Get, HttpCode, MessageEvent, Param, Post, Query, Sse } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Observable } from 'rxjs';
import {
  ApiCursorPaginatedResponse,
  ApiErrors,
  CurrentPrincipal,
  type CursorPaginated,
  IdParamDto,
  Permission,
  Principal,
  RequirePermissions,
} from '@crescendo/platform';
import { AnalyticsContextService } from './analytics-context.service';
import { DashboardNotificationDto, ListNotificationsQueryDto, MarkAllReadResponseDto } from './dashboard.dto';
import { presentNotification } from './dashboard.presenter';
import { NotificationsService } from './notifications.service';

/** A signed-in member also sees their own notifications (forum mentions); an API key only the workspace's. */
export const memberOf = (principal: Principal): string | null =>
  principal.kind === 'user' && principal.userId ? principal.userId : null;

@ApiTags('notifications')
@Controller('notifications')
@RequirePermissions(Permission.AnalyticsRead)
export class NotificationsController {
  constructor(
    private readonly context: AnalyticsContextService,
    private readonly notifications: NotificationsService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Every notification of the workspace and the signed-in member’s own, newest first, a page at a time',
    description:
      'Each item as GET /api/dashboard/notifications lists it (snake_case): the workspace’s and, for a signed-in ' +
      'member, their own (forum mentions). Page with nextCursor/prevCursor (a seek: the same cost at any depth) ' +
      'or page numbers; `unread=true` keeps the unread ones.',
  })
  @ApiCursorPaginatedResponse(DashboardNotificationDto)
  @ApiErrors(400)
  async listNotifications(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListNotificationsQueryDto,
  ): Promise<CursorPaginated<DashboardNotificationDto>> {
    const [scope, page] = await Promise.all([
      this.context.readerScope(principal.workspaceId, memberOf(principal)),
      this.notifications.page(principal.workspaceId, query, memberOf(principal)),
    ]);
    return {
      data: page.data.map((n) => presentNotification(n, scope.now, scope.language)),
      pagination: page.pagination,
    };
  }

  @Post('read-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark every notification of the workspace read' })
  @ApiOkResponse({ type: MarkAllReadResponseDto })
  async markAllNotificationsRead(@CurrentPrincipal() principal: Principal): Promise<MarkAllReadResponseDto> {
    return { updated: await this.notifications.markAllRead(principal.workspaceId, memberOf(principal)) };
  }

  @Post(':id/read')
  @HttpCode(204)
  @ApiOperation({ summary: 'Mark one notification read (404 for another workspace’s)' })
  @ApiNoContentResponse({ description: 'Read' })
  @ApiErrors(400, 404)
  async markNotificationRead(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<void> {
    await this.notifications.markRead(principal.workspaceId, params.id, memberOf(principal));
  }

  @Sse('stream')
  @ApiOperation({
    summary: 'New notifications of the workspace as server-sent events, from whichever API process',
    description:
      'A `ready` event ({unread_count}) opens the stream once it is listening; then each `notification` event ' +
      'carries one notification as GET /api/dashboard/notifications lists it. The ' +
      'worker announces them through Redis, so every API replica pushes them to its streams.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'text/event-stream of notifications', schema: { type: 'string' } })
  async streamNotifications(@CurrentPrincipal() principal: Principal): Promise<Observable<MessageEvent>> {
    const scope = await this.context.readerScope(principal.workspaceId, memberOf(principal));
    // Subscribed before answering, so a notification written right after the stream opens is not missed.
    await this.notifications.ready();
    const unread = await this.notifications.unreadCount(principal.workspaceId, memberOf(principal));
    return new Observable<MessageEvent>((subscriber) => {
      const stop = this.notifications.listen(
        principal.workspaceId,
        (n) => subscriber.next({ type: 'notification', data: presentNotification(n, new Date(), scope.language) }),
        memberOf(principal),
      );
      subscriber.next({ type: 'ready', data: { unread_count: unread } });
      return stop;
    });
  }
}
