import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  ApiCursorPaginatedResponse,
  CurrentPrincipal,
  IdParamDto,
  CursorPaginated,
  Permission,
  Principal,
  RequirePermissions,
} from '@crescendo/platform';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto, UpdateUserStatusDto, UserResponseDto } from './users.dto';
import { UsersService } from './users.service';
import { InvitationResponseDto } from '../invitations/invitations.dto';
import { InvitationsService } from '../invitations/invitations.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly invitations: InvitationsService,
  ) {}

  @Get()
  @RequirePermissions(Permission.UsersRead)
  @ApiOperation({
    summary: 'List the members of the workspace (not people invited who have not accepted); filter, search, sort',
  })
  @ApiCursorPaginatedResponse(UserResponseDto)
  @ApiErrors(400)
  listUsers(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListUsersQueryDto,
  ): Promise<CursorPaginated<UserResponseDto>> {
    return this.users.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.AdminUsers)
  @ApiOperation({
    summary: 'Invite someone to the workspace by e-mail; they join only by accepting',
    description:
      'Creates a pending invitation (valid 7 days) and mails its link. The answer is the invitation (e-mail and ' +
      'state), the same whether or not the e-mail has an account. The person accepts signed in ' +
      '(POST /api/invitations/:id/accept) or with the mailed token (POST /api/invitations/accept), which also ' +
      'sets up an account that has none. 403 ROLE_NOT_ASSIGNABLE when the role exceeds the caller’s; ' +
      '409 USER_ALREADY_MEMBER when already a member; 409 INVITATION_PENDING when an invitation is pending ' +
      '(resend it: POST /api/users/invitations/:id/resend); 403 SEAT_LIMIT_REACHED when members and pending ' +
      'invitations fill the plan’s seats (GET /api/billing/subscription).',
  })
  @ApiCreatedResponse({ type: InvitationResponseDto })
  @ApiErrors(400, 409)
  createUser(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUserDto): Promise<InvitationResponseDto> {
    return this.invitations.invite(principal, dto);
  }

  @Get(':id')
  @RequirePermissions(Permission.UsersRead)
  @ApiOperation({ summary: 'A member of the workspace' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(400, 404)
  getUser(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<UserResponseDto> {
    return this.users.get(principal.workspaceId, params.id);
  }

  @Put(':id')
  @RequirePermissions(Permission.AdminUsers)
  @ApiOperation({
    summary: 'Change a member’s role (membership only)',
    description:
      'A person’s global profile (name, avatar, e-mail, password) is never changed here: those fields are ' +
      'refused (400 VALIDATION_FAILED); each person edits their own with PUT /api/management/profile. ' +
      'Roles follow GET /api/roles `assignable`: nobody grants more than they have (403 ROLE_NOT_ASSIGNABLE). ' +
      'The owner cannot be demoted, nor changed by anyone else (403 OWNER_PROTECTED); nobody changes their own ' +
      'role (403 CANNOT_MODIFY_SELF).',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(400, 404)
  updateUser(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateUserDto,
  ): Promise<UserResponseDto> {
    return this.users.update(principal, params.id, dto);
  }

  @Put(':id/status')
  @RequirePermissions(Permission.AdminUsers)
  @ApiOperation({
    summary: 'Activate or deactivate a member; deactivation signs them out of this workspace at once',
    description:
      'Not yourself nor the owner (403 CANNOT_MODIFY_SELF, OWNER_PROTECTED). An invited member becomes active ' +
      'only by accepting the invitation (409 INVITATION_PENDING). Reactivating needs a free seat of the plan ' +
      '(403 SEAT_LIMIT_REACHED).',
  })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiErrors(400, 404)
  updateUserStatus(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateUserStatusDto,
  ): Promise<UserResponseDto> {
    return this.users.updateStatus(principal, params.id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermissions(Permission.AdminUsers)
  @ApiOperation({
    summary: 'Remove a member from the workspace; an account left with no workspace is deleted. No body (204).',
    description: 'Not yourself nor the owner (403 CANNOT_MODIFY_SELF, OWNER_PROTECTED).',
  })
  @ApiNoContentResponse({ description: 'Removed' })
  @ApiErrors(400, 404)
  deleteUser(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<void> {
    return this.users.remove(principal, params.id);
  }
}
