import { Body, Controller, Delete, Get, Param, Post, Put, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrors,
  CurrentPrincipal,
  IdParamDto,
  Permission,
  Principal,
  RequirePermissions,
} from '@crescendo/platform';
import {
  CreateSubscriberDto,
  ListSubscribersQueryDto,
  SubscriberListResponseDto,
  SubscriberResponseDto,
  UpdateSubscriberDto,
} from './subscribers.dto';
import { SubscribersService } from './subscribers.service';

// Answers are `{success: true, data, metadata?}`; leads:* covers subscribers (permissions.ts).
@ApiTags('onlyfans')
@Controller('onlyfans/subscribers')
export class SubscribersController {
  constructor(private readonly subscribers: SubscribersService) {}

  @Get()
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({
    summary: 'List the workspace’s subscribers: filter by status, platform, tier; search; sort; page/pageSize',
  })
  @ApiOkResponse({ type: SubscriberListResponseDto })
  @ApiErrors(400)
  listSubscribers(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListSubscribersQueryDto,
  ): Promise<SubscriberListResponseDto> {
    return this.subscribers.list(principal.workspaceId, query);
  }

  @Post()
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Add a subscriber; linked to the workspace’s lead with the same e-mail',
    description: '409 SUBSCRIBER_HANDLE_TAKEN when the handle is already used on that platform in the workspace.',
  })
  @ApiCreatedResponse({ type: SubscriberResponseDto })
  @ApiErrors(400, 409)
  createSubscriber(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateSubscriberDto,
  ): Promise<SubscriberResponseDto> {
    return this.subscribers.create(principal.workspaceId, dto);
  }

  @Get(':id')
  @RequirePermissions(Permission.LeadsRead)
  @ApiOperation({ summary: 'One subscriber' })
  @ApiOkResponse({ type: SubscriberResponseDto })
  @ApiErrors(400, 404)
  getSubscriber(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<SubscriberResponseDto> {
    return this.subscribers.get(principal.workspaceId, params.id);
  }

  @Put(':id')
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Change a subscriber: only the fields sent change; null clears a nullable field',
    description:
      'A new e-mail re-links the lead (leadId). renewals and lifetimeSpend come from the earnings ledger and ' +
      'cannot be set. 409 SUBSCRIBER_HANDLE_TAKEN; 409 SUBSCRIBER_CURRENCY_LOCKED once earnings are recorded.',
  })
  @ApiOkResponse({ type: SubscriberResponseDto })
  @ApiErrors(400, 404, 409)
  updateSubscriber(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateSubscriberDto,
  ): Promise<SubscriberResponseDto> {
    return this.subscribers.update(principal.workspaceId, params.id, dto);
  }

  @Delete(':id')
  @RequirePermissions(Permission.LeadsWrite)
  @ApiOperation({
    summary: 'Delete a subscriber; answers the deleted record',
    description: 'Its earnings stay in the ledger and in the totals, with subscriberId null.',
  })
  @ApiOkResponse({ type: SubscriberResponseDto })
  @ApiErrors(400, 404)
  deleteSubscriber(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<SubscriberResponseDto> {
    return this.subscribers.remove(principal.workspaceId, params.id);
  }
}
