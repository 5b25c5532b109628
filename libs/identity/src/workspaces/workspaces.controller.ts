import { Body, Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors, AppConfig, Authenticated, CurrentPrincipal, IdParamDto, Principal } from '@crescendo/platform';
import { SuccessMessageDto, TokenResponseDto } from '../auth/auth.dto';
import { REFRESH_COOKIE } from '../auth/auth.controller';
import { toUserSummary } from '../users/user.mapper';
import { CreateWorkspaceDto, MyWorkspaceDto, SwitchWorkspaceDto, TransferOwnershipDto } from './workspaces.dto';
import { WorkspacesService } from './workspaces.service';

/** The signed-in person's workspaces. API keys belong to one workspace and get 401 USER_TOKEN_REQUIRED. */
@ApiTags('workspaces')
@Controller('workspaces')
export class WorkspacesController {
  constructor(
    private readonly workspaces: WorkspacesService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @Authenticated()
  @ApiOperation({ summary: 'Create a workspace: I become its owner (my current session stays where it is)' })
  @ApiCreatedResponse({ type: MyWorkspaceDto })
  @ApiErrors(400)
  createWorkspace(@CurrentPrincipal() principal: Principal, @Body() dto: CreateWorkspaceDto): Promise<MyWorkspaceDto> {
    return this.workspaces.create(principal, dto.name);
  }

  @Get()
  @Authenticated()
  @ApiOperation({ summary: 'The workspaces I am an active member of, with my role, oldest membership first' })
  @ApiOkResponse({ type: [MyWorkspaceDto] })
  listMyWorkspaces(@CurrentPrincipal() principal: Principal): Promise<MyWorkspaceDto[]> {
    return this.workspaces.mine(principal);
  }

  @Post(':id/switch')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({
    summary: 'A new session in another of my workspaces: access token in the answer, refresh token in the cookie',
    description:
      'The calling token keeps reading its own workspace only. 404 WORKSPACE_NOT_FOUND unless I am an active member.',
  })
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiErrors(400, 404)
  async switchWorkspace(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: SwitchWorkspaceDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponseDto> {
    const { session, user } = await this.workspaces.switchTo(principal, params.id);
    reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
      httpOnly: true,
      secure: this.config.env.COOKIE_SECURE,
      sameSite: this.config.env.COOKIE_SAMESITE,
      path: '/',
      expires: session.refreshExpiresAt,
    });
    return {
      user: toUserSummary(user),
      accessToken: session.accessToken,
      tokenType: 'Bearer',
      expiresIn: session.expiresIn,
      ...(dto.tokenDelivery === 'body' ? { refreshToken: session.refreshToken } : {}),
    };
  }

  @Post(':id/leave')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Leave a workspace: my membership and my sessions there end',
    description:
      '409 OWNER_MUST_TRANSFER for its owner (transfer it first); 409 LAST_WORKSPACE for my only workspace; ' +
      '404 WORKSPACE_NOT_FOUND unless I am an active member.',
  })
  @ApiOkResponse({ type: SuccessMessageDto })
  @ApiErrors(400, 404, 409)
  async leaveWorkspace(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<SuccessMessageDto> {
    await this.workspaces.leave(principal, params.id);
    return { success: true, message: 'You left the workspace' };
  }

  @Post(':id/transfer')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Hand the current workspace to an active member; I stay on as admin',
    description:
      'Owner only (403 OWNER_ONLY), from a session of that workspace (403 WORKSPACE_NOT_CURRENT). ' +
      '404 MEMBER_NOT_FOUND; 409 MEMBER_NOT_ACTIVE for a deactivated member.',
  })
  @ApiOkResponse({ type: MyWorkspaceDto })
  @ApiErrors(400, 403, 404, 409)
  transferWorkspace(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: TransferOwnershipDto,
  ): Promise<MyWorkspaceDto> {
    return this.workspaces.transfer(principal, params.id, dto.userId);
  }
}
