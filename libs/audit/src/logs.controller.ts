import { Controller, Get, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  ApiCursorPaginatedResponse,
  CurrentPrincipal,
  CursorPaginated,
  Permission,
  Principal,
  RequirePermissions,
} from '@crescendo/platform';
import { LogType } from './audit.types';
import { FilterLogsQueryDto, ListLogsQueryDto, LogResponseDto } from './logs.dto';
import { LogsService } from './logs.service';

@ApiTags('logs')
@Controller('logs')
export class LogsController {
  constructor(private readonly logs: LogsService) {}

  @Get()
  @RequirePermissions(Permission.LogsRead)
  @ApiOperation({ summary: "The workspace's audit log, every type, newest first" })
  @ApiCursorPaginatedResponse(LogResponseDto)
  @ApiErrors(400)
  listLogs(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListLogsQueryDto,
  ): Promise<CursorPaginated<LogResponseDto>> {
    return this.logs.list(principal.workspaceId, query);
  }

  @Get('auth')
  @RequirePermissions(Permission.LogsRead)
  @ApiOperation({ summary: 'Authentication events: sign-ins, failures, sign-outs, password changes' })
  @ApiCursorPaginatedResponse(LogResponseDto)
  @ApiErrors(400)
  listAuthLogs(
    @CurrentPrincipal() principal: Principal,
    @Query() query: FilterLogsQueryDto,
  ): Promise<CursorPaginated<LogResponseDto>> {
    return this.logs.list(principal.workspaceId, query, LogType.Auth);
  }

  @Get('agents')
  @RequirePermissions(Permission.LogsRead)
  @ApiOperation({ summary: 'AI agent events of the workspace, every agent' })
  @ApiCursorPaginatedResponse(LogResponseDto)
  @ApiErrors(400)
  listAgentLogs(
    @CurrentPrincipal() principal: Principal,
    @Query() query: FilterLogsQueryDto,
  ): Promise<CursorPaginated<LogResponseDto>> {
    return this.logs.list(principal.workspaceId, query, LogType.Agent);
  }

  @Get('errors')
  @RequirePermissions(Permission.LogsRead)
  @ApiOperation({ summary: 'Server errors met by requests of the workspace, with their request id' })
  @ApiCursorPaginatedResponse(LogResponseDto)
  @ApiErrors(400)
  listErrorLogs(
    @CurrentPrincipal() principal: Principal,
    @Query() query: FilterLogsQueryDto,
  ): Promise<CursorPaginated<LogResponseDto>> {
    return this.logs.list(principal.workspaceId, query, LogType.Error);
  }
}
