import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  ApiErrors,
  ApiPaginatedResponse,
  CurrentPrincipal,
  IdParamDto,
  Paginated,
  Permission,
  Principal,
  RequirePermissions,
} from '@crescendo/platform';
import { CreateUserDto, ListUsersQueryDto, UpdateUserDto, UpdateUserStatusDto, UserResponseDto } from './users.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequirePermissions(Permission.UsersRead)
  @ApiOperation({ summary: 'List the members of the workspace; filter by role or status, search name or e-mail' })
  @ApiPaginatedResponse(UserResponseDto)
  @ApiErrors(400)
  listUsers(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListUsersQueryDto,
  ): Promise<Paginated<UserResponseDto>> {
    return this.users.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.AdminUsers)
  @ApiOperation({
    summary: 'Add a member: with a password an active account, without one an invitation mailed with a token',
    description:
      'The invited member accepts with POST /api/auth/password/reset/confirm and the mailed token (valid 7 days). ' +
      'An e-mail that already has an account elsewhere just gets a membership. 403 ROLE_NOT_ASSIGNABLE when ' +
      'the role exceeds the caller’s; 403 SEAT_LIMIT_REACHED when active and invited members fill the plan’s ' +
      'seats (GET /api/billing/subscription); 409 USER_ALREADY_MEMBER when already a member.',
  })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiErrors(400, 409)
  createUser(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateUserDto,
    @Req() request: FastifyRequest,
  ): Promise<UserResponseDto> {
    return this.users.create(principal, dto, request);
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
    summary: 'Change a member’s name or role',
    description:
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
    @Req() request: FastifyRequest,
  ): Promise<UserResponseDto> {
    return this.users.update(principal, params.id, dto, request);
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
  @ApiErrors(400, 404, 409)
  updateUserStatus(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateUserStatusDto,
    @Req() request: FastifyRequest,
  ): Promise<UserResponseDto> {
    return this.users.updateStatus(principal, params.id, dto, request);
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
  deleteUser(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Req() request: FastifyRequest,
  ): Promise<void> {
    return this.users.remove(principal, params.id, request);
  }
}
