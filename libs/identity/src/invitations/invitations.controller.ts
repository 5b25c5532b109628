import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  ApiCursorPaginatedResponse,
  Authenticated,
  CurrentPrincipal,
  IdParamDto,
  CursorPaginated,
  Permission,
  Principal,
  Public,
  RequirePermissions,
} from '@crescendo/platform';
import {
  AcceptedInvitationResponseDto,
  AcceptInvitationByTokenDto,
  InvitationResponseDto,
  ListInvitationsQueryDto,
  MyInvitationResponseDto,
} from './invitations.dto';
import { InvitationsService } from './invitations.service';

/** The invited person's side: their pending invitations, accepted or declined by them only. */
@ApiTags('invitations')
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Get()
  @Authenticated()
  @ApiOperation({
    summary: 'My pending invitations (to the signed-in e-mail), to any workspace',
    description: 'A signed-in user only (401 USER_TOKEN_REQUIRED for an API key). At most 100, newest first.',
  })
  @ApiOkResponse({ type: [MyInvitationResponseDto] })
  listMyInvitations(@CurrentPrincipal() principal: Principal): Promise<MyInvitationResponseDto[]> {
    return this.invitations.mine(principal);
  }

  @Post('accept')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept an invitation with the mailed token, signed in or not',
    description:
      'The token proves the mailbox. An e-mail with no account gets one here (`name` and `password` required, ' +
      '400 ACCOUNT_SETUP_REQUIRED otherwise); an account without a password gets `password`; an existing ' +
      'password is never changed. Sign in afterwards. 400 INVITATION_TOKEN_INVALID for an unknown, expired, ' +
      'revoked, declined or used token; 409 USER_ALREADY_MEMBER.',
  })
  @ApiOkResponse({ type: AcceptedInvitationResponseDto })
  @ApiErrors(400, 409)
  acceptInvitationByToken(@Body() dto: AcceptInvitationByTokenDto): Promise<AcceptedInvitationResponseDto> {
    return this.invitations.acceptByToken(dto);
  }

  @Post(':id/accept')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Accept one of my invitations: I become an active member of its workspace',
    description:
      '404 INVITATION_NOT_FOUND unless addressed to the signed-in e-mail; 409 INVITATION_NOT_PENDING when ' +
      'expired, revoked or already answered; 409 USER_ALREADY_MEMBER.',
  })
  @ApiOkResponse({ type: AcceptedInvitationResponseDto })
  @ApiErrors(400, 404, 409)
  acceptInvitation(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<AcceptedInvitationResponseDto> {
    return this.invitations.acceptById(principal, params.id);
  }

  @Post(':id/decline')
  @Authenticated()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Decline one of my invitations',
    description: '404 unless addressed to the signed-in e-mail; 409 INVITATION_NOT_PENDING when no longer pending.',
  })
  @ApiOkResponse({ type: AcceptedInvitationResponseDto })
  @ApiErrors(400, 404, 409)
  declineInvitation(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<AcceptedInvitationResponseDto> {
    return this.invitations.declineById(principal, params.id);
  }
}

/** The inviting workspace's side: its invitations, seen as e-mail and state only. */
@ApiTags('users')
@Controller('users/invitations')
export class WorkspaceInvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Get()
  @RequirePermissions(Permission.AdminUsers)
  @ApiOperation({ summary: 'The invitations of the workspace, newest first; filter by state' })
  @ApiCursorPaginatedResponse(InvitationResponseDto)
  @ApiErrors(400)
  listInvitations(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListInvitationsQueryDto,
  ): Promise<CursorPaginated<InvitationResponseDto>> {
    return this.invitations.listForWorkspace(principal.workspaceId, query);
  }

  @Post(':id/revoke')
  @RequirePermissions(Permission.AdminUsers)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Revoke a pending invitation: its token stops working',
    description: '409 INVITATION_NOT_PENDING once accepted, declined or revoked; 404 for another workspace’s.',
  })
  @ApiOkResponse({ type: InvitationResponseDto })
  @ApiErrors(400, 404, 409)
  revokeInvitation(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<InvitationResponseDto> {
    return this.invitations.revoke(principal, params.id);
  }

  @Post(':id/resend')
  @RequirePermissions(Permission.AdminUsers)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Mail a pending or expired invitation again with a new token valid 7 days (the old one stops working)',
    description: '409 INVITATION_NOT_PENDING once accepted, declined or revoked.',
  })
  @ApiOkResponse({ type: InvitationResponseDto })
  @ApiErrors(400, 404, 409)
  resendInvitation(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<InvitationResponseDto> {
    return this.invitations.resend(principal, params.id);
  }
}
