import { applyDecorators, Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import {
  ApiErrors,
  ApiCursorPaginatedResponse,
  CurrentPrincipal,
  IdParamDto,
  CursorPaginated,
  Permission,
  Principal,
  Public,
  RequirePermissions,
} from '@crescendo/platform';
import {
  CreatedWebhookEndpointResponseDto,
  CreateWebhookEndpointDto,
  DeliveryAttemptResponseDto,
  InboundCampaignWebhookDto,
  InboundDeliveryResponseDto,
  InboundLeadWebhookDto,
  InboundWebhookResultDto,
  ListDeliveryAttemptsQueryDto,
  ListInboundDeliveriesQueryDto,
  ListWebhookEndpointsQueryDto,
  PingResultDto,
  RotatedSecretResponseDto,
  UpdateWebhookEndpointDto,
  WebhookEndpointResponseDto,
} from './webhooks.dto';
import { InboundWebhooksService } from './inbound-webhooks.service';
import { WebhookEndpointsService } from './webhook-endpoints.service';

const SIGNED = 'Signed by the sender with the workspace webhookSigningSecret: see the X-Crescendo-Signature header.';
const signedHeaders = () =>
  applyDecorators(
    ApiHeader({ name: 'X-Crescendo-Workspace', required: true, description: 'Id of the receiving workspace' }),
    ApiHeader({
      name: 'X-Crescendo-Signature',
      required: true,
      description:
        '`t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, or of "<t>.<event id>.<raw body>" to sign ' +
        'the X-Crescendo-Event-Id header too; refused beyond 5 minutes',
    }),
    ApiHeader({
      name: 'X-Crescendo-Event-Id',
      required: false,
      description:
        'Event id, counted only when the signature covers it ("<t>.<event id>.<raw body>"); otherwise ignored. ' +
        'The id applied once is eventId in the body, else this signed header, else the SHA-256 of "<t>.<raw body>" ' +
        '(then a delivery signed anew is a new event)',
    }),
  );
const INBOUND_ERRORS =
  '401 WEBHOOK_SIGNATURE_INVALID (missing, malformed or wrong signature, unknown workspace) or ' +
  'WEBHOOK_TIMESTAMP_EXPIRED; 403 WEBHOOK_SIGNING_SECRET_NOT_CONFIGURED; 400 WEBHOOK_EVENT_ID_MISMATCH (signed ' +
  'header and body ids differ), WEBHOOK_EVENT_ID_REQUIRED (id over 200 characters) or VALIDATION_FAILED. A replayed ' +
  'event id answers 200 with duplicate: true and changes nothing; an unsigned header id never makes a new event.';

@ApiTags('webhooks')
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly inbound: InboundWebhooksService,
    private readonly endpoints: WebhookEndpointsService,
  ) {}

  @Post('leads')
  @Public()
  @HttpCode(200)
  @signedHeaders()
  @ApiOperation({
    summary: 'Inbound: create a lead, or update the lead with that e-mail (timeline event webhook)',
    description: `${SIGNED} ${INBOUND_ERRORS}`,
  })
  @ApiBody({ type: InboundLeadWebhookDto })
  @ApiOkResponse({ type: InboundWebhookResultDto })
  @ApiErrors(400, 401, 403, 404, 409)
  receiveLeadWebhook(@Req() request: FastifyRequest): Promise<InboundWebhookResultDto> {
    return this.inbound.receiveLead({ headers: request.headers, rawBody: request.rawBody, body: request.body });
  }

  @Post('campaigns')
  @Public()
  @HttpCode(200)
  @signedHeaders()
  @ApiOperation({
    summary: 'Inbound: change a campaign’s status (the campaign transition rules apply)',
    description: `${SIGNED} ${INBOUND_ERRORS} 404 CAMPAIGN_NOT_FOUND; 409 INVALID_STATUS_TRANSITION.`,
  })
  @ApiBody({ type: InboundCampaignWebhookDto })
  @ApiOkResponse({ type: InboundWebhookResultDto })
  @ApiErrors(400, 401, 403, 404, 409)
  receiveCampaignWebhook(@Req() request: FastifyRequest): Promise<InboundWebhookResultDto> {
    return this.inbound.receiveCampaign({ headers: request.headers, rawBody: request.rawBody, body: request.body });
  }

  @Get('inbound')
  @RequirePermissions(Permission.LogsRead)
  @ApiOperation({ summary: 'Inbound deliveries, newest first: accepted, duplicate and rejected (never the body)' })
  @ApiCursorPaginatedResponse(InboundDeliveryResponseDto)
  @ApiErrors(400)
  listInboundWebhookDeliveries(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListInboundDeliveriesQueryDto,
  ): Promise<CursorPaginated<InboundDeliveryResponseDto>> {
    return this.inbound.list(principal.workspaceId, query);
  }

  @Post('secret/rotate')
  @HttpCode(200)
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({
    summary: 'New inbound signing secret, shown once; the previous one stays valid for 24 hours',
  })
  @ApiOkResponse({ type: RotatedSecretResponseDto })
  rotateWebhookSigningSecret(@CurrentPrincipal() principal: Principal): Promise<RotatedSecretResponseDto> {
    return this.inbound.rotateSecret(principal);
  }

  @Get('endpoints')
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({ summary: 'Outgoing webhook endpoints, newest first' })
  @ApiCursorPaginatedResponse(WebhookEndpointResponseDto)
  @ApiErrors(400)
  listWebhookEndpoints(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListWebhookEndpointsQueryDto,
  ): Promise<CursorPaginated<WebhookEndpointResponseDto>> {
    return this.endpoints.list(principal.workspaceId, query);
  }

  @Post('endpoints')
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({
    summary: 'Subscribe a URL to domain events; its signing secret is in this answer only',
    description: '400 WEBHOOK_URL_NOT_ALLOWED for a loopback, private or link-local address.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointResponseDto })
  @ApiErrors(400)
  createWebhookEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateWebhookEndpointDto,
  ): Promise<CreatedWebhookEndpointResponseDto> {
    return this.endpoints.create(principal, dto);
  }

  @Get('endpoints/:id')
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({ summary: 'One outgoing webhook endpoint' })
  @ApiOkResponse({ type: WebhookEndpointResponseDto })
  @ApiErrors(400, 404)
  getWebhookEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
  ): Promise<WebhookEndpointResponseDto> {
    return this.endpoints.get(principal.workspaceId, params.id);
  }

  @Put('endpoints/:id')
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({ summary: 'Change an endpoint; active: true re-enables a disabled one and clears its failures' })
  @ApiOkResponse({ type: WebhookEndpointResponseDto })
  @ApiErrors(400, 404)
  updateWebhookEndpoint(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Body() dto: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointResponseDto> {
    return this.endpoints.update(principal, params.id, dto);
  }

  @Delete('endpoints/:id')
  @HttpCode(204)
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({ summary: 'Delete an endpoint and its delivery log. No body (204).' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(400, 404)
  deleteWebhookEndpoint(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<void> {
    return this.endpoints.remove(principal.workspaceId, params.id);
  }

  @Get('endpoints/:id/deliveries')
  @RequirePermissions(Permission.SettingsRead)
  @ApiOperation({ summary: 'Delivery attempts to an endpoint, newest first (response status, duration, next retry)' })
  @ApiCursorPaginatedResponse(DeliveryAttemptResponseDto)
  @ApiErrors(400, 404)
  listWebhookDeliveries(
    @CurrentPrincipal() principal: Principal,
    @Param() params: IdParamDto,
    @Query() query: ListDeliveryAttemptsQueryDto,
  ): Promise<CursorPaginated<DeliveryAttemptResponseDto>> {
    return this.endpoints.deliveries(principal.workspaceId, params.id, query);
  }

  @Post('endpoints/:id/test')
  @HttpCode(200)
  @RequirePermissions(Permission.SettingsWrite)
  @ApiOperation({ summary: 'Send a signed ping event now and answer the receiver’s response (logged too)' })
  @ApiOkResponse({ type: PingResultDto })
  @ApiErrors(400, 404)
  testWebhookEndpoint(@CurrentPrincipal() principal: Principal, @Param() params: IdParamDto): Promise<PingResultDto> {
    return this.endpoints.ping(principal.workspaceId, params.id);
  }
}
